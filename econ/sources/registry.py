"""The live sources the CLI can fetch from, by the name users type (``econ fetch NAME``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from econ.sources import imf, imf_cpi, wb_inflation, worldbank
from econ.sources.base import Batch


@dataclass(frozen=True)
class LiveSource:
    """A live source: its name, what it is, the fetch function, and where to get the data by hand."""

    name: str
    title: str
    fetch: Callable[..., Batch]
    homepage: str


LIVE_SOURCES: dict[str, LiveSource] = {
    s.name: s
    for s in [
        LiveSource(
            "worldbank", "World Bank, World Development Indicators (API v2)", worldbank.fetch,
            "https://data.worldbank.org",
        ),
        LiveSource(
            "imf", "IMF DataMapper (World Economic Outlook): actuals and projections", imf.fetch,
            "https://www.imf.org/external/datamapper",
        ),
        LiveSource(
            "wb-inflation", wb_inflation.SOURCE + ": monthly CPI and annual inflation", wb_inflation.fetch,
            "https://www.worldbank.org/en/research/brief/inflation-database",
        ),
        LiveSource(
            "imf-cpi", imf_cpi.SOURCE + " (SDMX, through sdmx1): monthly CPI", imf_cpi.fetch,
            "https://data.imf.org/en/datasets/IMF.STA:CPI",
        ),
    ]
}
