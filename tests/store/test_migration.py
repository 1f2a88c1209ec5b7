"""Revision 0003 brings a store of load-time vintages to publication vintages, keeping every figure."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
from alembic import command
from sqlalchemy import DateTime, bindparam, text

from econ.store import repository as repo
from econ.store.db import alembic_config, current_revision, upgrade

LOADED = datetime(2025, 11, 5, 10, 30)
LATER = datetime(2025, 12, 1, 9, 0)


def migrate(engine, revision: str, how=command.upgrade) -> None:
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        how(cfg, revision)


def sql(statement: str):
    """A statement whose :t, :a and :b are datetimes, bound as the ORM binds them (not by the driver)."""
    query = text(statement)
    names = [n for n in ("t", "a", "b") if f":{n}" in statement]
    return query.bindparams(*(bindparam(n, type_=DateTime()) for n in names))


def old_store(engine) -> None:
    """A store as revision 0002 left it: vintages were load moments; a revision loaded later."""
    migrate(engine, "0002", command.downgrade)
    with engine.begin() as conn:
        conn.execute(sql(
            "INSERT INTO series (country, indicator, frequency, unit, source, created_at) "
            "VALUES ('MLI', 'inflation', 'A', '%', 'WEO', :t)"), {"t": LOADED})
        for moment in (LOADED, LATER):
            conn.execute(sql(
                "INSERT INTO ingests (created_at, source, rows_added, rows_revised, rows_unchanged) "
                "VALUES (:t, 'bundled', 1, 0, 0)"), {"t": moment})
        ids = {"s": conn.execute(text("SELECT max(id) FROM series")).scalar()}
        ids["i1"], ids["i2"] = conn.execute(text("SELECT id FROM ingests ORDER BY id")).scalars().all()
        conn.execute(sql(
            "INSERT INTO observations (series_id, period, value, vintage, ingest_id, source) VALUES "
            "(:s, '2024', 3.176, :a, :i1, 'WEO'), (:s, '2024', 3.0, :b, :i2, 'Analyst')"),
            {"a": LOADED, "b": LATER, **ids})
        conn.execute(sql(
            "INSERT INTO official_projections (publisher, published, country, indicator, target_period, value, "
            "vintage, ingest_id) VALUES ('IMF', '2025-10', 'MLI', 'inflation', '2026', 2.5, :a, :i1), "
            "('IMF', '2025-11', 'MLI', 'inflation', '2026', 2.4, :a, :i1)"), {"a": LOADED, **ids})


def test_an_old_store_keeps_its_figures_and_gains_load_moments(engine):
    old_store(engine)
    assert current_revision(engine) == "0002"
    assert upgrade(engine) == "0003"
    history = repo.vintages(engine, "MLI", "inflation")
    assert history["value"].tolist() == [3.176, 3.0]
    assert history["loaded_at"].tolist() == history["vintage"].tolist() == [LOADED, LATER]
    assert history["published"].isna().all()
    assert repo.observations(engine, "MLI", "inflation")["unit"].tolist() == ["%"]
    assert repo.observations(engine, "MLI", "inflation", as_of=LOADED)["value"].tolist() == [3.176]

    official = repo.official_projections(engine, "MLI", "inflation").set_index("published")
    assert official.loc["2025-10", "vintage"] == datetime(2025, 10, 31, 23, 59, 59, 999999)
    assert official.loc["2025-11", "vintage"] == LOADED  # loaded before November was over
    assert repo.data_vintage(engine) == LATER and repo.data_vintage(engine, LATER - timedelta(seconds=1)) == LOADED


def test_after_the_migration_loads_of_one_publication_do_not_collide(engine):
    old_store(engine)
    upgrade(engine)
    frame = pd.DataFrame([("MLI", "inflation", "2024", 3.1)], columns=["country", "indicator", "period", "value"])
    frame = frame.assign(unit="%", source="WEO", reference=None, note="re-read", published="2025-10-14")
    official = pd.DataFrame([("IMF", "2025-10", "MLI", "inflation", "2026", 2.6, None, None)],
                            columns=["publisher", "published", "country", "indicator", "target_period", "value",
                                     "reference", "note"]).astype({"value": "float64"})
    for _ in range(2):
        repo.write_batch(engine, frame.assign(value=frame["value"] + _), official.assign(value=2.6 + _), source="t")
    assert len(repo.vintages(engine, "MLI", "inflation")) == 4


def test_the_migration_goes_back_down_keeping_the_newest_publication_of_each_load(engine):
    frame = pd.DataFrame([("MLI", "inflation", "2024", 3.2), ("MLI", "inflation", "2024", 3.176)],
                         columns=["country", "indicator", "period", "value"])
    frame = frame.assign(unit="%", source="WEO", reference=None, note=None, published=["2025-04-22", "2025-10-14"])
    repo.write_batch(engine, frame, pd.DataFrame(columns=["publisher", "published", "country", "indicator",
                                                          "target_period", "value", "reference", "note"]), source="t")
    migrate(engine, "0002", command.downgrade)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM observations")).scalars().all() == [3.176]
    assert upgrade(engine) == "0003"
