"""One series' candidates at every origin: the part of a run that fits models (run in worker
processes, or on a Dask cluster), reading nothing but its task.

The result holds every model's and official forecaster's projection at each backtest origin and
at the run's own date, the figures known at each origin, and what the run keeps from the final
fits: each model's own projection, the monthly inflation path, the gold regression's state.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

from econ.backtest import (
    FAR_FUTURE,
    MIN_TRAIN,
    NAIVE,
    RAW_COLUMNS,
    Cut,
    ModelTrack,
    SeriesInputs,
    known_values,
    official_rows,
    stack,
    step,
)
from econ.models import registry
from econ.models.base import ModelSkipped

MIN_YEARS = 5
MONTHLY_PATHS = 1000


@dataclass
class SeriesTask:
    """Everything a worker needs to project one series, with no access to the store."""

    inputs: SeriesInputs
    origins: list[datetime]
    final: datetime | None
    as_of: datetime | None
    horizon: int
    seed: int
    pool: str
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.inputs.key

    @property
    def weight(self) -> int:
        """How long the task takes, roughly: monthly series first, so that no slow one starts last."""
        return 2 * (self.inputs.cpi is not None) + (self.inputs.gold is not None)


@dataclass
class SkippedSeries:
    country: str
    indicator: str
    reason: str


@dataclass
class SeriesCandidates:
    """What one series brings to its pool and to the stored run."""

    country: str
    indicator: str
    pool: str
    raw: pd.DataFrame  # RAW_COLUMNS
    truth: pd.DataFrame  # origin, period, known
    latest: pd.Series  # the figures as the store knows them now: what backtests are scored against
    last_period: str | None = None
    model_points: pd.DataFrame | None = None  # each model's own final projection
    monthly: dict[str, pd.DataFrame] = field(default_factory=dict)  # monthly model -> year-on-year path
    gold_state: dict | None = None
    cpi_behind: dict | None = None  # the run's monthly CPI ends before its last annual year (Cut.cpi_behind)
    notes: list[str] = field(default_factory=list)
    model_notes: dict[str, list[str]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.country}/{self.indicator}"


def series_seed(seed: int, country: str, indicator: str) -> list[int]:
    """A generator seed for one series: the run's seed plus a stable hash of the series' name."""
    return [int(seed), zlib.crc32(f"{country}/{indicator}".encode())]


def models_for(inputs: SeriesInputs):
    names = registry.models_for(inputs.indicator, inputs.cpi is not None and len(inputs.cpi) > 0,
                                inputs.gold is not None and len(inputs.gold) > 0)
    return [registry.get(n) for n in names]


def series_candidates(task: SeriesTask) -> SeriesCandidates | SkippedSeries:
    """Every candidate at every origin; never raises: a failure becomes a recorded reason."""
    try:
        return _candidates(task)
    except ModelSkipped as skipped:
        return SkippedSeries(task.inputs.country, task.inputs.indicator, skipped.reason)
    except Exception as error:  # noqa: BLE001 - one broken series must not stop the run
        return SkippedSeries(task.inputs.country, task.inputs.indicator, f"failed: {type(error).__name__}: {error}")


def _candidates(task: SeriesTask) -> SeriesCandidates:
    inputs, models = task.inputs, models_for(task.inputs)
    tracks = {m.name: ModelTrack() for m in models}
    officials, truths = [], []
    for origin in task.origins:
        cut = inputs.cut(origin)
        if len(cut.y) < MIN_TRAIN or not np.isfinite(cut.scale()):
            continue
        for model in models:
            step(model, tracks[model.name], cut, task.horizon)
        officials.append(official_rows(cut, task.horizon))
        truths.append(known_values(cut))
    latest = inputs.cut(task.final or FAR_FUTURE, final=True, as_of=task.as_of)
    out = SeriesCandidates(inputs.country, inputs.indicator, task.pool, pd.DataFrame(columns=RAW_COLUMNS),
                           pd.DataFrame(columns=["origin", "period", "known"]), latest.y,
                           notes=list(task.notes) + latest.notes)
    if task.final is not None:
        _final(task, models, tracks, latest, officials, truths, out)
    official = [f for f in officials if len(f)]
    out.raw = pd.concat([stack([r for track in tracks.values() for r in track.rows]), *official], ignore_index=True)
    out.truth = pd.concat(truths, ignore_index=True) if truths else out.truth
    out.model_notes = {name: track.notes[:20] for name, track in tracks.items() if track.notes}
    out.skipped = {name: _why_empty(track.notes) for name, track in tracks.items() if not track.rows}
    return out


def _final(task: SeriesTask, models, tracks, cut: Cut, officials: list, truths: list, out: SeriesCandidates) -> None:
    """The run's own date: every model freshly fitted on the figures the store shows now."""
    if len(cut.y) < MIN_YEARS:
        raise ModelSkipped(f"too short: {len(cut.y)} consecutive year(s), {MIN_YEARS} needed")
    if not np.isfinite(cut.scale()):
        raise ModelSkipped("constant series: nothing to model, no spread to measure uncertainty")
    cut.moment = task.final
    out.last_period = str(cut.y.index[-1])
    out.cpi_behind = cut.cpi_behind()
    rng_seed = series_seed(task.seed, task.inputs.country, task.inputs.indicator)
    points = []
    for i, model in enumerate(models):
        before = len(tracks[model.name].rows)
        fitted = step(model, tracks[model.name], cut, task.horizon, final=True)
        if fitted is None or len(tracks[model.name].rows) == before:
            continue
        points.append(_points(model.name, tracks[model.name].rows[-1]))
        if model.kind == "monthly_cpi":
            rng = np.random.default_rng([*rng_seed, i])
            out.monthly[model.name] = fitted.monthly_inflation(task.horizon, MONTHLY_PATHS, rng)
        if model.name == "growth_gold":
            out.gold_state = fitted.state()
    if not any(p["model"].iloc[0] == NAIVE for p in points):
        raise ModelSkipped(tracks[NAIVE].notes[-1].split(": ", 1)[-1] if tracks[NAIVE].notes else
                           "the naive benchmark could not be computed")
    out.model_points = pd.concat(points, ignore_index=True)
    officials.append(official_rows(cut, task.horizon))
    truths.append(known_values(cut))


def _points(name: str, rows: dict) -> pd.DataFrame:
    return pd.DataFrame({"period": rows["period"].astype(str), "model": name, "mean": rows["forecast"],
                         "lower_80": rows["lower_80"], "upper_80": rows["upper_80"], "lower_95": rows["lower_95"],
                         "upper_95": rows["upper_95"]})


def _why_empty(notes: list[str]) -> str:
    reasons = [n.split(": ", 1)[1] for n in notes if ": " in n]
    return reasons[-1] if reasons else "no forecast at any origin"
