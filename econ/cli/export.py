"""``econ export chart | data`` (``econ serve`` lives in ``econ.cli.serve``).

Exports report what they wrote (file, format, size, rows), not "done".
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated

import typer

from econ.cli import admin  # noqa: F401 - registers ``econ analyst`` (until econ/cli/__init__ imports it)
from econ.cli.app import console, export_app, fail, get_engine

CountryOpt = Annotated[str, typer.Option("--country", "-c", help="ISO3 code or name")]
IndicatorOpt = Annotated[str, typer.Option("--indicator", "-i", help="indicator code")]
OutputOpt = Annotated[Path, typer.Option("--output", "-o", help="file to write", dir_okay=False)]
LangOpt = Annotated[str, typer.Option("--lang", help="fr, en or pt: labels, headers, file metadata, CSV separators")]
AsOfOpt = Annotated[str | None, typer.Option("--as-of", help="DATE (end of that day) or ISO TIMESTAMP")]
CSV_STYLE = {";": "';' between fields, decimal comma", ",": "',' between fields, decimal point"}


def _format(fmt: str | None, output: Path, choices: tuple[str, ...]) -> str:
    """The format asked for, else the output file's suffix; a clear refusal for anything else."""
    chosen = (fmt or output.suffix.lstrip(".")).lower()
    if chosen not in choices:
        fail(f"--format must be one of {', '.join(choices)} (or give -o a file ending in one of them)", code=2)
    return chosen


def _country(name: str) -> str:
    from econ.countries import resolve

    return resolve(name) or fail(f"unknown country {name!r}", code=2)


def _indicator(code: str) -> str:
    from econ.schema import INDICATORS

    if code not in INDICATORS:
        fail(f"unknown indicator {code!r}; known: {', '.join(INDICATORS)}", code=2)
    return code


def _check(lang: str, as_of: str | None):
    from econ.i18n import LANGS
    from econ.store.repository import parse_as_of

    if lang not in LANGS:
        fail(f"--lang must be one of {', '.join(LANGS)}, not {lang!r}", code=2)
    try:
        return parse_as_of(as_of)
    except ValueError:
        fail(f"--as-of {as_of!r} is neither a date (2025-01-31) nor an ISO timestamp", code=2)


def _writable(output: Path) -> None:
    """Refuses, before any work, a file that cannot be written: its folder missing, not a folder, or read-only."""
    folder = output.parent
    if not folder.exists():
        fail(f"cannot write {output}: the folder {folder} does not exist; nothing written")
    if not folder.is_dir():
        fail(f"cannot write {output}: {folder} is not a folder; nothing written")
    if output.is_dir():
        fail(f"cannot write {output}: it is a folder; give a file name; nothing written")
    if not os.access(folder, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)):
        fail(f"cannot write {output}: permission denied (the folder {folder} or the file is not writable); "
             "nothing written")


def _write_failed(output: Path, err: OSError) -> None:
    """A write refused after the checks (a folder removed meanwhile, a full disk): one line, no traceback."""
    from econ.failures import disk_full

    fail(disk_full(err) or f"cannot write {output}: {err.strerror or err}; nothing written")


def _size(n: int) -> str:
    return f"{n / 1024:.1f} kB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


@export_app.command("chart")
def chart_command(
    country: CountryOpt, indicator: IndicatorOpt, output: OutputOpt,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="png, svg or pdf (default: from -o)")] = None,
    lang: LangOpt = "fr", as_of: AsOfOpt = None,
) -> None:
    """The chart the dashboard shows, as PNG, SVG or PDF, sized for a slide (1200x675)."""
    from econ import export

    fmt = _format(fmt, output, export.CHART_FORMATS)
    code, indicator = _country(country), _indicator(indicator)
    moment = _check(lang, as_of)
    _writable(output)
    started = time.perf_counter()
    try:
        size = export.write_chart(output, get_engine(), code, indicator, fmt, lang=lang, as_of=moment)
    except (export.SeriesNotFound, export.ExportError) as err:
        fail(str(err))
    except OSError as err:
        _write_failed(output, err)
    seconds = time.perf_counter() - started
    console.print(
        f"wrote {output}: {fmt.upper()} chart of {code} {indicator} ({lang}), {_size(size)}, in {seconds:.1f} s",
        highlight=False, soft_wrap=True,
    )


@export_app.command("data")
def data_command(
    output: OutputOpt,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="csv or xlsx (default: from -o)")] = None,
    country: Annotated[list[str] | None, typer.Option("--country", "-c", help="ISO3 code or name; repeatable")] = None,
    indicator: Annotated[list[str] | None, typer.Option("--indicator", "-i", help="indicator code; repeatable")] = None,
    lang: LangOpt = "fr", as_of: AsOfOpt = None,
) -> None:
    """Observations, official projections and the latest projections, with their sources (CSV or Excel)."""
    from econ import export

    fmt = _format(fmt, output, export.DATA_FORMATS)
    codes = [_country(c) for c in country or []] or None
    indicators = [_indicator(i) for i in indicator or []] or None
    moment = _check(lang, as_of)
    _writable(output)
    try:
        report = export.export_data(get_engine(), output, fmt, codes, indicators, lang=lang, as_of=moment)
    except export.SeriesNotFound as err:
        fail(f"{err}; nothing written")
    except OSError as err:
        _write_failed(output, err)
    from econ.spreadsheet import csv_style

    style = f"; {CSV_STYLE[csv_style(lang)[0]]}" if fmt == "csv" else \
        "; figures as shown, exact values and sources sheets"
    console.print(
        f"wrote {output}: {fmt.upper()} ({lang}{style}), {report['rows']} rows from {report['series']} series, "
        f"{_size(report['bytes'])}", highlight=False, soft_wrap=True,
    )
