"""CI's supply-chain steps: the linter passes over the code, and the audit's verdict is honest."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def audit_module():
    spec = importlib.util.spec_from_file_location("audit", ROOT / ".ci" / "audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ruff_passes_over_the_code():
    ruff = Path(sys.executable).with_name("ruff")
    done = subprocess.run([ruff, "check", "econ", "dashboard", "tests", "benchmarks", "scripts"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]


def test_a_known_vulnerability_fails_the_audit(capsys):
    report = [{"name": "flask", "version": "0.1", "vulns": [{"id": "PYSEC-0000-1", "fix_versions": ["3.1.3"]}]},
              {"name": "pandas", "version": "3.1.1", "vulns": []}]
    assert audit_module().verdict(report) == 1
    out = capsys.readouterr().out
    assert "VULNERABLE flask 0.1: PYSEC-0000-1 (fixed in 3.1.3)" in out
    assert "2 dependencies audited, 1 with known vulnerabilities" in out


def test_an_audit_that_could_not_run_says_so_and_does_not_fail(capsys):
    report = [{"name": "flask", "skip_reason": "Dependency not found on PyPI and could not be audited: flask (3.1.3)"},
              {"name": "pandas", "version": "3.1.1", "vulns": []}]
    assert audit_module().verdict(report) == 0
    out = capsys.readouterr().out
    assert "audit INCOMPLETE: 1 of 2 dependencies could not be audited" in out and "flask" in out
