"""Data twins: exactly the figures a chart draws, one row each, with their source; headers in the reader's language.

Numbers stay numbers (so a spreadsheet can compute with them) and unrounded here; the export
writers round them as shown and keep the exact values beside them (``econ.export``).
"""

from __future__ import annotations

import pandas as pd

from econ.charts.labels import run_text
from econ.charts.view import IndicatorView
from econ.i18n import N_, lang_or_default, t
from econ.terms import country_name, indicator_label, publisher_name, source_text, unit_label

TABLE_KEYS = ["country", "indicator", "unit", "kind", "period", "value", "lower_80", "upper_80", "lower_95", "upper_95",
              "p_breach", "publisher", "published", "source"]
NUMBER_KEYS = ("value", "lower_80", "upper_80", "lower_95", "upper_95")
HEADERS = {  # one header per column key, for the data twins and the bulk export alike
    "country": N_("Pays"),
    "country_code": N_("Code pays"),
    "indicator": N_("Indicateur"),
    "indicator_code": N_("Code indicateur"),
    "unit": N_("Unité"),
    "kind": N_("Nature"),
    "period": N_("Période"),
    "value": N_("Valeur"),
    "lower_80": N_("Borne basse 80 %"),
    "upper_80": N_("Borne haute 80 %"),
    "lower_95": N_("Borne basse 95 %"),
    "upper_95": N_("Borne haute 95 %"),
    "p_breach": N_("Probabilité de dépassement (%)"),
    "publisher": N_("Éditeur"),
    "published": N_("Publiée le"),
    "source": N_("Source"),
    "reference": N_("Référence"),
    "note": N_("Note"),
    "vintage": N_("Millésime (UTC)"),
    "run_id": N_("Exécution de prévision"),
    "model": N_("Modèle"),
}
KINDS = {
    "actual": N_("observé"),
    "model": N_("projection"),
    "official": N_("projection officielle"),
    "baseline": N_("projection de référence"),
    "scenario": N_("scénario"),
    "yoy": N_("glissement annuel"),
    "average_12m": N_("moyenne sur 12 mois"),
}


def header(key: str, lang: str = "fr") -> str:
    return t(HEADERS[key], lang)


def kind(key: str, lang: str = "fr") -> str:
    return t(KINDS[key], lang)


def figure_table(view: IndicatorView, lang: str = "fr") -> pd.DataFrame:
    """Exactly the figures the chart draws, one row each, with their source; headers in ``lang``."""
    lang = lang_or_default(lang)
    return finish(view.country, view.indicator,
                  [history_rows(view, lang), projection_rows(view, lang), official_rows(view, lang)], lang)


def scenario_table(view: IndicatorView, scenario: pd.DataFrame | None, lang: str = "fr",
                   gold_path: dict[str, float] | None = None) -> pd.DataFrame:
    """The scenario chart's data twin: history, the baseline projection, the official projections and the
    scenario's path, one row each, its source naming the gold path assumed; headers in ``lang``."""
    from econ.charts.scenario import path_words

    lang = lang_or_default(lang)
    parts = [history_rows(view, lang), projection_rows(view, lang, "baseline"), official_rows(view, lang)]
    if scenario is not None and len(scenario):
        source = t("econ — scénario, {run}", lang, run=run_text(view, lang)) + path_words(gold_path or {}, lang)
        parts.append(scenario.rename(columns={"mean": "value"}).assign(kind=kind("scenario", lang), source=source))
    return finish(view.country, view.indicator, parts, lang)


def finish(country: str | None, indicator: str, parts: list[pd.DataFrame], lang: str, label: str | None = None
           ) -> pd.DataFrame:
    """The rows in the twins' column order, names in ``lang``, numbers as floats, headers translated.

    ``country`` None keeps each row's own country (a comparison of several members); ``label`` names
    what is measured when it is not the indicator itself (monthly inflation from the CPI)."""
    frame = pd.concat([p for p in parts if len(p)] or [pd.DataFrame(columns=TABLE_KEYS)], ignore_index=True)
    frame = frame.reindex(columns=TABLE_KEYS)
    if country is not None:
        frame["country"] = country_name(country, lang)
    frame["indicator"] = label or indicator_label(indicator, lang)
    frame["unit"] = unit_label(indicator, lang)
    frame["p_breach"] = pd.to_numeric(frame["p_breach"], errors="coerce") * 100
    frame = frame.astype({k: "float64" for k in (*NUMBER_KEYS, "p_breach")})
    frame["period"] = frame["period"].astype(str)
    return frame.rename(columns={k: header(k, lang) for k in TABLE_KEYS})


def history_rows(view, lang: str) -> pd.DataFrame:
    return view.history.assign(kind=kind("actual", lang), source=[source_text(s, lang) for s in view.history["source"]])


def projection_rows(view, lang: str, what: str = "model") -> pd.DataFrame:
    p = view.projection.rename(columns={"mean": "value"})
    return p.assign(kind=kind(what, lang), source=f"econ — {run_text(view, lang)}")


def official_rows(view, lang: str) -> pd.DataFrame:
    o = view.official.rename(columns={"target_period": "period", "reference": "source"})
    return o.assign(kind=kind("official", lang), publisher=[publisher_name(p, lang) for p in o["publisher"]])
