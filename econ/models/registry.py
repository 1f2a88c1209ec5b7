"""Which models exist, and which apply to a series.

Every annual series gets the annual models (the naive benchmark always among them); inflation
also gets the monthly-CPI models when the country has a monthly CPI; growth also gets the
regression on gold production when the country has a gold series.
"""

from __future__ import annotations

from econ.models.arima import AutoArima
from econ.models.base import Model
from econ.models.ets import DampedEts
from econ.models.growth_gold import GrowthOnGold
from econ.models.local_trend import LocalLinearTrend
from econ.models.long_run_mean import LongRunMean
from econ.models.monthly_cpi import CpiEts, CpiSarimax
from econ.models.naive import Naive
from econ.models.theta import Theta

MODELS: dict[str, Model] = {
    m.name: m
    for m in [Naive(), AutoArima(), DampedEts(), Theta(), LocalLinearTrend(), LongRunMean(), CpiSarimax(), CpiEts(),
              GrowthOnGold()]
}
ANNUAL = ["naive", "arima", "ets", "theta", "local_trend"]
MONTHLY_CPI = ["cpi_sarimax", "cpi_ets"]
# With a monthly CPI most annual inflation models only dilute the monthly ones (on the WAEMU
# backtest 2005-2023 annual ETS had 1.2 times the naive error, the monthly models 0.6): the naive
# benchmark stays, as the fallback the combination can always choose, and ARIMA, whose mean
# reversion helps beyond the first year and in the 2020-2024 swings.
ANNUAL_WITH_CPI = ["naive", "arima"]
GOLD = ["growth_gold"]
BENCHMARK = "naive"

# The gold series a growth regression uses, in order of preference (industrial output is the
# complete series; the total adds an artisanal allowance set by convention).
GOLD_INDICATORS = ("gold_production_industrial", "gold_production")


def get(name: str) -> Model:
    try:
        return MODELS[name]
    except KeyError:
        raise KeyError(f"unknown model {name!r}; known: {', '.join(MODELS)}") from None


def models_for(indicator: str, has_cpi: bool = False, has_gold: bool = False) -> list[str]:
    """The names of the models to fit on a series, the naive benchmark first."""
    if indicator == "inflation" and has_cpi:
        return ANNUAL_WITH_CPI + MONTHLY_CPI
    names = list(ANNUAL)
    if indicator == "gdp_growth" and has_gold:
        names += GOLD
    return names
