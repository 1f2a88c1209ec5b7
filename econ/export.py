"""Charts and figures as files: PNG, SVG and PDF charts, CSV and Excel tables, in the reader's language.

Charts are the dashboard's own figures (``econ.charts``) rendered by one long-lived headless
Chromium per process with a few tabs (``econ.browser``): starting a browser costs 2 to 5 s, an
export through a running one 0.2 to 0.4 s. A PDF carries the chart's title and language in its metadata, an SVG
its title. Tables travel with their provenance (indicator, country, vintage, run, sources),
figures rounded as shown and the exact values beside them (``econ.spreadsheet``). File names
say what, where, when and in which language (``file_name``), so a French and an English
download of one chart never overwrite each other.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from econ.browser import ExportBrowser, ExportError, export_browser  # noqa: F401 - part of this module's interface
from econ.charts.labels import newer_text
from econ.charts.tables import NUMBER_KEYS, header, kind
from econ.i18n import N_, lang_or_default, semicolon, t
from econ.spreadsheet import (  # noqa: F401 - part of this module's interface
    FORMULA_STARTS,
    Columns,
    csv_bytes,
    escape_formulas,
    with_exact_columns,
    write,
    write_xlsx,
)
from econ.store.repository import data_vintage, observations, official_projections, parse_as_of, utcnow
from econ.store.runs import latest_forecast
from econ.terms import country_name, indicator_label, publisher_name, slug, source_text, unit_label
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


class SeriesNotFound(LookupError):
    """Nothing is stored for this country and indicator (as of the date asked)."""


# --- charts ---------------------------------------------------------------------------------


def chart_size(fmt: str) -> tuple[int, int, float]:
    """Width, height and scale of a chart file: a slide's size; PNG at twice the pixels for sharpness."""
    return SLIDE_WIDTH, SLIDE_HEIGHT, PNG_SCALE if fmt == "png" else 1


def figure_bytes(figure, fmt: str) -> bytes:
    """A figure sized for a slide (``chart_size``); a PDF titled in its language."""
    if fmt not in CHART_FORMATS:
        raise ValueError(f"chart format must be one of {', '.join(CHART_FORMATS)}, not {fmt!r}")
    width, height, scale = chart_size(fmt)
    data = export_browser().render(figure, fmt, width, height, scale)
    meta = _figure_meta(figure)
    if fmt == "pdf":
        return pdf_titled(data, meta.get("title", ""), meta.get("lang", "fr"))
    if fmt == "svg":
        return svg_titled(data, meta.get("title", ""))
    return data


def _figure_meta(figure) -> dict:
    layout = figure.get("layout", {}) if isinstance(figure, dict) else figure.to_plotly_json().get("layout", {})
    meta = layout.get("meta") or {}
    return meta if isinstance(meta, dict) else {}


def pdf_titled(data: bytes, title: str, lang: str) -> bytes:
    """The PDF with the chart's title and language in its metadata (Chromium writes its page's title,
    "Kaleido-fier", otherwise)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.add_metadata({"/Title": title, "/Author": "econ", "/Subject": title, "/Creator": f"econ {code_version()}"})
    writer._root_object[NameObject("/Lang")] = TextStringObject(lang)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def svg_titled(data: bytes, title: str) -> bytes:
    """The SVG with a ``<title>`` (what a screen reader and a file browser show)."""
    from html import escape

    text = data.decode("utf-8")
    start = text.find(">", text.find("<svg")) + 1
    if not title or start <= 0:
        return data
    return (text[:start] + f"<title>{escape(title)}</title>" + text[start:]).encode("utf-8")


def check_series(engine: Engine, country: str, indicator: str, as_of=None) -> pd.DataFrame:
    """The series' observations as of ``as_of``; SeriesNotFound when there are none. Inflation may be
    a monthly CPI's alone: the chart shows its annual averages (``econ.charts.view.with_cpi_years``)."""
    frame = observations(engine, country, indicator, as_of)
    if frame.empty and indicator == "inflation":
        frame = observations(engine, country, "cpi", as_of)
    if frame.empty:
        when = f" as of {as_of}" if as_of else ""
        raise SeriesNotFound(f"no {indicator} figures are stored for {country}{when}")
    return frame


def chart_bytes(engine: Engine, country: str, indicator: str, fmt: str, lang: str = "fr", as_of=None) -> bytes:
    """The chart the dashboard shows for this series, as a PNG, SVG or PDF file's bytes."""
    from econ import charts

    check_series(engine, country, indicator, as_of)
    view = charts.series_view(engine, country, indicator, as_of=as_of)
    return figure_bytes(charts.figure_of(view, lang), fmt)


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
    return figure_bytes(charts.scenario_figure(view, result, lang, gold_path=gold_path), fmt)


def scenario_data(engine: Engine, country: str, gold_path: dict[str, float], lang: str = "fr") -> tuple[pd.DataFrame, dict]:
    """The scenario chart's data twin (``econ.charts.scenario_table``) and its provenance, the gold path included."""
    from econ import charts

    view, result = scenario_view(engine, country, gold_path)
    path = "; ".join(f"{year}: {tonnes:g}" for year, tonnes in sorted((str(k), float(v)) for k, v in gold_path.items()))
    metadata = {**view_provenance(view, lang), t(META_LABELS["gold_path"], lang): path}
    return charts.scenario_table(view, result, lang, gold_path), metadata


def compare_view(engine: Engine, countries: list[str], indicator: str, as_of=None):
    """The Compare page's view; SeriesNotFound when none of the members has figures."""
    from econ import charts

    if not any(len(observations(engine, c, indicator, as_of)) for c in countries):
        raise SeriesNotFound(f"no {indicator} figures are stored for {', '.join(countries)}")
    return charts.compare_view(engine, countries, indicator, as_of)


def compare_chart_bytes(engine: Engine, countries: list[str], indicator: str, fmt: str, lang: str = "fr",
                        as_of=None) -> bytes:
    """The Compare page's chart: several members and the union on one chart."""
    from econ import charts

    return figure_bytes(charts.compare_figure_dict(compare_view(engine, countries, indicator, as_of), lang), fmt)


def compare_data(engine: Engine, countries: list[str], indicator: str, lang: str = "fr", as_of=None
                 ) -> tuple[pd.DataFrame, dict]:
    """Every series the Compare chart draws, and their provenance."""
    from econ import charts

    view = compare_view(engine, countries, indicator, as_of)
    members = [*view.members, *([view.union] if view.union else [])]
    sources = [s for m in members for s in m.sources]
    runs = sorted({m.run["id"] for m in view.members if m.run})
    vintages = [m.vintage for m in members if m.vintage is not None]
    metadata = _labelled({
        "indicator": _named([indicator], lambda i: indicator_label(i, lang)),
        "country": _named([m.country for m in members], lambda c: country_name(c, lang)),
        "as_of": _stamp(members[0].as_of) if members[0].as_of else t(LATEST, lang),
        "vintage": _stamp(max(vintages) if vintages else None),
        "run": ", ".join(map(str, runs)) or "-",
        "sources": "; ".join(dict.fromkeys(sources)) or "-",
    }, lang)
    return charts.compare_table(view, lang), metadata


def file_name(country: str, indicator: str, ext: str, day: date | None = None, lang: str = "fr",
              kind: str | None = None) -> str:
    """``econ_MLI_inflation-moyenne-annuelle_2026-11-29_fr.png``: what, where, when and in which language,
    sortable in a folder; the indicator's name in ``lang`` (``kind``: ``scenario`` or ``compare``, in words too)."""
    lang = lang_or_default(lang)
    words = [slug(indicator_label(indicator, lang)) or indicator]
    if kind:
        words.append(slug(t(FILE_KINDS[kind], lang)))
    return f"econ_{country}_{'_'.join(words)}_{(day or utcnow().date()).isoformat()}_{lang}.{ext}"


FILE_KINDS = {"scenario": N_("scénario"), "compare": N_("comparaison"), "monthly": N_("mensuel")}


def sheet_name(country: str, indicator: str, lang: str = "fr", kind: str | None = None) -> str:
    """The figures' sheet: ``MLI Inflation (moyenne annuelle)``, or ``MLI scénario`` (Excel keeps 31 characters)."""
    what = t(FILE_KINDS[kind], lang) if kind else indicator_label(indicator, lang)
    return f"{country} {what}"


# --- tables ---------------------------------------------------------------------------------

DATA_COLUMNS = [
    "country", "country_name", "indicator", "indicator_label", "unit", "period", "kind", "value",
    "lower_80", "upper_80", "lower_95", "upper_95", "p_breach", "source", "reference", "note", "vintage", "run_id", "model",
]
DATA_HEADERS = {"country": "country_code", "country_name": "country", "indicator": "indicator_code",
                "indicator_label": "indicator"}
KIND_ORDER = {k: i for i, k in enumerate(("actual", "official", "model"))}


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
    """Names, labels, kinds and headers in the reader's language; codes kept beside the names;
    probabilities in percent, as the pages show them."""
    frame = rows.reindex(columns=DATA_COLUMNS).copy()
    frame["country_name"] = frame["country"].map(lambda c: country_name(c, lang))
    frame["indicator_label"] = frame["indicator"].map(lambda i: indicator_label(i, lang))
    # stored units are written in English: other readers get the indicator's unit in their language
    canonical = frame["indicator"].map(lambda i: unit_label(i, lang))
    frame["unit"] = frame["unit"].fillna(canonical) if lang == "en" else canonical
    frame["kind"] = frame["kind"].map(lambda k: kind(k, lang))
    frame["p_breach"] = pd.to_numeric(frame["p_breach"], errors="coerce").astype("float64") * 100
    frame["run_id"] = frame["run_id"].astype("Int64")
    frame["vintage"] = pd.to_datetime(frame["vintage"])
    frame["period"] = frame["period"].astype(str)
    return frame.rename(columns={c: data_header(c, lang) for c in DATA_COLUMNS}).reset_index(drop=True)


def data_header(column: str, lang: str) -> str:
    return header(DATA_HEADERS.get(column, column), lang)


def columns(lang: str) -> Columns:
    """The twins' and the bulk export's figure, percentage and period columns, by their headers in ``lang``."""
    return Columns(numbers=[header(k, lang) for k in NUMBER_KEYS], percents=[header("p_breach", lang)],
                   periods=[header("period", lang), header("published", lang)], unrounded=t("non arrondi", lang))


# --- provenance -----------------------------------------------------------------------------

META_LABELS = {
    "indicator": N_("Indicateur"),
    "country": N_("Pays"),
    "as_of": N_("Données connues au"),
    "vintage": N_("Millésime des données (UTC)"),
    "run": N_("Exécution de prévision"),
    "sources": N_("Sources"),
    "licence": N_("Licence"),
    "exported": N_("Exporté le (UTC)"),
    "software": N_("Produit par"),
    "gold_path": N_("Scénario : production d'or (t)"),
}
LATEST = N_("dernières données")
LICENCE = N_("Chaque chiffre reste soumis aux conditions de sa source (ci-dessus) ; les projections econ sont "
             "réutilisables en la citant.")


def _stamp(moment) -> str:
    return pd.Timestamp(moment).strftime("%Y-%m-%d %H:%M:%S") if moment is not None and not pd.isna(moment) else "-"


def _labelled(values: dict, lang: str) -> dict[str, str]:
    """The Sources sheet's rows in ``lang``, with the licence, export time and code version added."""
    values = {**values, "licence": t(LICENCE, lang), "exported": _stamp(utcnow()), "software": f"econ {code_version()}"}
    return {t(META_LABELS[k], lang): v for k, v in values.items()}


def _named(codes, name) -> str:
    return ", ".join(f"{name(c)} [{c}]" for c in sorted(set(codes)))


def provenance(engine: Engine, rows: pd.DataFrame, lang: str = "fr", as_of=None) -> dict[str, str]:
    """What a bulk export's Sources sheet says: which series, which data (vintage), which runs, whose figures."""
    moment = parse_as_of(as_of)
    runs = sorted({int(r) for r in rows["run_id"].dropna()})
    sources = sorted({str(s) for s in rows.loc[rows["kind"] != "model", "source"].dropna() if s})
    return _labelled({
        "indicator": _named(rows["indicator"], lambda i: indicator_label(i, lang)),
        "country": _named(rows["country"], lambda c: country_name(c, lang)),
        "as_of": _stamp(moment) if moment else t(LATEST, lang),
        "vintage": _stamp(data_vintage(engine, moment)),
        "run": ", ".join(map(str, runs)) or "-",
        "sources": "; ".join(sources) or "-",
    }, lang)


def view_provenance(view, lang: str = "fr") -> dict[str, str]:
    """A chart's Sources sheet, read off the view it was drawn from (so the two cannot disagree)."""
    from econ import charts

    publications = view.official[["publisher", "published"]].drop_duplicates().itertuples(index=False)
    sources = [*(source_text(s, lang) for s in view.sources), *(f"{publisher_name(p, lang)}, {d}" for p, d in publications)]
    return _labelled({
        "indicator": _named([view.indicator], lambda i: indicator_label(i, lang)),
        "country": _named([view.country], lambda c: country_name(c, lang)),
        "as_of": _stamp(view.as_of) if view.as_of else t(LATEST, lang),
        "vintage": _stamp(view.vintage),
        "run": semicolon(lang).join(filter(None, (charts.run_text(view, lang), newer_text(view, lang)))),
        "sources": "; ".join(sources) or "-",
    }, lang)


def series_table(engine: Engine, country: str, indicator: str, lang: str = "fr", as_of=None) -> tuple[pd.DataFrame, dict]:
    """The chart's data twin: exactly the figures plotted (``econ.charts.table_of``) and their provenance."""
    from econ import charts

    check_series(engine, country, indicator, as_of)
    view = charts.series_view(engine, country, indicator, as_of=as_of)
    return charts.table_of(view, lang=lang), view_provenance(view, lang)


# --- files ----------------------------------------------------------------------------------


def write_csv(frame: pd.DataFrame, path_or_buffer, lang: str = "fr") -> int:
    """Writes the CSV (figures as shown, exact values in marked columns) to a path or a binary buffer."""
    return write(csv_bytes(with_exact_columns(frame, columns(lang)), lang), path_or_buffer)


def export_data(
    engine: Engine, path_or_buffer, fmt: str, country=None, indicator=None, lang: str = "fr", as_of=None
) -> dict:
    """``econ export data``: writes the figures behind the filters; returns what was written."""
    rows = _data_rows(engine, country, indicator, parse_as_of(as_of))
    if rows.empty:
        raise SeriesNotFound("no stored figures match these filters")
    frame = localize(rows, lang)
    size = write(table_bytes(frame, fmt, lang, provenance(engine, rows, lang, as_of)), path_or_buffer)
    return {"rows": len(frame), "series": int(rows[["country", "indicator"]].drop_duplicates().shape[0]), "bytes": size}


def table_bytes(
    frame: pd.DataFrame, fmt: str, lang: str = "fr", metadata: dict | None = None, sheet_name: str | None = None
) -> bytes:
    """The table as a CSV or Excel file's bytes: figures rounded as shown, the exact values beside them
    (extra columns in CSV, a second sheet in Excel), periods typed in Excel, sheet names in ``lang``."""
    lang = lang_or_default(lang)
    buffer = io.BytesIO()
    if fmt == "csv":
        write_csv(frame, buffer, lang)
    elif fmt == "xlsx":
        write_xlsx(frame, buffer, sheet_name or t("Données", lang), metadata, columns(lang),
                   exact_name=t("Valeurs exactes", lang), sources_name=t("Sources", lang))
    else:
        raise ValueError(f"data format must be one of {', '.join(DATA_FORMATS)}, not {fmt!r}")
    return buffer.getvalue()
