"""Exit codes as SECURITY.md states them: 1 for a refused input or a failed operation, 2 for a usage error
(a bad option value, refused before any work), as Click and Typer exit on their own usage errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from econ.cli import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def econ(*args) -> int:
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False).exit_code


@pytest.fixture
def store():
    assert econ("init") == 0


def test_security_md_states_both_codes():
    text = " ".join((ROOT / "SECURITY.md").read_text(encoding="utf-8").split())
    assert re.search(r"1 for a refused input or a failed operation", text)
    assert re.search(r"2 for a usage error, a bad option value", text)
    assert "exits 1 for an expected failure (bad input" not in text  # the old, wrong sentence


@pytest.mark.parametrize("args", [
    ["forecast", "-c", "ZZZ"],
    ["observations", "-c", "MLI", "-i", "inflation", "--as-of", "2021-02-30"],
    ["export", "chart", "-c", "MLI", "-i", "inflation", "--format", "gif", "-o", "x.gif"],
    ["export", "data", "-o", "x.csv", "--lang", "de"],
    ["forecast", "-i", "prices"],
    ["backtest", "-c", "MLI", "-i", "inflation", "--as-of", "2021-02-30"],
    ["forecast", "--no-such-option"],  # Click's own usage error
])
def test_a_usage_error_exits_2(store, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    assert econ(*args) == 2
    assert not list(tmp_path.glob("x.*"))


def test_a_refused_input_or_failed_operation_exits_1(store, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("country,indicator,period,value\nMLI,inflation,2020,3.0\nMLI,inflation,2020,3.5\n")
    assert econ("ingest", bad) == 1
    assert econ("export", "chart", "-c", "MLI", "-i", "inflation", "-o", tmp_path / "missing" / "x.png") == 1
