"""The convergence scorecard as display cells: each value marked against its norm, official projections beside.

``scorecard_cells`` turns ``econ.norms.scorecard`` into one row per (country, criterion, period)
with its mark; ``official_figures`` adds, for the same years, what the IMF and the national
authorities published last. The dashboard lays them out as countries by years; exports keep them long.
"""

from __future__ import annotations

import pandas as pd

from econ.i18n import fmt_percent, fmt_probability, lang_or_default
from econ.terms import country_name, fmt_value, indicator_label, is_national, publisher_name, unit_label

AMBER_FROM = 0.2  # a projection with at least this chance of breaching is flagged, even if its centre complies
RED_FROM = 0.5
SCORECARD_COLUMNS = ["country", "norm_code", "indicator", "comparison", "threshold", "label_fr", "label_en", "period",
                     "kind", "value", "lower_80", "upper_80", "p_breach", "compliant"]
CELL_COLUMNS = ["country", "country_name", "norm_code", "indicator", "criterion", "period", "kind", "value", "text",
                "p_breach", "status", "band"]


def norm_status(compliant: bool | None, p_breach: float | None = None) -> str:
    """``green``, ``amber``, ``red`` (or ``none``): the mark shown beside a value measured against a norm.

    A breach now is red unless the next year is likely back within the norm (amber); a value within the
    norm turns amber when the projection gives a real chance of breaching, red when breach is more likely than not.
    """
    p = None if p_breach is None or pd.isna(p_breach) else float(p_breach)
    known = compliant is not None and not pd.isna(compliant)
    if p is not None and p >= RED_FROM:
        return "red"
    if known and not compliant:
        return "red" if p is None else "amber"
    if p is not None and p >= AMBER_FROM:
        return "amber"
    return "green" if known or p is not None else "none"


def compliant(value: float | None, norm: dict | None) -> bool | None:
    if norm is None or value is None or pd.isna(value):
        return None
    ops = {"<=": value <= norm["threshold"], ">=": value >= norm["threshold"],
           "<": value < norm["threshold"], ">": value > norm["threshold"]}
    return bool(ops[norm["comparison"]])


def scorecard_cells(scorecard: pd.DataFrame | None, lang: str = "fr") -> pd.DataFrame:
    """The convergence scorecard as display cells: one row per (country, criterion, period), with its mark."""
    lang = lang_or_default(lang)
    if scorecard is None or scorecard.empty:
        return pd.DataFrame(columns=CELL_COLUMNS)
    frame = scorecard.copy()
    frame["country_name"] = [country_name(c, lang) for c in frame["country"]]
    frame["criterion"] = [indicator_label(i, lang) for i in frame["indicator"]]
    frame["text"] = [_cell_text(r, lang) for r in frame.itertuples()]
    frame["band"] = [_band(r, lang) for r in frame.itertuples()]
    frame["status"] = [
        norm_status(r.compliant, r.p_breach if r.kind == "projection" else None) for r in frame.itertuples()
    ]
    return frame[CELL_COLUMNS].reset_index(drop=True)


def short_value(indicator: str, value, lang: str) -> str:
    """A value in a table whose caption gives the unit: ``2,5 %`` for rates and shares of GDP alike."""
    return fmt_percent(value, lang) if unit_label(indicator, lang).startswith("%") else fmt_value(indicator, value, lang)


def _cell_text(row, lang: str) -> str:
    value = short_value(row.indicator, row.value, lang)
    if row.kind == "projection" and not pd.isna(row.p_breach):
        return f"{value} (p\u00a0=\u00a0{fmt_probability(row.p_breach, lang)})"
    return value


def _band(row, lang: str) -> str:
    if row.kind != "projection" or pd.isna(row.lower_80) or pd.isna(row.upper_80):
        return ""
    return f"{short_value(row.indicator, row.lower_80, lang)} – {short_value(row.indicator, row.upper_80, lang)}"


def official_figures(official: pd.DataFrame, lang: str = "fr") -> dict[tuple[str, str, str], list[str]]:
    """``{(country, indicator, period): ["FMI 2,5 %", "Gouvernement du Mali 2,0 %"]}``: for each year, the
    latest publication of the IMF and of the national authorities (other publishers are on the Data page)."""
    if official is None or official.empty:
        return {}
    keep = official[(official["publisher"] == "IMF") | official["publisher"].map(is_national)]
    keep = keep[keep["target_period"].astype(str).str.len() == 4]
    newest = keep.groupby(["country", "indicator", "publisher"])["published"].transform("max")
    keep = keep[keep["published"] == newest].sort_values(["publisher"], key=lambda s: s != "IMF", kind="stable")
    out: dict[tuple[str, str, str], list[str]] = {}
    for r in keep.itertuples():
        text = f"{publisher_name(r.publisher, lang)} {short_value(r.indicator, r.value, lang)}"
        out.setdefault((r.country, r.indicator, str(r.target_period)), []).append(text)
    return out
