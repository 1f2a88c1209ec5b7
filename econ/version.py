"""The code version stamped on every ingest and forecast run: release plus git commit when known."""

from __future__ import annotations

import subprocess
from functools import lru_cache

from econ import __version__
from econ.config import PROJECT_ROOT


@lru_cache(maxsize=1)
def code_version() -> str:
    """``0.1.0+abc1234`` in a git checkout (``.dirty`` when it has uncommitted changes), else ``0.1.0``."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "--short=12", "HEAD"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=5, check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return __version__
    return f"{__version__}+{commit}{'.dirty' if dirty else ''}" if commit else __version__
