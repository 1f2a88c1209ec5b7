"""What was known on a day: publication dates, publication lags, the earliest release standing in
before the real-time record starts, and the run's own date."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from econ.realtime import History, Lags, forecast_date, origin_dates


def rows(*items) -> pd.DataFrame:
    """(period, value, vintage, dated[, loaded_at]) rows."""
    frame = pd.DataFrame([i if len(i) == 5 else (*i, None) for i in items],
                         columns=["period", "value", "vintage", "dated", "loaded_at"])
    return frame.assign(vintage=pd.to_datetime(frame["vintage"]), loaded_at=pd.to_datetime(frame["loaded_at"]))


def values(series: pd.Series) -> dict[str, float]:
    return {str(p): float(v) for p, v in series.items()}


def test_an_undated_figure_counts_one_lag_after_its_period():
    lags = Lags(annual=0, monthly=1)
    history = History(rows(("2023-11", 100.0, "2026-11-30", False), ("2023-12", 101.0, "2026-11-30", False)), lags)
    assert values(history.known_at(datetime(2024, 1, 1))) == {"2023-11": 100.0}
    assert values(history.known_at(datetime(2024, 2, 1))) == {"2023-11": 100.0, "2023-12": 101.0}
    annual = History(rows(("2023", 2.5, "2026-11-30", False)), lags)
    assert values(annual.known_at(datetime(2023, 12, 31, 12))) == {}
    assert values(annual.known_at(datetime(2024, 1, 1))) == {"2023": 2.5}
    assert list(Lags(annual=3).available(pd.Series(["2023"]))) == [np.datetime64("2024-03-31T23:59:59.999999")]


def test_a_source_may_have_its_own_publication_lag():
    lags = Lags(monthly=1, by_source=(("INSTAT", 3),))
    frame = rows(("2023-09", 100.0, "2026-11-30", False), ("2023-09", 100.5, "2026-11-30", False))
    frame["source"] = ["World Bank", "INSTAT Mali"]
    available = lags.available(frame["period"], frame["source"])
    assert list(available) == [np.datetime64("2023-10-31T23:59:59.999999"), np.datetime64("2023-12-31T23:59:59.999999")]


def test_a_dated_figure_counts_from_its_publication_and_the_latest_release_wins():
    history = History(rows(
        ("2020", 4.9, "2019-04-09", True), ("2020", -2.0, "2020-10-13", True), ("2020", -1.2, "2022-04-19", True),
        ("2019", 5.0, "2019-10-15", True),
    ))
    assert values(history.known_at(datetime(2021, 5, 1))) == {"2019": 5.0, "2020": -2.0}
    assert values(history.known_at(datetime(2023, 1, 1)))["2020"] == -1.2
    assert values(history.known_at(datetime(2019, 6, 1))) == {"2020": 4.9}


def test_before_the_first_release_the_earliest_vintage_stands_in_on_the_lag_rule():
    history = History(rows(("2010", 3.0, "2019-04-09", True), ("2010", 3.3, "2021-04-06", True),
                           ("2018", 4.7, "2019-04-09", True)))
    early = history.known_at(datetime(2012, 1, 1))
    assert values(early) == {"2010": 3.0}  # the earliest release, never a later one; 2018 not yet over
    assert values(history.known_at(datetime(2019, 5, 1))) == {"2010": 3.0, "2018": 4.7}


def test_a_run_dated_before_the_first_release_reads_data_as_of_the_lag_rule_not_of_the_release():
    history = History(rows(("2010", 3.0, "2019-04-09", True), ("2011", 3.5, "2019-04-09", True),
                           ("2011", 3.9, "2021-04-06", True)))
    assert history.newest_known_at(datetime(2012, 6, 1)) == pd.Timestamp("2011-12-31 23:59:59.999999")
    assert history.newest_known_at(datetime(2022, 1, 1)) == pd.Timestamp("2021-04-06")
    assert history.newest_known_at(datetime(2005, 1, 1)) is None


def test_the_store_view_takes_an_analysts_correction_over_an_older_release():
    history = History(rows(("2024", 3.176, "2025-10-14", True, "2026-01-05"),
                           ("2024", 3.0, "2026-02-01", False, "2026-02-01")))
    assert values(history.as_of())["2024"] == 3.0
    assert values(history.as_of(datetime(2026, 1, 31)))["2024"] == 3.176


def test_the_run_date_follows_the_newest_information_not_the_clock():
    cpi = History(rows(("2023-12", 101.0, "2026-11-30", False)), Lags(monthly=1))
    assert forecast_date([cpi]) == datetime(2024, 2, 1)
    weo = History(rows(("2024", 4.7, "2025-10-14 23:59:59", True)))
    assert forecast_date([cpi, weo]) == datetime(2025, 11, 1)
    assert forecast_date([cpi], datetime(2021, 5, 1, 23, 59)) == datetime(2021, 5, 1, 23, 59)


def test_origins_are_the_same_day_in_earlier_years():
    assert origin_dates(datetime(2024, 2, 29), 2021, 5) == [datetime(2021, 2, 28), datetime(2022, 2, 28),
                                                             datetime(2023, 2, 28)]


def test_a_current_year_figure_loaded_before_the_year_ends_counts_from_its_load():
    """A government's estimate for 2026 loaded on 20 November 2026 was known then: the run is dated
    1 December, not 1 January 2027 (a date after the day it was made)."""
    loaded = "2026-11-20 09:30"
    history = History(rows(("2025", 4.1, loaded, False, loaded), ("2026", 4.6, loaded, False, loaded)))
    assert values(history.known_at(datetime(2026, 11, 19))) == {"2025": 4.1}
    assert values(history.known_at(datetime(2026, 11, 21))) == {"2025": 4.1, "2026": 4.6}
    assert forecast_date([history]) == datetime(2026, 12, 1)
    past = History(rows(("2025", 4.1, loaded, False, loaded)))
    assert forecast_date([past]) == datetime(2026, 1, 1)  # an old year's figure keeps the lag rule's date
