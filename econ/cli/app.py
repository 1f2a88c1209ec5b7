"""The ``econ`` command: one Typer app; each command group lives in its own module.

A failure the user can meet in a working day (a refused input, a busy store, a full disk, an
unreachable database) is one line on stderr and exit code 1, never a traceback; anything else
is one line too, with a hint. A usage error (a bad option value: an unknown country, a date that
does not exist, an unknown format) exits 2, as Click's own usage errors do (``fail(..., code=2)``).
``econ --debug ...`` (or ``ECON_DEBUG=1``) shows the traceback. SECURITY.md says the same.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from contextlib import contextmanager
from datetime import date, datetime

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

DEBUG = {"on": os.environ.get("ECON_DEBUG", "").lower() in ("1", "true", "yes")}


class EconApp(typer.Typer):
    """The Typer app, with expected failures reported as one line (see ``failure_message``)."""

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except Exception as err:  # noqa: BLE001 - every failure ends here, as one line
            if DEBUG["on"]:
                raise
            sys.stderr.write(f"error: {failure_message(err)}\n")
            sys.exit(1)


def failure_message(err: Exception) -> str:
    """The line a user reads for ``err``: what happened and what to do, without a traceback."""
    from econ.failures import disk_full, store_busy
    from econ.schema import InputError

    if isinstance(err, InputError):
        sys.stderr.write(f"{err}\n")
        return f"{err.total or len(err.problems):,} problem(s) found; nothing was stored"
    known = disk_full(err) or store_busy(err) or _database_unreachable(err)
    if known:
        return known
    first = (str(err).splitlines() or [""])[0][:300]
    return f"unexpected {type(err).__name__}: {first} (run `econ --debug ...` to see where)"


def _database_unreachable(err: Exception) -> str | None:
    from sqlalchemy.exc import OperationalError

    if isinstance(err, OperationalError):
        first = (str(getattr(err, "orig", err)).splitlines() or [""])[0][:200]
        return f"the database cannot be used: {first} (check ECON_DATABASE_URL, or run `econ init`)"
    return None


app = EconApp(
    help="Indicators, projections and the WAEMU norms for Mali and its neighbours.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _options(
    debug: bool = typer.Option(False, "--debug", help="show the full traceback of a failure (also ECON_DEBUG=1)"),
) -> None:
    """Indicators, projections and the WAEMU norms for Mali and its neighbours."""
    from econ import logs

    if debug:
        DEBUG["on"] = True
        logging.basicConfig(level=logging.INFO)
    logs.configure_command()  # job lines, when ECON_LOG_FILE or ECON_LOG_LEVEL asks for them


def command_user() -> str | None:
    """Who ran a command, for the job's log line: the operating system's account name."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no such account in a container
        return None


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
