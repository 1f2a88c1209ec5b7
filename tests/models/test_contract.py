"""One contract every model adapter passes: shapes, ordered intervals, wider levels give wider
bands, the same seed gives the same paths, and bad input gives a reason, not a crash."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from simulated import ar1, gold_and_growth, monthly_cpi

from econ.models import MODELS, ModelSkipped
from econ.models.base import FORECAST_COLUMNS

H = 3


def fit(name: str, y=None):
    """Fits a model on a series of its own kind; returns (fitted, exog for the forecast)."""
    model = MODELS[name]
    if model.kind == "monthly_cpi":
        fitted = model.fit(monthly_cpi() if y is None else y)
        return fitted.align(2024), None
    if model.kind == "exog":
        _, gold_growth, growth = gold_and_growth()
        return model.fit(growth if y is None else y, gold_growth), np.array([5.0, -10.0, 0.0])
    return model.fit(ar1() if y is None else y), None


@pytest.fixture(scope="module", params=sorted(MODELS))
def fitted(request):
    return request.param, *fit(request.param)


def test_forecast_has_the_contract_columns_and_the_next_periods(fitted):
    name, result, exog = fitted
    frame = result.forecast(H, exog=exog)
    assert list(frame.columns) == FORECAST_COLUMNS
    assert [str(p) for p in frame.index] == ["2024", "2025", "2026"] if MODELS[name].kind == "monthly_cpi" else ["2025", "2026", "2027"]
    assert np.isfinite(frame.to_numpy()).all()


def test_intervals_nest_around_the_mean(fitted):
    _, result, exog = fitted
    f = result.forecast(H, exog=exog)
    assert (f["lower_95"] <= f["lower_80"]).all() and (f["lower_80"] <= f["mean"]).all()
    assert (f["mean"] <= f["upper_80"]).all() and (f["upper_80"] <= f["upper_95"]).all()
    assert (f["upper_95"] - f["lower_95"] > f["upper_80"] - f["lower_80"]).all()


def test_a_wider_level_gives_a_wider_band(fitted):
    _, result, exog = fitted
    f = result.forecast(H, levels=(0.5, 0.9), exog=exog)
    assert (f["upper_90"] - f["lower_90"] > f["upper_50"] - f["lower_50"]).all()


def test_paths_have_the_shape_asked_and_a_seed_fixes_them(fitted):
    _, result, exog = fitted
    paths = result.simulate(H, 300, np.random.default_rng(7), exog=exog)
    assert paths.shape == (300, H) and np.isfinite(paths).all()
    np.testing.assert_array_equal(paths, result.simulate(H, 300, np.random.default_rng(7), exog=exog))
    assert not np.array_equal(paths, result.simulate(H, 300, np.random.default_rng(8), exog=exog))


def test_paths_agree_with_the_forecast(fitted):
    """The paths are draws from the forecast distribution: their centre and spread match it."""
    _, result, exog = fitted
    f = result.forecast(H, exog=exog)
    paths = result.simulate(H, 4000, np.random.default_rng(1), exog=exog)
    width = (f["upper_80"] - f["lower_80"]).to_numpy()
    assert np.all(np.abs(np.median(paths, axis=0) - f["mean"].to_numpy()) < 0.15 * width)
    inside = ((paths >= f["lower_80"].to_numpy()) & (paths <= f["upper_80"].to_numpy())).mean(axis=0)
    assert np.all(np.abs(inside - 0.8) < 0.05)


def test_forecast_is_deterministic(fitted):
    _, result, exog = fitted
    pd.testing.assert_frame_equal(result.forecast(H, exog=exog), result.forecast(H, exog=exog))


def test_update_carries_the_parameters_to_new_data(fitted):
    name, result, exog = fitted
    model = MODELS[name]
    if model.kind == "monthly_cpi":
        longer = monthly_cpi(years=16, last_year=2024)
        updated = model.update(result, longer).align(2025)
    elif model.kind == "exog":
        _, gold_growth, growth = gold_and_growth(n=26)
        updated = model.update(result, growth, gold_growth)
    else:
        updated = model.update(result, ar1(n=31, last=2025))
    frame = updated.forecast(H, exog=exog)
    assert str(frame.index[0]) in ("2025", "2026") and list(frame.columns) == FORECAST_COLUMNS


def bad_series(kind: str, problem: str) -> pd.Series:
    if kind == "monthly_cpi":
        y = monthly_cpi()
        return {"short": y.iloc[:20], "constant": y * 0 + 100.0, "gappy": y.drop(y.index[40:80])}[problem]
    y = ar1()
    return {"short": y.iloc[:2], "constant": y * 0 + 3.0, "gappy": y.drop(y.index[10:13])}[problem]


@pytest.mark.parametrize("problem", ["short", "constant", "gappy"])
@pytest.mark.parametrize("name", sorted(MODELS))
def test_bad_input_gives_a_reason_not_a_crash(name, problem):
    model = MODELS[name]
    y = bad_series(model.kind, problem)
    exog = gold_and_growth()[1] if model.kind == "exog" else None
    with pytest.raises(ModelSkipped) as skipped:
        model.fit(y, exog)
    words = {"short": "too short", "constant": "constant", "gappy": "gappy"}[problem]
    assert words in skipped.value.reason
