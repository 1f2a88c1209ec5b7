"""Command line: ``econ init | ingest | fetch | series | observations | forecast | backtest | norms | export | serve``."""

# Each module registers its commands on ``app`` when imported.
from econ.cli import admin, data, export, forecast, serve  # noqa: E402,F401
from econ.cli.app import app


def main() -> None:
    app()
