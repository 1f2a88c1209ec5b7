"""The dashboard's read layer: named, cached, read-only views of the store.

Callbacks ask this layer and nothing else. Every cached entry is keyed by what it shows
(country, indicator, vintage, language) *and* by the store's stamp (latest ingest id, latest
run id), so a new ingest or a new forecast run changes the key and the next request reads
fresh figures; stale entries simply age out of the LRU. Figures are cached as plain JSON-ready
dicts because building and serialising a Plotly figure is most of a callback's cost.

Cached objects are shared between requests: callers must treat them as read-only.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import pandas as pd
from flask import current_app
from plotly.io.json import to_json_plotly
from sqlalchemy import Engine, select

from econ import charts
from econ.schema import INDICATORS, WAEMU
from econ.store import repository
from econ.store.tables import ForecastRun, Ingest

OVERVIEW_INDICATORS = ("gdp_growth", "inflation", "gold_production", "fiscal_balance", "public_debt")
EXTENSION = "econ_read_layer"


@dataclass(frozen=True)
class Stamp:
    """What the store holds right now, as two ids: any write to the store changes one of them."""

    ingest: int
    run: int


def vintage_key(vintage: str | date | None) -> str | None:
    """A vintage from the URL or a picker, normalised (``""`` and ``None`` both mean the latest data)."""
    if vintage in (None, ""):
        return None
    return vintage.isoformat() if isinstance(vintage, date) else str(vintage)[:10]


def _plain(figure: dict) -> dict:
    """A figure as plain lists and dicts (no NaN, no numpy): cheap for Dash to serialise again and again."""
    return json.loads(to_json_plotly(figure))


class ReadLayer:
    """Cached reads for one store. One per app; every method is safe to call from any thread."""

    def __init__(self, engine: Engine, maxsize: int = 512, stamp_seconds: float = 1.0):
        self.engine = engine
        self.stamp_seconds = stamp_seconds
        self._last_stamp: tuple[float, Stamp] | None = None
        self._describe = lru_cache(maxsize)(self._build_describe)
        self._view = lru_cache(maxsize)(self._read_view)
        self._figure = lru_cache(maxsize)(self._build_figure)
        self._sparkline = lru_cache(maxsize)(self._build_sparkline)
        self._table = lru_cache(maxsize)(self._build_table)
        self._observations = lru_cache(8)(self._read_observations)
        self._scorecard = lru_cache(8)(self._read_scorecard)
        self._vintages = lru_cache(4)(self._read_vintages)
        self._scenario = lru_cache(256)(self._read_scenario)
        self._scenario_baseline = lru_cache(64)(self._read_scenario_baseline)
        self._series = lru_cache(4)(lambda stamp: repository.series(self.engine))
        self._compare = lru_cache(64)(self._read_compare)
        self._compare_figure = lru_cache(128)(self._build_compare_figure)
        self._official = lru_cache(4)(self._read_official)

    # --- the stamp --------------------------------------------------------------------------

    def stamp(self) -> Stamp:
        """The store's stamp, asked at most once every ``stamp_seconds`` (a new run shows within a second)."""
        last = self._last_stamp
        now = time.monotonic()
        if last is not None and now - last[0] < self.stamp_seconds:
            return last[1]
        store = repository.generation(self.engine)  # the state the API's and the downloads' caches key on
        stamp = Stamp(store.ingest, store.run)
        self._last_stamp = (now, stamp)  # one atomic assignment: safe across threads
        return stamp

    def cache_info(self) -> dict:
        return {name: getattr(self, f"_{name}").cache_info() for name in ("view", "figure", "table")}

    # --- indicator views --------------------------------------------------------------------

    def view(self, country: str, indicator: str, vintage=None) -> charts.IndicatorView | charts.MonthlyView:
        """The series' view (for ``cpi``, the monthly inflation it implies)."""
        return self._view(country, indicator, vintage_key(vintage), self.stamp())

    def figure(self, country: str, indicator: str, vintage=None, lang: str = "fr", compact: bool = False) -> dict:
        return self._figure(country, indicator, vintage_key(vintage), lang, bool(compact), self.stamp())

    def sparkline(self, country: str, indicator: str, lang: str = "fr") -> dict:
        return self._sparkline(country, indicator, lang, self.stamp())

    def table(self, country: str, indicator: str, vintage=None, lang: str = "fr") -> pd.DataFrame:
        return self._table(country, indicator, vintage_key(vintage), lang, self.stamp())

    def describe(self, country: str, indicator: str, vintage=None, lang: str = "fr") -> str:
        """The chart's text alternative."""
        return self._describe(country, indicator, vintage_key(vintage), lang, self.stamp())

    def _build_describe(self, country, indicator, vintage, lang, stamp) -> str:
        return charts.describe_of(self._view(country, indicator, vintage, stamp), lang)

    def _read_view(self, country, indicator, vintage, stamp):
        return charts.series_view(self.engine, country, indicator, as_of=vintage)

    def _build_figure(self, country, indicator, vintage, lang, compact, stamp) -> dict:
        return _plain(charts.figure_of(self._view(country, indicator, vintage, stamp), lang, compact))

    def _build_sparkline(self, country, indicator, lang, stamp) -> dict:
        return _plain(charts.sparkline_dict(self._view(country, indicator, None, stamp), lang))

    def _build_table(self, country, indicator, vintage, lang, stamp) -> pd.DataFrame:
        return charts.table_of(self._view(country, indicator, vintage, stamp), lang)

    # --- comparisons ------------------------------------------------------------------------

    def compare(self, countries: list[str], indicator: str, vintage=None) -> charts.CompareView:
        """Several members (and the union, where stored) on one chart."""
        return self._compare(tuple(countries), indicator, vintage_key(vintage), self.stamp())

    def compare_figure(self, countries: list[str], indicator: str, vintage=None, lang: str = "fr",
                       compact: bool = False) -> dict:
        return self._compare_figure(tuple(countries), indicator, vintage_key(vintage), lang, bool(compact), self.stamp())

    def _read_compare(self, countries, indicator, vintage, stamp) -> charts.CompareView:
        return charts.compare_view(self.engine, list(countries), indicator, as_of=vintage)

    def _build_compare_figure(self, countries, indicator, vintage, lang, compact, stamp) -> dict:
        return _plain(charts.compare_figure_dict(self._compare(countries, indicator, vintage, stamp), lang, compact))

    # --- official projections ---------------------------------------------------------------

    def official(self, indicators: tuple[str, ...]) -> pd.DataFrame:
        """Every official projection of these indicators, every country (the convergence page's)."""
        return self._official(tuple(indicators), self.stamp())

    def _read_official(self, indicators, stamp) -> pd.DataFrame:
        return repository.official_projections(self.engine, indicator=list(indicators))

    def warm(self, langs=("fr", "en", "pt"), indicators=OVERVIEW_INDICATORS) -> int:
        """Reads and draws the common views ahead of the first visitors (a worker's first seconds).

        Meant for a background thread at start-up; entries are keyed by the store's stamp as
        always, so a later ingest or run still invalidates them.
        """
        count = 0
        for country in self.countries()[:8]:
            for indicator in indicators:
                if indicator not in self.indicators(country):
                    continue
                for lang in langs:
                    self.figure(country, indicator, None, lang)
                    self.describe(country, indicator, None, lang)
                    count += 1
        return count

    # --- whole-store reads ------------------------------------------------------------------

    def observations(self, country: str | None = None, indicator: str | None = None, vintage=None) -> pd.DataFrame:
        """Every observation as known at the vintage (all countries: the Data page filters in the browser)."""
        frame = self._observations(vintage_key(vintage), self.stamp())
        if country:
            frame = frame[frame["country"] == country]
        if indicator:
            frame = frame[frame["indicator"] == indicator]
        return frame

    def _read_observations(self, vintage, stamp) -> pd.DataFrame:
        return repository.observations(self.engine, as_of=vintage)

    def scorecard(self, country: str | None = None) -> pd.DataFrame | None:
        """The convergence scorecard (``econ.norms.scorecard``), or None while that module is absent."""
        frame = self._scorecard(self.stamp())
        if frame is None or country is None:
            return frame
        return frame[frame["country"] == country]

    def _read_scorecard(self, stamp) -> pd.DataFrame | None:
        from econ.norms import scorecard

        return scorecard(self.engine, country=None)

    def scenario_baseline(self, country: str) -> tuple[str, dict[str, float]] | None:
        """The gold series the run's growth-on-gold model uses and the run's own path for it, or None
        when the latest run has no such model for this country."""
        return self._scenario_baseline(country, self.stamp())

    def _read_scenario_baseline(self, country, stamp):
        from econ.forecast import scenario_baseline

        try:
            baseline = scenario_baseline(self.engine, country)
        except LookupError:
            return None
        return baseline["indicator"], {year: round(tonnes, 1) for year, tonnes in baseline["path"].items()}

    def scenario(self, country: str, gold_path: dict[str, float]) -> pd.DataFrame | None:
        """Growth under a gold production path (``econ.forecast.scenario``: the run's fitted model, no refit)."""
        return self._scenario(country, tuple(sorted(gold_path.items())), self.stamp())

    def _read_scenario(self, country, path, stamp) -> pd.DataFrame | None:
        from econ.forecast import scenario

        return scenario(self.engine, country, dict(path))

    def vintages(self) -> list[str]:
        """Dates worth picking, newest first: the publishers' release days (each WEO, say), the days data
        were loaded, and the days projections were made as of."""
        return self._vintages(self.stamp())

    def _read_vintages(self, stamp) -> list[str]:
        with self.engine.connect() as conn:
            moments = [*conn.execute(select(Ingest.created_at)).scalars(),
                       *conn.execute(select(ForecastRun.as_of)).scalars()]
        moments += repository.publication_dates(self.engine)
        return sorted({m.date().isoformat() for m in moments if m is not None}, reverse=True)

    def countries(self) -> list[str]:
        """The WAEMU members first (in the product's order), then any other country with data."""
        stored = set(self._series(self.stamp())["country"])
        return [*WAEMU, *sorted(stored - set(WAEMU) - {"WAEMU"})]

    def indicators(self, country: str | None = None) -> list[str]:
        """Indicators with data (for ``country`` when given), in the product's order."""
        table = self._series(self.stamp())
        if country:
            table = table[table["country"] == country]
        present = set(table["indicator"])
        return [code for code in INDICATORS if code in present]


def layer() -> ReadLayer:
    """The read layer of the app serving this request (set once by ``create_app``)."""
    return current_app.extensions[EXTENSION]
