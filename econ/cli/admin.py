"""``econ analyst add | list | remove``: who may load data and rerun forecasts through the API.

Replacing or removing a token also ends the dashboard sessions it opened (they are checked
against the token on every write anyway; ending them here tidies the session records).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from econ.cli.app import app, console, fail, get_engine, print_json

analyst_app = typer.Typer(help="Analysts: who may load data and rerun forecasts through the API.", no_args_is_help=True)
app.add_typer(analyst_app, name="analyst")


@analyst_app.command("add")
def add_command(
    name: Annotated[str, typer.Argument(help="the analyst's name, e.g. awa.traore")],
    replace: Annotated[bool, typer.Option(
        "--replace", help="new token for an existing analyst (the old one and its sessions stop working)")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="print {name, token} as JSON")] = False,
) -> None:
    """Register an analyst and print their API token. It is shown once: only its hash is stored."""
    from econ.auth import AnalystExists, add_analyst

    try:
        token = add_analyst(get_engine(), name, replace=replace)
    except AnalystExists:
        fail(f"analyst {name!r} already exists: use --replace to give them a new token")
    except ValueError as err:
        fail(str(err))
    ended = _end_sessions(name.strip()) if replace else 0
    if json_output:
        print_json({"name": name.strip(), "token": token})
        return
    verb = f"has a new token (the old one and {ended} dashboard session(s) ended)" if replace else "added"
    console.print(f"analyst {name.strip()!r} {verb}. Token (shown this once; only its hash is kept):", highlight=False,
                  soft_wrap=True)
    console.print(token, highlight=False, soft_wrap=True)
    console.print("Send it as the header  Authorization: Bearer <token>", highlight=False)


@analyst_app.command("list")
def list_command() -> None:
    """The registered analysts (names and dates; tokens cannot be shown again)."""
    from econ.auth import list_analysts

    rows = list_analysts(get_engine())
    table = Table("name", "created (UTC)")
    for row in rows:
        table.add_row(row["name"], row["created_at"].strftime("%Y-%m-%d %H:%M"))
    console.print(table)
    console.print(f"{len(rows)} analyst{'s' if len(rows) != 1 else ''}", highlight=False)


@analyst_app.command("remove")
def remove_command(name: Annotated[str, typer.Argument(help="the analyst's name")]) -> None:
    """Remove an analyst: their token stops working and their dashboard sessions end."""
    from econ.auth import remove_analyst

    if not remove_analyst(get_engine(), name):
        fail(f"no analyst {name.strip()!r}: `econ analyst list` shows who is registered")
    ended = _end_sessions(name.strip())
    console.print(f"analyst {name.strip()!r} removed: their token no longer works; {ended} dashboard session(s) ended",
                  highlight=False, soft_wrap=True)


def _end_sessions(name: str) -> int:
    from econ.auth import Sessions

    return Sessions().close_all(name)
