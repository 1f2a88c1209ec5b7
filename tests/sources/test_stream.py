"""Large long-layout files are checked and handed on in chunks, exactly as a whole read would load them."""

from __future__ import annotations

import pandas as pd
import pandas.testing as pdt
import pytest

from econ.sources import stream
from econ.sources.files import read_bytes

from .conftest import TODAY

HEADER = "country,indicator,period,value,source,published\n"


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    """Any file over 100 bytes counts as large, and is read three rows at a time."""
    monkeypatch.setattr(stream, "STREAM_BYTES", 100)
    monkeypatch.setattr(stream, "CHUNK_ROWS", 3)


def rows(n: int, start: int = 1990) -> str:
    return "".join(f"MLI,inflation,{y},{y % 7}.5,WB,2024-04\n" for y in range(start, start + n))


def whole(name: str) -> pd.DataFrame:
    with open(name, "rb") as f:
        return read_bytes(f.read(), name, today=TODAY).observations


def test_a_large_file_arrives_in_chunks_equal_to_the_whole_read(write, load):
    write("big.csv", HEADER + rows(8) + "\n" + rows(3, 2010))
    batch = load("big.csv")
    assert batch.chunks is not None and batch.rows == 11 and batch.observations.empty
    parts = list(batch.observation_parts())
    assert [len(p) for p in parts] == [3, 3, 2, 3]  # the blank line is not a row
    pdt.assert_frame_equal(pd.concat(parts, ignore_index=True), whole("big.csv"))
    with open("big.csv", "rb") as f:
        assert batch.checksum == read_bytes(f.read(), "big.csv", today=TODAY).checksum


def test_problems_in_later_chunks_name_their_lines(write, problems):
    write("bad.csv", HEADER + rows(5) + "MLI,inflation,2001,abc,WB,\n" + rows(2, 2002) + "\nXXX,inflation,2005,1,WB,\n")
    assert problems("bad.csv") == [
        "bad.csv:7: value: 'abc' is not a number",
        "bad.csv:11: country: unknown country 'XXX'",
    ]


def test_duplicates_far_apart_are_found(write, problems):
    write("dup.csv", HEADER + rows(7) + rows(1, 1991))
    assert problems("dup.csv") == ["dup.csv:9: duplicate of line 3 (same country, indicator, period and publication)"]


def test_conflicting_values_far_apart_name_the_column_and_both_values(write, problems):
    write("dup.csv", HEADER + rows(7) + "MLI,inflation,1991,3.0,WB,2024-04\n")
    assert problems("dup.csv") == ["dup.csv:9: value: line 3 gives 3.5 for the same country, indicator, period and "
                                   "publication, this line gives 3.0: keep one"]


def test_a_ragged_row_stops_the_file_with_its_line(write, problems):
    write("ragged.csv", HEADER + rows(7) + "MLI,inflation,1999,1,WB,2024-04,extra\n" + rows(2, 2000))
    assert problems("ragged.csv") == [
        "ragged.csv:9: 7 cells but the header has 6 (a decimal comma in a comma-separated file? quote the value or use ';')"
    ]


def test_a_quoted_cell_spanning_lines_is_read_whole_so_lines_stay_exact(write, load, problems):
    write("multi.csv", HEADER + 'MLI,inflation,1990,1,"World Bank\nGlobal Database",2024-04\n' + rows(4, 1991))
    batch = load("multi.csv")
    assert batch.chunks is None and len(batch.observations) == 5
    write("multibad.csv", HEADER + 'MLI,inflation,1990,1,"World Bank\nGlobal Database",2024-04\n' + rows(3, 1991)
          + "MLI,inflation,1999,x,WB,\n")
    assert problems("multibad.csv") == ["multibad.csv:7: value: 'x' is not a number"]


def test_windows_text_and_semicolons_stream_too(write, load):
    write("fr.csv", "pays;indicateur;période;valeur;source\r\n" + "".join(
        f"Côte d'Ivoire;inflation;{y};{y % 5},5;INS\r\n" for y in range(2000, 2010)), encoding="cp1252")
    batch = load("fr.csv")
    assert batch.chunks is not None
    frame = pd.concat(batch.observation_parts(), ignore_index=True)
    assert frame["country"].unique().tolist() == ["CIV"] and frame["value"].iloc[0] == 0.5


def test_other_layouts_are_read_whole(write, load):
    write("wide.csv", "country,indicator," + ",".join(str(y) for y in range(1990, 2010)) + "\n"
          "MLI,inflation," + ",".join("1" for _ in range(20)) + "\n")
    assert load("wide.csv").chunks is None
    write("official.csv", "publisher,published,country,indicator,target_year,value\n"
          + "".join(f"IMF,2025-10,MLI,inflation,{y},2.5\n" for y in range(2026, 2031)))
    assert load("official.csv").chunks is None
