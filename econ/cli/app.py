"""The ``econ`` command: one Typer app; each command group lives in its own module."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from datetime import date, datetime

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

app = typer.Typer(
    help="Indicators, projections and the WAEMU norms for Mali and its neighbours.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
fetch_app = typer.Typer(help="Load from live public sources (World Bank, IMF).", no_args_is_help=True)
app.add_typer(fetch_app, name="fetch")
export_app = typer.Typer(help="Charts and figures as files.", no_args_is_help=True)
app.add_typer(export_app, name="export")

console = Console()
errors = Console(stderr=True)


def get_engine():
    """The configured store; a clear message (not a traceback) when it has not been created."""
    from econ.store.db import current_revision, make_engine

    engine = make_engine()
    if current_revision(engine) is None:
        fail("the database has not been created yet: run `econ init` first")
    return engine


def fail(message: str, code: int = 1) -> None:
    errors.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _default(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def print_json(payload) -> None:
    """JSON on stdout, nothing else: what scripts and the API tests read."""
    sys.stdout.write(json.dumps(payload, default=_default, ensure_ascii=False, indent=2) + "\n")


@contextmanager
def progress_bar(description: str, total: int | None = None, enabled: bool = True):
    """A progress bar on stderr; yields ``advance(n)``. Quiet when output is JSON or not a terminal."""
    if not enabled:
        yield lambda n=1, total=None, label=None: None
        return
    # No refresh thread (the bar is redrawn at each step): a single-threaded command may fork its
    # forecast workers directly, and the kernel then ends them with it if it is killed.
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=errors, transient=True, auto_refresh=False,
    ) as bar:
        task = bar.add_task(description, total=total)

        def advance(n: int = 1, total: int | None = None, label: str | None = None) -> None:
            bar.update(task, advance=n, total=total if total is not None else bar.tasks[0].total,
                       description=label or description)
            bar.refresh()

        yield advance
