"""Dependency audit: pip-audit against PyPI's advisory service, with a verdict a person can read.

Fails (exit 1) when a dependency has a known vulnerability. When the service cannot be reached, or
does not know the installed versions (a machine whose packages come from a local mirror), it says
so plainly, lists what was not audited, and exits 0: an audit that could not run is reported, never
passed off as clean, and never fails CI for want of a network.

    python .ci/audit.py            # what `make audit` and .ci/run call
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

COMMAND = [str(Path(sys.executable).with_name("pip-audit")), "--vulnerability-service", "pypi", "--progress-spinner",
           "off", "--skip-editable", "--format", "json"]


def main() -> int:
    print("audit: " + " ".join(COMMAND[1:]), flush=True)
    try:
        done = subprocess.run(COMMAND, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as err:
        print(f"audit NOT RUN: pip-audit could not be started or timed out ({err}); dependencies are unaudited")
        return 0
    try:
        report = json.loads(done.stdout)
    except ValueError:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"audit NOT RUN: PyPI's advisory service is unreachable from this machine ({last[:300]})")
        return 0
    return verdict(report.get("dependencies", []))


def verdict(dependencies: list[dict]) -> int:
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
    audited = len(dependencies) - len(skipped)
    if skipped:
        names = ", ".join(d["name"] for d in skipped[:12])
        more = f" and {len(skipped) - 12} more" if len(skipped) > 12 else ""
        print(f"audit INCOMPLETE: {len(skipped)} of {len(dependencies)} dependencies could not be audited "
              f"(PyPI's advisory service does not know these versions: {names}{more})")
    print(f"audit: {audited} dependencies audited, {len(vulnerable)} with known vulnerabilities")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
