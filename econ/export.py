"""Charts and figures as files: PNG, SVG and PDF charts, CSV and Excel tables.

Charts are the dashboard's own figures (``econ.charts``) rendered by one long-lived headless
Chromium per process (kaleido 1.x): starting a browser costs 2 to 5 s, an export through a
running one 0.2 to 0.4 s. Tables travel with their provenance (indicator, country, vintage,
run, sources) and are made safe to open in a spreadsheet:

- CSV is UTF-8 with a BOM (so Excel shows accents right). French files use ``;`` between
  fields and a decimal comma (``2,5``), which is what a French Excel expects; English files
  use ``,`` and a decimal point.
- A text cell that a spreadsheet would read as a formula (it starts with ``=``, ``+``, ``-``,
  ``@``, a tab, CR, LF or NUL) gets a leading ``'`` (OWASP's CSV injection advice), in CSV and
  Excel alike; numbers are left as numbers.
"""

from __future__ import annotations

import atexit
import io
import threading
import time
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from econ import countries
from econ.i18n import t
from econ.schema import INDICATORS
from econ.store.repository import data_vintage, observations, official_projections, parse_as_of, utcnow
from econ.store.runs import latest_forecast
from econ.version import code_version

CHART_FORMATS = ("png", "svg", "pdf")
DATA_FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "csv": "text/csv",  # Flask adds "; charset=utf-8"
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SLIDE_WIDTH, SLIDE_HEIGHT = 1200, 675  # 16:9, the size of a slide's picture
PNG_SCALE = 2  # a crisp picture on a projector or in a printed note
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


class ExportError(RuntimeError):
    """A chart could not be rendered (no browser, or the browser died): a service problem, not the user's."""


class SeriesNotFound(LookupError):
    """Nothing is stored for this country and indicator (as of the date asked)."""


# --- the export browser ---------------------------------------------------------------------


class ExportBrowser:
    """One headless Chromium per process, started on first use and stopped at exit.

    kaleido's sync server runs the browser in a thread fed by a queue; its ``call_function``
    is not safe for two callers at once (answers could cross) and waits forever if the browser
    thread has died (say Chromium is missing), so calls go one at a time under a lock and a
    watchdog turns a dead browser thread into an ExportError. A render that hangs is ended by
    kaleido itself after ``timeout`` seconds.
    """

    def __init__(self, timeout: float = 90.0) -> None:
        self.timeout = timeout
        self._lock = threading.Lock()
        self.started_at: float | None = None

    def render(self, figure, fmt: str, width: int = SLIDE_WIDTH, height: int = SLIDE_HEIGHT, scale: float = 1) -> bytes:
        """The figure as ``fmt`` bytes (png, svg or pdf)."""
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        with self._lock:
            self._start()
            return self._call(figure, opts)

    def _start(self) -> None:
        import kaleido

        if kaleido._global_server.is_running() and self._server_thread().is_alive():
            return
        _require_browser()
        kaleido.stop_sync_server(silence_warnings=True)  # a dead one is reset before a new start
        # mathjax=False: MathJax would be fetched from a CDN (and setting it on plotly.io is ignored)
        kaleido.start_sync_server(mathjax=False, timeout=self.timeout, silence_warnings=True)
        if self.started_at is None:
            atexit.register(self.stop)
        self.started_at = time.monotonic()

    @staticmethod
    def _server_thread() -> threading.Thread:
        import kaleido

        return kaleido._global_server._thread  # kaleido keeps no public handle on it

    def _call(self, figure, opts: dict) -> bytes:
        """``calc_fig_sync`` in a helper thread, so a dead browser is an error rather than a hang."""
        import kaleido

        result: dict = {}

        def work() -> None:
            try:
                result["value"] = kaleido.calc_fig_sync(figure, opts=opts)
            except Exception as err:  # noqa: BLE001 - handed to the caller below
                result["error"] = err

        helper = threading.Thread(target=work, name="econ-export", daemon=True)
        helper.start()
        while helper.is_alive():
            helper.join(0.05)
            if helper.is_alive() and not self._server_thread().is_alive():
                raise ExportError("the chart export browser stopped (is Chromium installed? see BROWSER_PATH)")
        if "error" in result:
            raise ExportError(f"chart export failed: {result['error']}") from result["error"]
        return result["value"]

    def stop(self) -> None:
        import kaleido

        with self._lock:
            kaleido.stop_sync_server(silence_warnings=True)


def _require_browser() -> None:
    """Looks for Chromium as kaleido will (BROWSER_PATH, then PATH), so a missing one is a clear error."""
    from choreographer.browsers.chromium import Chromium

    path = Chromium.find_browser(skip_local=False)
    if not path or not Path(path).is_file():
        raise ExportError(
            f"no Chromium found for chart export (looked at {path or 'PATH'}): install Debian's chromium or set BROWSER_PATH"
        )


_BROWSER = ExportBrowser()


def export_browser() -> ExportBrowser:
    """The process's export browser (shared by the API, the downloads and the CLI)."""
    return _BROWSER


# --- charts ---------------------------------------------------------------------------------


def figure_bytes(figure, fmt: str) -> bytes:
    """A figure sized for a slide; PNG at twice the pixels for sharpness."""
    if fmt not in CHART_FORMATS:
        raise ValueError(f"chart format must be one of {', '.join(CHART_FORMATS)}, not {fmt!r}")
    scale = PNG_SCALE if fmt == "png" else 1
    return export_browser().render(figure, fmt, scale=scale)


def check_series(engine: Engine, country: str, indicator: str, as_of=None) -> pd.DataFrame:
    """The series' observations as of ``as_of``; SeriesNotFound when there are none."""
    frame = observations(engine, country, indicator, as_of)
    if frame.empty:
        when = f" as of {as_of}" if as_of else ""
        raise SeriesNotFound(f"no {indicator} figures are stored for {country}{when}")
    return frame


def chart_bytes(engine: Engine, country: str, indicator: str, fmt: str, lang: str = "fr", as_of=None) -> bytes:
    """The chart the dashboard shows for this series, as a PNG, SVG or PDF file's bytes."""
    from econ import charts

    check_series(engine, country, indicator, as_of)
    view = charts.indicator_view(engine, country, indicator, as_of=as_of)
    return figure_bytes(charts.indicator_figure(view, lang=lang), fmt)


def write_chart(
    path, engine: Engine, country: str, indicator: str, fmt: str | None = None, lang: str = "fr", as_of=None
) -> int:
    """Writes the chart to ``path`` (format from its suffix unless given); returns the bytes written."""
    fmt = fmt or Path(path).suffix.lstrip(".").lower()
    data = chart_bytes(engine, country, indicator, fmt, lang=lang, as_of=as_of)
    Path(path).write_bytes(data)
    return len(data)


SCENARIO_INDICATOR = "gdp_growth"  # the series a gold path moves (econ.forecast.scenario)


def scenario_view(engine: Engine, country: str, gold_path: dict[str, float]):
    """The growth view and its projection under ``gold_path`` (year -> tonnes), as the Scenarios page draws them.

    SeriesNotFound when no growth is stored; LookupError when the run has no growth-on-gold model;
    ValueError when the path cannot be used (``econ.forecast.scenario``).
    """
    from econ import charts, forecast

    check_series(engine, country, SCENARIO_INDICATOR)
    view = charts.indicator_view(engine, country, SCENARIO_INDICATOR)
    return view, forecast.scenario(engine, country, {str(k): float(v) for k, v in gold_path.items()})


def scenario_chart_bytes(engine: Engine, country: str, gold_path: dict[str, float], fmt: str, lang: str = "fr") -> bytes:
    """The Scenarios page's chart (``econ.charts.scenario_figure``) for this gold path, as PNG, SVG or PDF bytes."""
    from econ import charts

    if fmt not in CHART_FORMATS:  # before any model is read or browser started
        raise ValueError(f"chart format must be one of {', '.join(CHART_FORMATS)}, not {fmt!r}")
    view, result = scenario_view(engine, country, gold_path)
    return figure_bytes(charts.scenario_figure(view, result, lang), fmt)


def scenario_data(engine: Engine, country: str, gold_path: dict[str, float], lang: str = "fr") -> tuple[pd.DataFrame, dict]:
    """The scenario chart's data twin (``econ.charts.scenario_table``) and its provenance, the gold path included."""
    from econ import charts

    view, result = scenario_view(engine, country, gold_path)
    path = "; ".join(f"{year}: {tonnes:g}" for year, tonnes in sorted((str(k), float(v)) for k, v in gold_path.items()))
    metadata = {**view_provenance(view, lang), _pick(META_LABELS["gold_path"], lang): path}
    return charts.scenario_table(view, result, lang), metadata


def file_name(country: str, indicator: str, ext: str, day: date | None = None) -> str:
    """``econ_MLI_inflation_2026-11-29.png``: what, where and when, sortable in a folder."""
    return f"econ_{country}_{indicator}_{(day or utcnow().date()).isoformat()}.{ext}"


# --- tables ---------------------------------------------------------------------------------

DATA_COLUMNS = [
    "country", "country_name", "indicator", "indicator_label", "unit", "period", "kind", "value",
    "lower_80", "upper_80", "lower_95", "upper_95", "p_breach", "source", "reference", "note", "vintage", "run_id", "model",
]
OWN_HEADERS = {  # (fr, en); the other headers come from econ.i18n, as in the chart's data twin
    "country": ("Code pays", "Country code"),
    "indicator": ("Code indicateur", "Indicator code"),
    "reference": ("Référence", "Reference"),
    "note": ("Note", "Note"),
    "vintage": ("Millésime (UTC)", "Vintage (UTC)"),
    "run_id": ("Exécution de prévision", "Forecast run"),
}
I18N_HEADERS = {"country_name": "col_country", "indicator_label": "col_indicator"}
KINDS = {"actual": "kind_history", "official": "kind_official", "model": "kind_projection"}
KIND_ORDER = {k: i for i, k in enumerate(KINDS)}


def _pick(pair: tuple[str, str], lang: str) -> str:
    """(French, English), the order econ.i18n uses."""
    return pair[0] if lang == "fr" else pair[1]


def data_frame(engine: Engine, country=None, indicator=None, lang: str = "fr", as_of=None) -> pd.DataFrame:
    """Every figure behind the filters, one row each, with headers in ``lang``.

    Observations as known at ``as_of``, the official projections published by then and the
    projection of the latest run made by then, each row with its source, so a figure in a
    note can be traced back.
    """
    return localize(_data_rows(engine, country, indicator, parse_as_of(as_of)), lang)


def _data_rows(engine: Engine, country, indicator, moment: datetime | None) -> pd.DataFrame:
    actual = observations(engine, country, indicator, moment).assign(kind="actual")
    parts = [actual, _official_rows(engine, country, indicator, moment), _model_rows(engine, actual, moment)]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=DATA_COLUMNS)
    frame = pd.concat([p.reindex(columns=DATA_COLUMNS) for p in parts], ignore_index=True)
    frame = frame.assign(order=frame["kind"].map(KIND_ORDER))
    return frame.sort_values(["country", "indicator", "period", "order"], kind="stable").drop(columns="order")


def _official_rows(engine: Engine, country, indicator, moment) -> pd.DataFrame:
    frame = official_projections(engine, country, indicator, moment)
    source = frame["publisher"].astype(str) + ", " + frame["published"].astype(str)
    return frame.rename(columns={"target_period": "period"}).assign(kind="official", source=source)


def _model_rows(engine: Engine, actual: pd.DataFrame, moment) -> pd.DataFrame:
    """The chosen projection of the latest run made by ``moment``, for each series in ``actual``."""
    frames = []
    for country, indicator in actual[["country", "indicator"]].drop_duplicates().itertuples(index=False):
        stored = latest_forecast(engine, country, indicator, before=moment)
        if stored is None:
            continue
        checks = stored.norm_checks.drop_duplicates("period")[["period", "p_breach"]]
        points = stored.chosen().merge(checks, on="period", how="left")
        frames.append(points.rename(columns={"mean": "value"}).assign(
            country=country, indicator=indicator, kind="model", run_id=stored.run["id"],
            source=f"econ, run {stored.run['id']} ({stored.model})", vintage=stored.run["data_vintage"],
        ))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=DATA_COLUMNS)


def localize(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Names, labels, kinds and headers in the reader's language; codes kept beside the names."""
    frame = rows.reindex(columns=DATA_COLUMNS).copy()
    frame["country_name"] = frame["country"].map(lambda c: countries.name(c, lang))
    frame["indicator_label"] = frame["indicator"].map(lambda i: INDICATORS[i].label(lang))
    canonical = frame["indicator"].map(lambda i: INDICATORS[i].unit_label(lang))
    # stored units are written in English: a French reader gets the indicator's French unit
    frame["unit"] = canonical if lang == "fr" else frame["unit"].fillna(canonical)
    frame["kind"] = frame["kind"].map(lambda k: t(KINDS[k], lang))
    frame["run_id"] = frame["run_id"].astype("Int64")
    frame["vintage"] = pd.to_datetime(frame["vintage"])
    return frame.rename(columns={c: header(c, lang) for c in DATA_COLUMNS}).reset_index(drop=True)


def header(column: str, lang: str) -> str:
    if column in OWN_HEADERS:
        return _pick(OWN_HEADERS[column], lang)
    return t(I18N_HEADERS.get(column, f"col_{column}"), lang)


# --- provenance -----------------------------------------------------------------------------

META_LABELS = {  # (fr, en), as in econ.i18n
    "indicator": ("Indicateur", "Indicator"),
    "country": ("Pays", "Country"),
    "as_of": ("Données connues au", "Data as known on"),
    "vintage": ("Millésime des données (UTC)", "Data vintage (UTC)"),
    "run": ("Exécution de prévision", "Forecast run"),
    "sources": ("Sources", "Sources"),
    "licence": ("Licence", "Licence"),
    "exported": ("Exporté le (UTC)", "Exported (UTC)"),
    "software": ("Produit par", "Produced by"),
    "gold_path": ("Scénario : production d'or (t)", "Scenario: gold production (t)"),
}
LATEST = ("dernières données", "latest data")
LICENCE = (
    "Chaque chiffre reste soumis aux conditions de sa source (ci-dessus) ; "
    "les projections econ sont réutilisables en la citant.",
    "Each figure remains under the terms of its source (listed above); the econ projections may be reused with that citation.",
)


def _stamp(moment) -> str:
    return pd.Timestamp(moment).strftime("%Y-%m-%d %H:%M:%S") if moment is not None and not pd.isna(moment) else "-"


def _labelled(values: dict, lang: str) -> dict[str, str]:
    """The Sources sheet's rows in ``lang``, with the licence, export time and code version added."""
    values = {**values, "licence": _pick(LICENCE, lang), "exported": _stamp(utcnow()), "software": f"econ {code_version()}"}
    return {_pick(META_LABELS[k], lang): v for k, v in values.items()}


def _named(codes, name) -> str:
    return ", ".join(f"{name(c)} [{c}]" for c in sorted(set(codes)))


def provenance(engine: Engine, rows: pd.DataFrame, lang: str = "fr", as_of=None) -> dict[str, str]:
    """What a bulk export's Sources sheet says: which series, which data (vintage), which runs, whose figures."""
    moment = parse_as_of(as_of)
    runs = sorted({int(r) for r in rows["run_id"].dropna()})
    sources = sorted({str(s) for s in rows.loc[rows["kind"] != "model", "source"].dropna() if s})
    return _labelled({
        "indicator": _named(rows["indicator"], lambda i: INDICATORS[i].label(lang)),
        "country": _named(rows["country"], lambda c: countries.name(c, lang)),
        "as_of": _stamp(moment) if moment else _pick(LATEST, lang),
        "vintage": _stamp(data_vintage(engine, moment)),
        "run": ", ".join(map(str, runs)) or "-",
        "sources": "; ".join(sources) or "-",
    }, lang)


def view_provenance(view, lang: str = "fr") -> dict[str, str]:
    """A chart's Sources sheet, read off the view it was drawn from (so the two cannot disagree)."""
    from econ import charts

    publications = view.official[["publisher", "published"]].drop_duplicates().itertuples(index=False)
    sources = [*view.sources, *(f"{p}, {d}" for p, d in publications)]
    return _labelled({
        "indicator": _named([view.indicator], lambda i: INDICATORS[i].label(lang)),
        "country": _named([view.country], lambda c: countries.name(c, lang)),
        "as_of": _stamp(view.as_of) if view.as_of else _pick(LATEST, lang),
        "vintage": _stamp(view.vintage),
        "run": charts.run_text(view, lang),
        "sources": "; ".join(sources) or "-",
    }, lang)


def series_table(engine: Engine, country: str, indicator: str, lang: str = "fr", as_of=None) -> tuple[pd.DataFrame, dict]:
    """The chart's data twin: exactly the figures plotted (``econ.charts.figure_table``) and their provenance."""
    from econ import charts

    check_series(engine, country, indicator, as_of)
    view = charts.indicator_view(engine, country, indicator, as_of=as_of)
    return charts.figure_table(view, lang=lang), view_provenance(view, lang)


# --- writers --------------------------------------------------------------------------------


def _escape_cell(value):
    """A text that a spreadsheet would run as a formula gets a leading ``'``; anything else is kept."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Every text cell and header made inert; numeric, boolean and date columns untouched."""
    out = frame.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype)):
            out[column] = out[column].map(_escape_cell).astype(object)
    out.columns = [_escape_cell(str(c)) for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame, lang: str = "fr") -> bytes:
    """UTF-8 with a BOM; French: ``;`` and decimal comma, English: ``,`` and decimal point."""
    sep, decimal = (";", ",") if lang == "fr" else (",", ".")
    text = escape_formulas(frame).to_csv(
        index=False, sep=sep, decimal=decimal, lineterminator="\r\n", date_format="%Y-%m-%d %H:%M:%S"
    )
    return ("\ufeff" + text).encode("utf-8")


def write_csv(frame: pd.DataFrame, path_or_buffer, lang: str = "fr") -> int:
    """Writes the CSV to a path or a binary buffer; returns the bytes written."""
    return _write(csv_bytes(frame, lang), path_or_buffer)


def _write(data: bytes, path_or_buffer) -> int:
    if isinstance(path_or_buffer, (str, Path)):
        Path(path_or_buffer).write_bytes(data)
    else:
        path_or_buffer.write(data)
    return len(data)


def _cell(value):
    """A value openpyxl stores with the right type: numbers as numbers, gaps as empty cells."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", _escape_cell(value))
    return value


def _sheet_title(name: str) -> str:
    """Excel refuses ``[]:*?/\\`` in sheet names and more than 31 characters."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in name).strip()
    return (cleaned or "Data")[:31]


def _fill(sheet, header: list | None, rows) -> None:
    """Rows of typed cells under a bold, frozen header (a bold first column when there is none)."""
    from openpyxl.styles import Font

    if header is not None:
        sheet.append([_cell(str(h)) for h in header])
        sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([_cell(v) for v in row])
    for cell in sheet[1] if header is not None else sheet["A"]:
        cell.font = Font(bold=True)
    for letter, width in zip((c.column_letter for c in sheet[1]), _widths(sheet)):
        sheet.column_dimensions[letter].width = width


def _widths(sheet) -> list[float]:
    widths = [0] * sheet.max_column
    for row in sheet.iter_rows(max_row=min(sheet.max_row, 200)):
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(str(cell.value)) if cell.value is not None else 0)
    return [min(max(w + 2, 8), 80) for w in widths]


def write_xlsx(frame: pd.DataFrame, path_or_buffer, sheet_name: str = "Données", metadata: dict | None = None) -> int:
    """An Excel workbook: the figures on the first sheet, their provenance on a "Sources" sheet."""
    from openpyxl import Workbook

    book = Workbook()
    _fill(book.active, list(frame.columns), frame.itertuples(index=False, name=None))
    book.active.title = _sheet_title(sheet_name)
    if metadata:
        _fill(book.create_sheet("Sources"), None, metadata.items())
    buffer = io.BytesIO()
    book.save(buffer)
    return _write(buffer.getvalue(), path_or_buffer)


def export_data(
    engine: Engine, path_or_buffer, fmt: str, country=None, indicator=None, lang: str = "fr", as_of=None
) -> dict:
    """``econ export data``: writes the figures behind the filters; returns what was written."""
    rows = _data_rows(engine, country, indicator, parse_as_of(as_of))
    if rows.empty:
        raise SeriesNotFound("no stored figures match these filters")
    frame = localize(rows, lang)
    size = _write(table_bytes(frame, fmt, lang, provenance(engine, rows, lang, as_of)), path_or_buffer)
    return {"rows": len(frame), "series": int(rows[["country", "indicator"]].drop_duplicates().shape[0]), "bytes": size}


def table_bytes(
    frame: pd.DataFrame, fmt: str, lang: str = "fr", metadata: dict | None = None, sheet_name: str | None = None
) -> bytes:
    """The table as a CSV or Excel file's bytes (for the download route)."""
    buffer = io.BytesIO()
    if fmt == "csv":
        write_csv(frame, buffer, lang)
    elif fmt == "xlsx":
        write_xlsx(frame, buffer, sheet_name or ("Données" if lang == "fr" else "Data"), metadata)
    else:
        raise ValueError(f"data format must be one of {', '.join(DATA_FORMATS)}, not {fmt!r}")
    return buffer.getvalue()
