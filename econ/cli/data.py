"""Data commands: ``econ init``, ``ingest``, ``fetch ...``, ``series``, ``observations``.

Each reports what changed (rows added / revised / unchanged, periods, countries), not "done".
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Column, Table

from econ import logs
from econ.cli.app import app, command_user, console, fail, fetch_app, get_engine, print_json, progress_bar
from econ.schema import InputError


@app.command()
def init() -> None:
    """Create the database (SQLite by default; ECON_DATABASE_URL for PostgreSQL) or bring it up to date."""
    from econ.store.db import current_revision, make_engine, upgrade

    engine = make_engine()
    before = current_revision(engine)
    after = upgrade(engine)
    where = engine.url.render_as_string(hide_password=True)
    state = "created" if before is None else ("up to date" if before == after else f"migrated from {before}")
    console.print(f"database {where}: {state} (schema revision {after})", highlight=False)


UNCHANGED_BUNDLE = "bundled data already loaded, unchanged"


def _report(files, json_output: bool, skipped=(), first_load: bool = False) -> None:
    """One line a file: what it changed, over which periods, countries and indicators (or why it was skipped)."""
    if json_output:
        print_json([_summary_dict(f) for f in files] + [{"file": p.name, "skipped": UNCHANGED_BUNDLE} for p in skipped])
        return
    for path in skipped:
        console.print(f"{path.name}: {UNCHANGED_BUNDLE}", highlight=False, soft_wrap=True)
    if not files:
        return
    for f in files:
        s = f.summary
        span = f"periods {s.first_period}–{s.last_period}" if s.first_period else "no periods"
        console.print(
            f"{f.path} ({f.kind}): {s.added + s.official_added} added, {s.revised + s.official_revised} revised, "
            f"{s.unchanged + s.official_unchanged} unchanged; {span}; countries {_short(s.countries)}; "
            f"indicators {_short(s.indicators)}",
            highlight=False, soft_wrap=True,
        )
    total = [sum(getattr(f.summary, k) + getattr(f.summary, f"official_{k}") for f in files)
             for k in ("added", "revised", "unchanged")]
    console.print(f"{total[0]} rows added, {total[1]} revised, {total[2]} unchanged", highlight=False)
    if total[1] and first_load:  # the bundle "revises" 15,000 figures: the IMF's releases, one after another
        console.print("(a first load: each revised figure is a later release, in these files, of a figure they also "
                      "hold from an earlier release, as each IMF WEO revises the one before; every release is kept "
                      "as a vintage, for --as-of)", highlight=False, soft_wrap=True)
    elif total[1]:
        console.print("(revised: a new vintage of a figure already known, from the store or from an earlier "
                      "release in these files; the earlier vintage is kept)", highlight=False, soft_wrap=True)


def _short(items: tuple[str, ...], most: int = 6) -> str:
    return " ".join(items[:most]) + (f" (+{len(items) - most})" if len(items) > most else "")


def _summary_dict(f) -> dict:
    s = f.summary
    return {
        "file": f.path, "kind": f.kind, "ingest_id": s.ingest_id,
        "observations": {"added": s.added, "revised": s.revised, "unchanged": s.unchanged},
        "official_projections": {"added": s.official_added, "revised": s.official_revised, "unchanged": s.official_unchanged},
        "first_period": s.first_period, "last_period": s.last_period,
        "countries": list(s.countries), "indicators": list(s.indicators), "vintage": s.vintage,
    }


def _store(batches, json_output: bool, sources: list[str | None] | None = None, skipped=()) -> None:
    from econ.ingest import counts, total_rows, write_all
    from econ.store.reading import holds_observations

    engine = get_engine()
    first_load = bool(batches) and not holds_observations(engine)
    with (logs.job("ingest", user=command_user(), files=[b.file_name for b in batches]) as logged,
          progress_bar("storing", total=total_rows(batches), enabled=not json_output) as advance):
        files = write_all(engine, batches, progress=advance, sources=sources) if batches else []
        logged.update(counts(files))
    _report(files, json_output, skipped, first_load)


def _fail_input(err: InputError) -> None:
    sys.stderr.write(f"{err}\n")  # plain lines, never wrapped: editors and scripts parse them
    count = len(err.problems)
    fail(f"{count}{'+' if err.truncated else ''} problem{'s' if count != 1 else ''} found; nothing was stored")


@app.command()
def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="CSV or XLSX files (long, wide, official projections, WB inflation workbook)")] = None,
    default: Annotated[bool, typer.Option("--default", help="load the bundled dataset under data/")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="print the summary as JSON")] = False,
) -> None:
    """Load files into the store: all of them or, if any has a problem, none.

    With --default, a bundled file already loaded and unchanged since is skipped: the bundle is
    loaded when the store lacks it or it changed, never again over an analyst's corrections.
    """
    from econ.ingest import BUNDLED, bundled_to_load, read_all

    if not paths and not default:
        fail("give files to load, or --default for the bundled dataset", code=2)
    try:
        bundled, skipped = bundled_to_load(get_engine()) if default else ([], [])
        batches = read_all([*bundled, *(paths or [])])
    except InputError as err:
        _fail_input(err)
    _store(batches, json_output, [BUNDLED] * len(bundled) + [None] * len(paths or []), skipped)


def _fetched(fetch, *args, json_output: bool, **kwargs) -> None:
    from econ.sources import SourceUnavailable

    try:
        batch = fetch(*args, **kwargs)
    except SourceUnavailable as err:
        fail(str(err))
    except InputError as err:
        _fail_input(err)
    _store([batch], json_output)


CountryOpt = Annotated[list[str], typer.Option("--country", "-c", help="ISO3 code; repeat for several")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print the summary as JSON")]


@fetch_app.command("worldbank")
def fetch_worldbank(
    indicator: Annotated[list[str], typer.Option(
        "--indicator", "-i", help="our code or a WDI code, e.g. gdp_growth or NY.GDP.MKTP.KD.ZG",
    )] = ["gdp_growth", "inflation"],  # noqa: B006
    country: CountryOpt = ["BEN", "BFA", "CIV", "GNB", "MLI", "NER", "SEN", "TGO"],  # noqa: B006
    start: Annotated[int, typer.Option(help="first year")] = 1990,
    end: Annotated[int, typer.Option(help="last year")] = 2025,
    json_output: JsonOpt = False,
) -> None:
    """World Development Indicators through the World Bank API."""
    from econ.sources import worldbank

    _fetched(worldbank.fetch, indicator, country, start, end, json_output=json_output)


@fetch_app.command("imf")
def fetch_imf(
    indicator: Annotated[list[str], typer.Option(
        "--indicator", "-i", help="our code or a DataMapper code, e.g. NGDP_RPCH",
    )] = ["gdp_growth", "inflation", "fiscal_balance", "public_debt"],  # noqa: B006
    country: CountryOpt = ["BEN", "BFA", "CIV", "GNB", "MLI", "NER", "SEN", "TGO"],  # noqa: B006
    json_output: JsonOpt = False,
) -> None:
    """IMF DataMapper (WEO): actual years as observations, later years as IMF projections."""
    from econ.sources import imf

    _fetched(imf.fetch, indicator, country, json_output=json_output)


@fetch_app.command("wb-inflation")
def fetch_wb_inflation(json_output: JsonOpt = False) -> None:
    """The World Bank Global Inflation Database workbook: monthly CPI for about 200 countries."""
    from econ.sources import wb_inflation

    _fetched(wb_inflation.fetch, json_output=json_output)


@fetch_app.command("imf-cpi")
def fetch_imf_cpi(
    country: CountryOpt = ["BEN", "BFA", "CIV", "GNB", "MLI", "NER", "SEN", "TGO"],  # noqa: B006
    start: Annotated[int, typer.Option(help="first year (YYYY)")] = 1990,
    json_output: JsonOpt = False,
) -> None:
    """The IMF's CPI dataset (SDMX, data.imf.org): the monthly all-items index as cpi."""
    from econ.sources import imf_cpi

    def fetch(countries: list[str], first: int):
        batch = imf_cpi.fetch(countries, first)
        if batch.skipped and not json_output:
            left_out = "; ".join(f"{what}: {n}" for what, n in batch.skipped.items())
            console.print(f"IMF CPI: left out {left_out}", highlight=False, soft_wrap=True)
        return batch

    _fetched(fetch, country, start, json_output=json_output)


@app.command("series")
def series_command(json_output: JsonOpt = False) -> None:
    """Every stored series: country, indicator, frequency, unit, first, last, count."""
    from econ.store.repository import series

    frame = series(get_engine())
    if json_output:
        print_json(frame.to_dict(orient="records"))
        return
    headers = ("country", "indicator", "freq.", "first", "last", "count")
    table = Table(*(Column(h, no_wrap=True, min_width=len(h)) for h in headers))
    table.add_column("unit", overflow="ellipsis", no_wrap=True, max_width=12)
    for r in frame.itertuples():
        table.add_row(r.country, r.indicator, r.frequency, r.first, r.last, str(r.count), r.unit or "")
    console.print(table)
    console.print(f"{len(frame)} series", highlight=False)


@app.command("observations")
def observations_command(
    country: Annotated[str, typer.Option("--country", "-c", help="ISO3 code or name")],
    indicator: Annotated[str, typer.Option("--indicator", "-i", help="indicator code")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="DATE (end of that day) or ISO TIMESTAMP")] = None,
    json_output: JsonOpt = False,
) -> None:
    """The values of one series as known at a date (default: now)."""
    from econ.countries import resolve
    from econ.schema import INDICATORS
    from econ.store.repository import none_known, observations, parse_as_of

    code = resolve(country) or fail(f"unknown country {country!r}", code=2)
    if indicator not in INDICATORS:
        fail(f"unknown indicator {indicator!r}; known: {', '.join(INDICATORS)}", code=2)
    try:
        moment = parse_as_of(as_of)
    except ValueError:
        fail(f"--as-of {as_of!r} is neither a date (2025-01-31) nor an ISO timestamp", code=2)
    engine = get_engine()
    frame = observations(engine, code, indicator, moment)
    if frame.empty and not json_output:
        console.print(none_known(engine, code, indicator, moment), highlight=False, soft_wrap=True)
        return
    if json_output:
        data = [{"period": r.period, "value": r.value} for r in frame.itertuples()]
        print_json({"country": code, "indicator": indicator, "as_of": moment, "data": data})
        return
    _print_observations(frame, code, indicator, moment)


def _print_observations(frame, code: str, indicator: str, moment) -> None:
    table = Table(*(Column(h, no_wrap=True) for h in ("period", "value", "vintage")))
    table.add_column("source", overflow="ellipsis", no_wrap=True, max_width=40)
    for r in frame.itertuples():
        table.add_row(r.period, f"{r.value:g}", _vintage_text(r.vintage), _text(r.source)[:60])
    console.print(table)
    span = f"{frame['period'].iloc[0]}–{frame['period'].iloc[-1]}"
    console.print(f"{code} {indicator}: {len(frame)} values, {span}", highlight=False)


def _text(value) -> str:
    """A text cell as read from the store: NaN or None (a figure loaded without it) is empty."""
    return value if isinstance(value, str) else ""


def _vintage_text(vintage) -> str:
    """A publication date as its day (it stands for the end of that day); a load moment to the minute."""
    if (vintage.hour, vintage.minute, vintage.second, vintage.microsecond) == (23, 59, 59, 999999):
        return vintage.strftime("%Y-%m-%d")
    return vintage.strftime("%Y-%m-%d %H:%M")
