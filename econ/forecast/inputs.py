"""Reading the store once for a run: every vintage of every series, the official projections with
their publication dates, the norms; cut into one ``SeriesInputs`` per series and grouped in pools.

A *pool* is one indicator across comparable countries: the WAEMU members together (eight short
histories that share a currency, a central bank and a norm), every other country together.
Weights and bands are estimated on a pool's pooled, scaled errors (``econ.combine``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine

from econ.backtest import SeriesInputs
from econ.combine import Norm
from econ.inflation import one_base
from econ.models import registry
from econ.realtime import History, Lags, end_of_day
from econ.schema import INDICATORS, WAEMU
from econ.store import repository

DEFAULT_INDICATORS = (
    "gdp_growth", "inflation", "gold_production", "gold_production_industrial", "fiscal_balance", "public_debt",
)
MIN_YEARS = 5


def wanted_indicators(indicators) -> list[str]:
    chosen = list(indicators) if indicators else list(DEFAULT_INDICATORS)
    return sorted({"inflation" if i == "cpi" else i for i in chosen})


UNIONS = {"WAEMU"}  # pools whose members share a currency and a central bank


def pool_of(country: str, indicator: str) -> str:
    return f"{indicator}/{'WAEMU' if country in WAEMU else 'world'}"


def union_inflation(pool: str) -> bool:
    """Whether a pool is a monetary union's inflation: its members' projections are pooled toward
    the union's (``econ.combine.pulled_to_union``)."""
    indicator, _, group = pool.partition("/")
    return indicator == "inflation" and group in UNIONS


def vintage_rows(engine: Engine, countries, indicators) -> pd.DataFrame:
    """Every stored vintage of the series wanted: country, indicator, period, value, vintage, dated, loaded_at."""
    frame = repository.vintages(engine, countries, indicators)
    return frame.assign(dated=frame["published"].notna()).drop(columns=["published"])


@dataclass
class StoreReader:
    """The store's contents for one run, read once."""

    engine: Engine
    countries: list[str] | None
    indicators: list[str]
    as_of: datetime | None = None
    lags: Lags = field(default_factory=Lags.from_settings)
    # A forecast run's reader reads every series (the run's date is the store's) and every vintage,
    # cut by publication as a backtest origin that day does. A backtest's reads its pools' series
    # (with their CPI and gold) in the store as it stood at ``as_of``: no vintage after it.
    for_run: bool = False

    def __post_init__(self):
        self.indicators = wanted_indicators(self.indicators)
        wanted = None if self.for_run else sorted({*self.indicators, "cpi", *registry.GOLD_INDICATORS})
        rows = vintage_rows(self.engine, self.countries, wanted)
        if self.as_of is not None and not self.for_run:
            rows = rows[rows["vintage"] <= pd.Timestamp(end_of_day(self.as_of))]
        self.groups = {k: g for k, g in rows.groupby(["country", "indicator"])}
        official = repository.official_projections(self.engine, self.countries, None, self.as_of)
        self.official = official.assign(vintage=pd.to_datetime(official["vintage"]),
                                        year=official["target_period"].astype(str).str[:4].astype(int))
        self.norms = repository.norms(self.engine)
        self._histories: dict[tuple[str, str], History | None] = {}
        self._norms: dict[tuple[str, str], list[dict]] = {}

    def keys(self) -> list[tuple[str, str]]:
        keys = {k for k in self.groups if k[1] in self.indicators}
        if "inflation" in self.indicators:
            keys |= {(c, "inflation") for c, i in self.groups if i == "cpi"}
        return sorted(keys)

    def history(self, country: str, indicator: str) -> History | None:
        """Built once per series and run: the run's date, its tasks and its assembly all read it."""
        key = (country, indicator)
        if key not in self._histories:
            group = self.groups.get(key)
            if group is not None and indicator == "cpi":
                group = one_base(group)
            self._histories[key] = History(group, self.lags) if group is not None else None
        return self._histories[key]

    def inputs(self, country: str, indicator: str) -> SeriesInputs:
        values = self.history(country, indicator) or History(pd.DataFrame(), self.lags)
        cpi = self.history(country, "cpi") if indicator == "inflation" else None
        gold, gold_official = None, None
        if indicator == "gdp_growth":
            gold_indicator = self.gold_indicator(country)
            if gold_indicator:
                gold = self.history(country, gold_indicator)
                gold_official = self._official(country, gold_indicator)
        return SeriesInputs(country, indicator, values, cpi, gold, self._official(country, indicator), gold_official)

    def gold_indicator(self, country: str) -> str | None:
        """The gold series a growth regression uses: industrial output, else the total (the longer)."""
        found = [i for i in registry.GOLD_INDICATORS if (country, i) in self.groups]
        return max(found, key=lambda i: self.groups[(country, i)]["period"].nunique()) if found else None

    def _official(self, country: str, indicator: str) -> pd.DataFrame:
        o = self.official
        part = o[(o["country"] == country) & (o["indicator"] == indicator) & o["vintage"].notna()]
        return part[["publisher", "published", "vintage", "year", "value"]].reset_index(drop=True)

    def norms_for(self, country: str, indicator: str) -> list[dict]:
        if (country, indicator) not in self._norms:
            table = self.norms[self.norms["indicator"] == indicator]
            applies = table["countries"].isna() | table["countries"].fillna("").str.split().apply(lambda cs: country in cs)
            self._norms[country, indicator] = table[applies.astype(bool)].sort_values("code").to_dict("records")
        return self._norms[country, indicator]

    def first_norm(self, country: str, indicator: str) -> Norm | None:
        norms = self.norms_for(country, indicator)
        return Norm(norms[0]["comparison"], float(norms[0]["threshold"])) if norms else None

    def floor(self, indicator: str) -> float:
        """Where the indicator's bands are cut (``Indicator.lowest``)."""
        return INDICATORS[indicator].lowest


def check_request(engine: Engine, countries: list[str] | None, indicators: list[str] | None, as_of=None) -> None:
    """What a run is asked for, refused before anything is stored, with a message for the user: a date
    after today or before the selection's first figure was known (ValueError), or a country (or a
    selection) with no stored series to project (LookupError). A run of nothing is no answer to a
    typo; the CLI and the API refuse alike."""
    from econ.store.repository import series

    refuse_future(as_of)
    stored = series(engine)
    stored = stored[stored["indicator"].replace("cpi", "inflation").isin(wanted_indicators(indicators))]
    what = " or ".join(indicators) if indicators else "projectable"
    for country in countries or []:
        if country not in set(stored["country"]):
            raise LookupError(f"no {what} series stored for {country}")
    if stored.empty:
        raise LookupError(f"no {what} series stored: load data first (`econ ingest`)")
    if countries:
        stored = stored[stored["country"].isin(countries)]
    first = pd.Timestamp(Lags.from_settings().available(stored["first"], stored["source"]).min())
    if as_of is not None and as_of.replace(tzinfo=None) < first:
        raise ValueError(f"as of {as_of:%Y-%m-%d} none of the {what} series asked for was known yet: the first "
                         f"figure stored ({stored['first'].min()}) counts as published on {first:%Y-%m-%d}")


def refuse_future(as_of, name: str = "as of") -> None:
    """A forecast or backtest dated after today is refused (ValueError): nobody knew then what the
    store holds now, nor can the run be made yet."""
    from datetime import datetime, time

    from econ.store.repository import utcnow

    today = utcnow().date()
    if as_of is not None and as_of.replace(tzinfo=None) > datetime.combine(today, time.max):
        raise ValueError(f"{name} {as_of:%Y-%m-%d} is in the future (today is {today.isoformat()}): give today or "
                         f"an earlier date")
