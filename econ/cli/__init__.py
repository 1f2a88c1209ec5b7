"""Command line: ``econ init | ingest | fetch | series | observations | forecast | backtest | norms | export | serve``."""

from econ.cli.app import app

# Each module registers its commands on ``app`` when imported.
from econ.cli import admin, data, export, forecast, serve  # noqa: E402,F401


def main() -> None:
    app()
