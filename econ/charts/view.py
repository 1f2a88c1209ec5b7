"""``IndicatorView``: what one chart shows, read from the store as of a moment, in no language.

Reading is separate from drawing so that the dashboard, the download route and ``econ export``
draw the same thing; a view reads only and never fits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from sqlalchemy import select

from econ.charts.style import full_periods
from econ.schema import INDICATORS

PROJECTION_COLUMNS = ["period", "mean", "lower_80", "upper_80", "lower_95", "upper_95", "p_breach"]
OFFICIAL_VIEW_COLUMNS = ["publisher", "published", "target_period", "value", "reference"]
HISTORY_COLUMNS = ["period", "value", "source"]
CPI_YEARS = "econ, annual average of the monthly CPI ({source})"  # the source of an annual figure econ computed
MODEL_COLUMNS = ["model", "kind", "weight", "n", "mase", "mae", "versus_naive", "chosen"]


@dataclass
class IndicatorView:
    """What one chart shows, read from the store as of a moment; the same in every language."""

    country: str
    indicator: str
    history: pd.DataFrame  # period, value, source
    projection: pd.DataFrame  # period, mean, lower_80, upper_80, lower_95, upper_95, p_breach (maybe empty)
    official: pd.DataFrame  # publisher, published, target_period, value, reference
    norm: dict | None  # code, comparison, threshold, label_fr, label_en
    run: dict | None  # id, created_at, data_vintage, model
    vintage: datetime | None  # newest vintage among the figures shown
    as_of: datetime | None = None
    sources: list[str] = field(default_factory=list)
    models: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MODEL_COLUMNS))
    no_projection: dict | None = None  # why there is none: {"reason": no_run|skipped|not_covered|outdated, "run": id}
    explain: dict = field(default_factory=dict)  # year -> {econ, lead, parts: [{candidate, weight, forecast}]}
    official_skill: list = field(default_factory=list)  # econ against each publisher, matched information
    skill: dict = field(default_factory=dict)  # the econ projection's nested scores at the first year's lead
    calibration: dict = field(default_factory=dict)  # lead -> {source, errors, own_errors, scale, quantiles}
    pool_series: int | None = None  # series whose record weighs and calibrates this one (1: its own alone)
    cpi_behind: dict | None = None  # {cpi_end, last_year}: the monthly CPI stops before the last annual year
    newer_data: dict | None = None  # {figures, last}: the country's figures loaded after the run, unread by it

    @property
    def frequency(self) -> str:
        return INDICATORS[self.indicator].frequency

    @property
    def known_later(self) -> bool:
        """Asked for a date before the store knew the series: nothing to show but when it did."""
        return (self.no_projection or {}).get("reason") == "unknown_then"

    def latest(self) -> tuple[str, float] | None:
        """The last observed period and value."""
        if self.history.empty:
            return None
        row = self.history.iloc[-1]
        return str(row["period"]), float(row["value"])

    def next_breach(self) -> tuple[str, float] | None:
        """The first projected period and its probability of breaching the norm."""
        if self.norm is None or self.projection.empty or self.projection["p_breach"].isna().all():
            return None
        row = self.projection.dropna(subset=["p_breach"]).iloc[0]
        return str(row["period"]), float(row["p_breach"])

    def missing_periods(self) -> list[str]:
        """Years (or months) absent between the first and the last observation: the series' gaps."""
        known = set(self.history["period"].astype(str))
        return [p for p in full_periods(list(known), self.frequency) if p not in known]


# --- reading ----------------------------------------------------------------------------------


def indicator_view(engine, country: str, indicator: str, as_of=None) -> IndicatorView:
    """Everything one chart needs, as known at ``as_of`` (default: now). Reads only; never fits."""
    from econ.store import repository
    from econ.store.runs import latest_forecast, newer_than_run

    moment = repository.parse_as_of(as_of)
    obs = repository.observations(engine, country, indicator, moment)
    history = obs[HISTORY_COLUMNS].reset_index(drop=True)
    if indicator == "inflation":
        history = with_cpi_years(history, repository.observations(engine, country, "cpi", moment))
    norm = read_norm(engine, country, indicator)
    stored = latest_forecast(engine, country, indicator, before=moment)
    official = latest_official(repository.official_projections(engine, country, indicator, moment), history)
    vintage = obs["vintage"].max() if len(obs) else repository.data_vintage(engine, moment)
    projection = ahead_of(_projection(stored, norm), history)
    first = repository.first_vintage(engine, country, indicator) if history.empty and moment is not None else None
    if first is not None and first.at > moment:  # a date before the store knew the series: say when it did
        why = {"reason": "unknown_then", "first": first.at.date().isoformat(), "dated": first.dated}
    elif stored is None:
        why = why_no_projection(engine, country, indicator, moment)
    elif projection.empty:  # every year it projects is observed by now: an older run, or an older vintage's
        why = {"reason": "outdated", "run": stored.run["id"]}
    else:
        why = None
    return IndicatorView(
        country=country, indicator=indicator, history=history,
        projection=projection, official=official, norm=norm, run=run_info(stored),
        vintage=None if pd.isna(vintage) else pd.Timestamp(vintage).to_pydatetime(), as_of=moment,
        sources=sources_of(history), models=_models(stored), no_projection=why,
        explain=(stored.weights or {}).get("explain", {}) if stored else {},
        official_skill=(stored.scores or {}).get("official", []) if stored else [],
        skill=_skill(stored), calibration=((stored.calibration or {}).get("by_lead", {}) if stored else {}),
        pool_series=(stored.calibration or {}).get("pool_series") if stored else None,
        cpi_behind=(stored.diagnostics or {}).get("cpi_behind") if stored else None,
        newer_data=newer_than_run(engine, stored, moment),
    )


def read_norm(engine, country: str, indicator: str) -> dict | None:
    from econ.store import repository

    table = repository.norms_for(engine, country, indicator)
    if table.empty:
        return None
    row = table.iloc[0]
    keys = ("code", "comparison", "threshold", "label_fr", "label_en")
    return {k: (float(row[k]) if k == "threshold" else row[k]) for k in keys}


def empty_projection() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str" if c == "period" else "float64") for c in PROJECTION_COLUMNS})


def _projection(stored, norm: dict | None) -> pd.DataFrame:
    if stored is None:
        return empty_projection()
    points = stored.chosen()[PROJECTION_COLUMNS[:-1]]
    checks = stored.norm_checks
    if norm is not None and len(checks):
        checks = checks[checks["norm_code"] == norm["code"]][["period", "p_breach"]]
        return points.merge(checks, on="period", how="left").astype({"p_breach": "float64"})
    return points.assign(p_breach=float("nan"))


def with_cpi_years(history: pd.DataFrame, cpi: pd.DataFrame) -> pd.DataFrame:
    """Annual inflation recorded, then the complete years of the monthly CPI after it
    (``econ.inflation.annual_from_cpi``), as the projection reads them. A country loaded from the
    World Bank's CPI alone has no annual series: its chart would show a projection with no past
    before it, and its source line a dash."""
    from econ.inflation import annual_from_cpi

    last = last_observed(history)
    later = [(str(p.year), float(v)) for p, v in annual_from_cpi(cpi).items() if str(p.year) > last]
    if not later:
        return history
    source = CPI_YEARS.format(source="; ".join(sources_of(cpi)) or "–")
    derived = pd.DataFrame(later, columns=["period", "value"]).assign(source=source)
    return pd.concat([history, derived], ignore_index=True) if len(history) else derived


def ahead_of(projection: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """The projected years after the last observed one: a run made before a figure came out (or, at
    a past date, a run older than that date's data) is never drawn over what was observed."""
    if projection.empty or history.empty:
        return projection
    return projection[projection["period"].astype(str) > last_observed(history)].reset_index(drop=True)


def last_observed(history: pd.DataFrame) -> str:
    """The latest observed period ("" when none): what projections and official figures are drawn after."""
    return str(history["period"].astype(str).max()) if len(history) else ""


def run_info(stored) -> dict | None:
    if stored is None:
        return None
    run = stored.run
    return {"id": run["id"], "created_at": run["created_at"], "data_vintage": run["data_vintage"], "model": stored.model}


def why_no_projection(engine, country: str, indicator: str, moment) -> dict:
    """Why the latest run (made by ``moment``) has no projection for this series: there is no run yet,
    the run skipped the series (its reason kept in the run's settings), or the run did not cover it."""
    from econ.store.runs import NEWEST_FIRST, made_by
    from econ.store.tables import ForecastRun

    query = select(ForecastRun.id, ForecastRun.settings).where(ForecastRun.status == "done")
    if moment is not None:  # the runs made as of that day, as the projection shown is chosen
        query = query.where(made_by(moment))
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(*NEWEST_FIRST).limit(50)).all()  # as the projection shown is chosen
    if not rows:
        return {"reason": "no_run", "run": None}
    # the newest run that set out to project this series: a later run of other series (one country,
    # one indicator) says nothing about it
    row = next((r for r in rows if _selected(r.settings or {}, country, indicator)), rows[0])
    skipped = (row.settings or {}).get("skipped") or {}
    detail = skipped.get(f"{country}/{indicator}") if isinstance(skipped, dict) else None
    return {"reason": "skipped" if detail else "not_covered", "run": row.id, "detail": detail}


def _selected(settings: dict, country: str, indicator: str) -> bool:
    countries, indicators = settings.get("countries"), settings.get("indicators")
    return (not countries or country in countries) and (not indicators or indicator in indicators)


def latest_official(official: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """Each publisher's latest publication, for the years not yet observed: what a reader compares against.

    Older publications stay in the store (and on the Data page); drawing every IMF vintage since
    2019 would bury the one that matters.
    """
    if official.empty:
        return official.reindex(columns=OFFICIAL_VIEW_COLUMNS).astype({"value": "float64"})
    ahead = official[official["target_period"].astype(str) > last_observed(history)]
    newest = ahead.groupby("publisher")["published"].transform("max")
    keep = ahead[ahead["published"] == newest]
    return keep[OFFICIAL_VIEW_COLUMNS].sort_values(["published", "publisher", "target_period"]).reset_index(drop=True)


def sources_of(history: pd.DataFrame) -> list[str]:
    return [s for s in dict.fromkeys(history["source"].dropna().astype(str)) if s]


def _models(stored) -> pd.DataFrame:
    """One row per candidate of the run (models, official forecasters, econ's own projection): its weight
    in the projection of the first year and its nested, real-time record against the naive forecast
    (``scores["models"]``: every forecast made with the data and weights known at its date)."""
    if stored is None:
        return pd.DataFrame(columns=MODEL_COLUMNS)
    used = (stored.weights or {}).get("used", {})
    scores = (stored.scores or {}).get("models", {})
    names = [n for n in dict.fromkeys([*scores, *used]) if n != "monthly"]
    rows = [{"model": name, "kind": scores.get(name, {}).get("kind"), "weight": used.get(name),
             "n": scores.get(name, {}).get("n"), "mase": scores.get(name, {}).get("mase"),
             "mae": scores.get(name, {}).get("mae"), "versus_naive": scores.get(name, {}).get("versus_naive"),
             "chosen": name == stored.model} for name in names]
    return pd.DataFrame(rows, columns=MODEL_COLUMNS)


def _skill(stored) -> dict:
    """The econ projection's nested scores on the information of the first projected year (runs
    stored before that record was kept: at its lead)."""
    if stored is None:
        return {}
    scores = stored.scores or {}
    lead = scores.get("scored_lead", scores.get("main_lead"))
    by_lead = scores.get("econ", {}) or {}
    same = scores.get("same_information") or {}
    if same.get("n"):  # the record on the run's information: what its weights and band were drawn from
        return {**same, "lead": scores.get("main_lead", lead), "current_year": by_lead.get("0") or {}}
    return {**(by_lead.get(str(lead), {}) or {}), "lead": lead, "current_year": by_lead.get("0") or {}}
