"""Command line: ``econ init | ingest | fetch | series | observations | forecast | backtest | norms | export | serve``."""

from econ.cli.app import app

# Each module registers its commands on ``app`` when imported.
from econ.cli import data  # noqa: E402,F401

for _module in ("econ.cli.forecast", "econ.cli.export", "econ.cli.admin"):
    try:
        __import__(_module)
    except ModuleNotFoundError as _missing:  # a command group still being written
        if _missing.name != _module:
            raise


def main() -> None:
    app()
