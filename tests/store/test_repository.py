"""The store keeps every vintage and answers "what was known then", on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import func, select

from econ.store import repository as repo, writing
from econ.store.db import current_revision, upgrade
from econ.store.tables import Ingest, Observation, OfficialProjection


def frame(rows, **defaults) -> pd.DataFrame:
    """Observation rows ``(country, indicator, period, value)`` in the tidy shape."""
    out = pd.DataFrame(rows, columns=["country", "indicator", "period", "value"]).astype({"value": "float64"})
    for column in ("unit", "source", "reference", "note"):
        out[column] = defaults.get(column)
    return out


def official(rows) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=["publisher", "published", "country", "indicator", "target_period", "value"])
    return out.assign(reference="test reference", note=None).astype({"value": "float64"})


MALI = frame(
    [("MLI", "inflation", "2022", 9.7), ("MLI", "inflation", "2023", 2.1), ("MLI", "gdp_growth", "2023", 4.7)],
    source="test source",
)


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def test_round_trip_keeps_values_units_and_sources(engine):
    summary = repo.write_batch(engine, MALI, official([]), source="test")
    assert (summary.added, summary.revised, summary.unchanged) == (3, 0, 0)
    got = repo.observations(engine, "MLI", "inflation")
    assert got[["period", "value"]].values.tolist() == [["2022", 9.7], ["2023", 2.1]]
    assert set(got["unit"]) == {"%"} and set(got["source"]) == {"test source"}
    assert repo.series(engine)[["country", "indicator", "first", "last", "count"]].values.tolist() == [
        ["MLI", "gdp_growth", "2023", "2023", 1],
        ["MLI", "inflation", "2022", "2023", 2],
    ]


def test_revision_is_a_new_vintage_and_as_of_reads_the_past(engine):
    first = repo.write_batch(engine, MALI, official([]), source="test")
    between = first.vintage + timedelta(milliseconds=1)
    revised = MALI.copy()
    revised.loc[1, "value"] = 2.3
    second = repo.write_batch(engine, revised, official([]), source="test", vintage=first.vintage + timedelta(seconds=1))
    assert (second.added, second.revised, second.unchanged) == (0, 1, 2)

    now = repo.observations(engine, "MLI", "inflation")
    then = repo.observations(engine, "MLI", "inflation", as_of=between)
    before = repo.observations(engine, "MLI", "inflation", as_of=first.vintage - timedelta(seconds=1))
    assert now["value"].tolist() == [9.7, 2.3]
    assert then["value"].tolist() == [9.7, 2.1]
    assert before.empty
    history = repo.revisions(engine, "MLI", "inflation")
    assert history[history["period"] == "2023"]["value"].tolist() == [2.1, 2.3]
    assert count(engine, Observation) == 4


def test_as_of_a_date_means_the_end_of_that_day():
    assert repo.parse_as_of("2025-01-31") == datetime(2025, 1, 31, 23, 59, 59, 999999)
    assert repo.parse_as_of("2025-01-31T10:00:00+01:00") == datetime(2025, 1, 31, 9, 0)
    with pytest.raises(ValueError):
        repo.parse_as_of("31/01/2025")


def test_loading_the_same_batch_twice_adds_nothing(engine):
    repo.write_batch(engine, MALI, official([("IMF", "2025-10", "MLI", "inflation", "2026", 2.5)]), source="test")
    again = repo.write_batch(engine, MALI, official([("IMF", "2025-10", "MLI", "inflation", "2026", 2.5)]), source="test")
    assert (again.added, again.revised, again.unchanged) == (0, 0, 3)
    assert (again.official_added, again.official_unchanged) == (0, 1)
    assert count(engine, Observation) == 3 and count(engine, OfficialProjection) == 1


def test_a_load_that_fails_at_its_last_row_leaves_nothing_behind(engine, monkeypatch):
    repo.write_batch(engine, MALI.iloc[:1], official([]), source="test")
    monkeypatch.setattr(writing, "CHUNK", 1)
    real_insert = writing._insert_chunks
    calls = {"n": 0}

    def failing(conn, table, rows, progress=None, constants=None):
        def boom(n):
            calls["n"] += 1
            if calls["n"] == len(rows):
                raise RuntimeError("disk full at the last row")

        real_insert(conn, table, rows, boom, constants)

    monkeypatch.setattr(writing, "_insert_chunks", failing)
    more = frame([("SEN", "inflation", "2023", 5.9), ("SEN", "inflation", "2024", 0.8)])
    with pytest.raises(RuntimeError, match="last row"):
        repo.write_batch(engine, pd.concat([MALI, more]), official([]), source="test")
    assert count(engine, Observation) == 1
    assert count(engine, Ingest) == 1
    assert repo.series(engine)["country"].tolist() == ["MLI"]


def test_official_projection_revision_keeps_both(engine):
    """A publication's figure read again with another value is a new row; reads show the last reading,
    dated by the publication (the end of October 2025), never before it."""
    repo.write_batch(engine, MALI.iloc[:0], official([("IMF", "2025-10", "MLI", "inflation", "2026", 2.5)]), source="t")
    t = repo.utcnow()
    second = repo.write_batch(
        engine, MALI.iloc[:0], official([("IMF", "2025-10", "MLI", "inflation", "2026", 2.4)]), source="t",
        vintage=t + timedelta(seconds=1),
    )
    assert second.official_revised == 1
    now = repo.official_projections(engine, "MLI", "inflation")
    assert now["value"].tolist() == [2.4]
    assert now["vintage"].tolist() == [datetime(2025, 10, 31, 23, 59, 59, 999999)]
    assert repo.official_projections(engine, "MLI", "inflation", as_of="2025-10-31")["value"].tolist() == [2.4]
    assert repo.official_projections(engine, "MLI", "inflation", as_of="2025-10-30").empty
    assert count(engine, OfficialProjection) == 2


def test_norms_are_data_seeded_by_the_migration(engine):
    norms = repo.norms(engine).set_index("code")
    assert norms.loc["waemu_inflation", ["indicator", "comparison", "threshold"]].tolist() == ["inflation", "<=", 3.0]
    assert norms.loc["waemu_public_debt", "threshold"] == 70.0
    assert repo.norms_for(engine, "MLI", "inflation")["code"].tolist() == ["waemu_inflation"]
    assert repo.norms_for(engine, "FRA", "inflation").empty


def test_migrations_are_idempotent(engine):
    assert current_revision(engine) == upgrade(engine) == "0003"


def test_data_vintage_names_the_newest_figure_known(engine):
    assert repo.data_vintage(engine) is None
    s = repo.write_batch(engine, MALI, official([]), source="test")
    assert repo.data_vintage(engine) == s.vintage
    assert repo.data_vintage(engine, as_of=s.vintage - timedelta(seconds=1)) is None
