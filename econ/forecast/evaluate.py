"""``econ backtest``: for each year, the projection econ would have made, and how it fared.

The projection of year Y is made on the first day of ``origin_month`` of Y (by default the month
in which December's figure of Y-1 is out: 1 February with a one-month publication lag, "data up to
the end of Y-1"), with the data as then published, and with every choice (weights, bands) taken
from the errors known then. A later origin month gives the within-year nowcast: with
``--origin-month 10`` the projection of Y is made on 1 October of Y, with the CPI to August.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import Engine

from econ.backtest import MIN_TRAIN
from econ.config import get_settings
from econ.forecast import assemble
from econ.forecast.inputs import StoreReader, pool_of, wanted_indicators
from econ.forecast.run import combine_pools, default_workers, make_tasks, pool_keys, run_tasks
from econ.forecast.series import SeriesCandidates
from econ.forecast.shape import number
from econ.inflation import annual_from_cpi
from econ.models.base import ModelSkipped
from econ.realtime import Lags
from econ.store import repository

SUMMARY_KEYS = ("mae", "rmse", "mase", "coverage_80", "coverage_95", "norm_hit_rate", "brier", "brier_naive",
                "brier_climate", "crps", "crps_naive", "interval_score_80", "interval_score_95")


def default_origin_month() -> int:
    """The month in which the previous year's December figure is out."""
    return min(12, 1 + Lags.from_settings().monthly)


def yearly_origins(reader: StoreReader, keys, month: int, last: int) -> list[datetime]:
    first = min(int(reader.groups[k]["period"].str[:4].min()) for k in keys if k in reader.groups) + MIN_TRAIN
    return [datetime(year, month, 1) for year in range(first, last + 1)]


def pool_backtest(engine: Engine, keys_wanted: list[tuple[str, str]], end: int, as_of=None, horizon: int = 3,
                  seed: int | None = None, origin_month: int | None = None, workers: int | None = None,
                  start_year: int | None = None):
    """Nested econ projections, origin month ``origin_month`` of each year up to ``end``, for the
    pools of ``keys_wanted``: (candidates by series key, pool outputs by pool, reader)."""
    seed = get_settings().seed if seed is None else int(seed)
    moment = repository.parse_as_of(as_of)
    reader = StoreReader(engine, None, sorted({i for _, i in keys_wanted}), moment)
    keys = pool_keys(reader, keys_wanted)
    first = yearly_origins(reader, keys + [(c, "cpi") for c, _ in keys], origin_month or default_origin_month(), end)
    origins = [o for o in first if start_year is None or o.year >= start_year]
    tasks = make_tasks(reader, keys, origins, None, moment, horizon, seed)
    results = run_tasks(tasks, default_workers(workers))
    candidates = {t.key: r for t, r in zip(tasks, results)}
    return candidates, combine_pools(reader, results), reader


def backtest_rows(engine: Engine, country: str, indicator: str, end: int, as_of=None, horizon: int = 3,
                  seed: int | None = None, origin_month: int | None = None, workers: int | None = None):
    """The nested econ projections of one series (every lead), its candidates, its pool's output."""
    indicator = wanted_indicators([indicator])[0]
    probe = StoreReader(engine, [country], [indicator], repository.parse_as_of(as_of))
    if (country, indicator) not in probe.keys():
        raise LookupError(f"no {indicator} series stored for {country}")
    candidates, pools, reader = pool_backtest(engine, [(country, indicator)], end, as_of, horizon, seed,
                                              origin_month, workers)
    mine = candidates[f"{country}/{indicator}"]
    if not isinstance(mine, SeriesCandidates):
        raise ModelSkipped(mine.reason)
    pool = pools.get(pool_of(country, indicator))
    if pool is None or mine.key not in set(pool.econ["series"]):
        raise ModelSkipped(f"fewer than {MIN_TRAIN} consecutive years before any origin up to {end}")
    return mine, pool, reader


def last_known_year(engine: Engine, country: str, indicator: str, as_of=None) -> int:
    """The last year with a figure as known at ``as_of``: where ``econ backtest`` ends by default. For
    inflation, a complete year of the monthly CPI counts too, as in the projection (a country loaded
    from the World Bank's CPI alone has no annual series)."""
    indicator = wanted_indicators([indicator])[0]
    years = repository.observations(engine, country, indicator, as_of)["period"].astype(str).str[:4].astype(int)
    if indicator == "inflation":
        derived = annual_from_cpi(repository.observations(engine, country, "cpi", as_of))
        years = pd.concat([years, pd.Series(derived.index.year, dtype=int)])
    if years.empty:
        raise LookupError(f"no {indicator} series stored for {country}")
    return int(years.max())


def backtest_series(engine: Engine, country: str, indicator: str, start: int, end: int, as_of=None,
                    horizon: int = 3, seed: int | None = None, origin_month: int | None = None,
                    workers: int | None = None) -> dict:
    """``econ backtest --json``: for each year in ``start..end`` the projection made at that year's origin."""
    mine, pool, reader = backtest_rows(engine, country, indicator, end, as_of, horizon, seed, origin_month, workers)
    floor = reader.floor(mine.indicator)
    norm = reader.first_norm(country, mine.indicator)
    econ = assemble.add_crps(assemble.with_actuals(assemble.series_rows(pool, mine.key), mine.latest), pool, floor)
    both_leads = econ[econ["lead"].isin([0, 1]) & econ["period"].between(start, end)]
    econ = econ[(econ["lead"] == 0) & econ["period"].between(start, end)].sort_values("period")
    raw = assemble.with_actuals(mine.raw.assign(origin=pd.to_datetime(mine.raw["origin"])), mine.latest)
    raw = raw[raw["period"].between(start, end)]
    summary = assemble.econ_scores(econ, norm).get("0", {})
    return {
        "country": country, "indicator": mine.indicator, "model": assemble.ECON,
        "origin_month": origin_month or default_origin_month(),
        "origins": [
            {"year": int(r.period), "origin": r.origin.strftime("%Y-%m-%d"), "forecast": number(r.forecast),
             "lower_80": number(r.lower_80), "upper_80": number(r.upper_80), "lower_95": number(r.lower_95),
             "upper_95": number(r.upper_95), "actual": number(r.actual), "naive": number(r.naive),
             "p_breach": number(r.p_breach)}
            for r in econ.itertuples()
        ],
        "summary": {k: summary.get(k) for k in SUMMARY_KEYS} | {"reliability": summary.get("reliability")},
        "models": assemble._json(assemble.candidate_scores(raw, econ, 0, {})),
        "official": assemble._json(assemble.official_comparison(raw[raw["lead"].isin([0, 1])], both_leads, norm)),
    }
