"""What a file may cost: each hostile file of issue 9 is refused early, with the limit and its setting.

The fast tests read the files in this process; the slow one runs `econ ingest` on each as a real
process and measures its wall time and peak memory (``wait4``), which is the point of a limit.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import hostile
import pytest
from hypothesis import given, strategies as st

from econ.config import get_settings
from econ.schema import InputError
from econ.sources import read_path
from econ.sources.limits import longest_line

ECON = Path(sys.executable).with_name("econ")


def refusal(path: Path) -> str:
    with pytest.raises(InputError) as err:
        read_path(path)
    return str(err.value)


def test_a_declared_1_5_gb_part_is_refused_before_anything_is_unzipped(tmp_path):
    message = refusal(hostile.declared_size_bomb(tmp_path / "bomb.xlsx"))
    assert message.startswith(f"{tmp_path / 'bomb.xlsx'}: the workbook unzips to 1,430.5 MB")
    assert "ECON_MAX_XLSX_UNCOMPRESSED_MB" in message


def test_a_part_that_unzips_a_thousand_times_larger_is_a_zip_bomb(tmp_path):
    message = refusal(hostile.ratio_bomb(tmp_path / "ratio.xlsx"))
    assert "xl/filler.xml unzips" in message and "ECON_MAX_XLSX_RATIO" in message


def test_the_200_mb_note_of_a_200_kb_workbook_is_refused(tmp_path):
    path = hostile.huge_note_workbook(tmp_path / "note.xlsx")
    assert path.stat().st_size < 300_000
    assert "ECON_MAX_XLSX_RATIO" in refusal(path)


def test_a_long_note_is_refused_by_its_length_when_the_zip_looks_fine(tmp_path, monkeypatch):
    """The ratio alone is no defence: a note of varied text compresses little. The cell limit holds."""
    monkeypatch.setenv("ECON_MAX_XLSX_RATIO", "1000000")
    get_settings.cache_clear()
    message = refusal(hostile.huge_note_workbook(tmp_path / "note.xlsx", characters=3_000_000))
    assert message == (f"{tmp_path / 'note.xlsx'}[data]:2: E: a text of 3,000,000 characters; "
                       "the limit is 10,000 characters a cell (setting ECON_MAX_CELL_CHARS)")


@pytest.mark.parametrize("with_dimension", [True, False], ids=["declared", "row-number-only"])
def test_a_sheet_of_ten_million_rows_is_refused_at_once(tmp_path, with_dimension):
    path = hostile.declared_rows(tmp_path / "rows.xlsx", with_dimension=with_dimension)
    started = time.perf_counter()
    message = refusal(path)
    assert time.perf_counter() - started < 15  # 0.01 s declared, 1.7 s counted on an idle core (minutes before)
    assert "1,048,576 rows" in message and "ECON_MAX_ROWS" in message
    assert ("declares 10,000,000 rows" in message) == with_dimension


def test_a_million_column_header_is_refused_before_parsing(tmp_path):
    started = time.perf_counter()
    message = refusal(hostile.million_columns_csv(tmp_path / "wide.csv"))
    assert time.perf_counter() - started < 5
    assert message == (f"{tmp_path / 'wide.csv'}:1: 1,000,000 columns; the limit is 5,000 "
                       "(setting ECON_MAX_COLUMNS)")


def test_a_quoted_note_full_of_commas_is_not_mistaken_for_columns(tmp_path, monkeypatch):
    monkeypatch.setenv("ECON_MAX_COLUMNS", "10")
    get_settings.cache_clear()
    path = tmp_path / "commas.csv"
    path.write_text('country,indicator,period,value,note\nMLI,inflation,2023,2.1,"a,b,c,d,e,f,g,h,i,j,k,l"\n')
    assert read_path(path).observations["note"].tolist() == ["a,b,c,d,e,f,g,h,i,j,k,l"]


def test_a_huge_csv_note_is_refused_without_quoting_it_back(tmp_path):
    message = refusal(hostile.huge_note_csv(tmp_path / "note.csv"))
    assert message == (f"{tmp_path / 'note.csv'}:2: note: a text of 20,000,000 characters; "
                       "the limit is 10,000 characters a cell (setting ECON_MAX_CELL_CHARS)")


def test_every_limit_is_a_setting(tmp_path, monkeypatch):
    path = tmp_path / "small.csv"
    path.write_text("country,indicator,period,value\n" + "".join(f"MLI,inflation,{2000 + i},2.5\n" for i in range(5)))
    for setting, value, expected in [("MAX_ROWS", "4", "5 data rows; the limit is 4"),
                                     ("MAX_COLUMNS", "3", "4 columns; the limit is 3"),
                                     ("MAX_CELL_CHARS", "3", "a text of 9 characters"),
                                     ("MAX_FILE_MB", "0.0001", "the file is 0.0 MB; the limit is 0.0 MB")]:
        monkeypatch.setenv(f"ECON_{setting}", value)
        get_settings.cache_clear()
        message = refusal(path)
        assert expected in message and f"ECON_{setting}" in message, message
        monkeypatch.delenv(f"ECON_{setting}")
        get_settings.cache_clear()
    assert len(read_path(path).observations) == 5


def test_a_problem_list_is_capped_and_counts_the_rest(tmp_path):
    message = refusal(hostile.many_bad_rows_csv(tmp_path / "bad.csv", 100_000))
    lines = message.splitlines()
    assert len(lines) == 51 and lines[-1] == "... and 99,950 more"


HOSTILE = {
    "declared 1.5 GB part": (hostile.declared_size_bomb, "bomb.xlsx", "ECON_MAX_XLSX_UNCOMPRESSED_MB"),
    "zip bomb (ratio)": (hostile.ratio_bomb, "ratio.xlsx", "ECON_MAX_XLSX_RATIO"),
    "200 MB note in 200 KB": (hostile.huge_note_workbook, "note.xlsx", "ECON_MAX_XLSX_RATIO"),
    "10 M rows declared": (hostile.declared_rows, "rows.xlsx", "ECON_MAX_ROWS"),
    "1 M-column header": (hostile.million_columns_csv, "wide.csv", "ECON_MAX_COLUMNS"),
    "20 MB CSV note": (hostile.huge_note_csv, "note.csv", "ECON_MAX_CELL_CHARS"),
    "1 M bad rows": (lambda p: hostile.many_bad_rows_csv(p, 1_000_000), "bad.csv", "... and 999,950 more"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(HOSTILE))
def test_econ_ingest_refuses_each_hostile_file_fast_and_small(tmp_path, name):
    """A real `econ ingest` process: exit 1, a few lines naming the setting, seconds, bounded memory."""
    build, file_name, expected = HOSTILE[name]
    path = build(tmp_path / file_name)
    env = {**os.environ, "ECON_HOME": str(tmp_path / "home")}
    subprocess.run([ECON, "init"], env=env, check=True, capture_output=True)
    code, seconds, peak_mb, err = measured([ECON, "ingest", str(path)], env, tmp_path)
    print(f"{name}: {path.stat().st_size / 1e6:.2f} MB file refused in {seconds:.1f} s, peak {peak_mb:.0f} MB")
    assert code == 1 and expected in err, err[-2000:]
    assert len(err) < 10_000 and "Traceback" not in err
    assert seconds < 30 and peak_mb < 700


# Linux counts a child's peak memory from before its exec (a fork of this big pytest process), so
# the command is started by a small process and measured there, as a grandchild.
MEASURE = """import os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
open(sys.argv[1], "w").write(f"{os.waitstatus_to_exitcode(status)} {time.perf_counter() - started} {usage.ru_maxrss}")
"""


def measured(command: list, env: dict, folder: Path) -> tuple[int, float, float, str]:
    """(exit code, wall seconds, peak resident MB, stderr) of a command run as a real process."""
    with open(folder / "stderr", "wb") as err:
        subprocess.run([sys.executable, "-c", MEASURE, folder / "usage", *command], env=env, stdout=subprocess.DEVNULL,
                       stderr=err, check=True, timeout=300)
    code, seconds, peak_kb = (folder / "usage").read_text().split()
    return int(code), float(seconds), int(peak_kb) / 1024, (folder / "stderr").read_text()


def test_a_long_note_spread_over_short_lines_is_still_caught(tmp_path):
    """The quick path (no quotes, short lines: no long cell) must not let a multi-line quoted cell through."""
    path = tmp_path / "lines.csv"
    note = "\n".join(["a" * 50] * 400)  # 20,399 characters, no line over 50
    path.write_text(f'country,indicator,period,value,note\nMLI,inflation,2023,2.1,"{note}"\n')
    assert "a text of 20,399 characters" in refusal(path)


@given(raw=st.binary(max_size=200).map(lambda b: b.replace(b"x", b"\n")), chunk=st.integers(1, 64))
def test_the_byte_scan_finds_the_longest_line(raw, chunk):
    assert longest_line(raw, chunk) == max(len(line) for line in raw.split(b"\n"))
