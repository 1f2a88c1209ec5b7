"""Which models exist, and which apply to a series.

Every annual series gets the annual models (the naive benchmark always among them); inflation
also gets the monthly-CPI models when the country has a monthly CPI; growth also gets the
regression on gold production when the country has a gold series. No model is left out because it
did badly on some backtest: the combination weighs each by its track record at each origin.
"""

from __future__ import annotations

from econ.models.ar import AutoAr
from econ.models.base import Model
from econ.models.ets import DampedEts
from econ.models.growth_gold import GrowthOnGold
from econ.models.long_run_mean import LongRunMean, RecentMedian
from econ.models.monthly_cpi import CpiEts, CpiMeanReverting, CpiSarimax
from econ.models.naive import Naive

MODELS: dict[str, Model] = {
    m.name: m
    for m in [Naive(), AutoAr(), DampedEts(), LongRunMean(), RecentMedian(), CpiSarimax(), CpiEts(),
              CpiMeanReverting(), GrowthOnGold()]
}
ANNUAL = ["naive", "ar", "ets", "long_run_mean", "recent_median"]
MONTHLY_CPI = ["cpi_sarimax", "cpi_ets", "cpi_mean_reverting"]
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
    names = list(ANNUAL)
    if indicator == "inflation" and has_cpi:
        names += MONTHLY_CPI
    if indicator == "gdp_growth" and has_gold:
        names += GOLD
    return names
