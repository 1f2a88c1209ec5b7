"""Monotone history: two loads at once on SQLite and PostgreSQL; the one that commits later is dated later."""

from __future__ import annotations

import threading
import time

import pandas as pd

from econ.store import repository as repo

OFFICIAL = pd.DataFrame(columns=["publisher", "published", "country", "indicator", "target_period", "value",
                                 "reference", "note"]).astype({"value": "float64"})


def batch(value: float, source: str) -> pd.DataFrame:
    frame = pd.DataFrame([("MLI", "inflation", "2024", value)], columns=["country", "indicator", "period", "value"])
    return frame.assign(unit=None, source=source, reference=None, note=None).astype({"value": "float64"})


def test_a_load_waits_for_the_lock_before_taking_its_moment(engine):
    """Writer B starts while A is inside its transaction: B's load moment must come after all of A's work,
    so no reader can see B's rows, then see A commit rows dated before them."""
    inside, seen, errors = threading.Event(), {}, []

    def hold_the_lock(rows: int) -> None:
        if "a_done" not in seen:
            inside.set()
            time.sleep(0.6)
            seen["a_done"] = repo.utcnow()

    def writer(name: str, value: float, progress=None, wait: threading.Event | None = None) -> None:
        try:
            if wait is not None:
                assert wait.wait(10), "writer A never got inside its transaction"
            seen[name] = repo.write_batch(engine, batch(value, name), OFFICIAL, source=name, progress=progress)
        except Exception as err:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(err)

    a = threading.Thread(target=writer, args=("a", 3.176, hold_the_lock))
    b = threading.Thread(target=writer, args=("b", 3.0, None, inside))
    a.start()
    b.start()
    a.join(30)
    b.join(30)
    assert not errors, errors
    assert seen["a"].vintage < seen["a_done"] < seen["b"].vintage
    history = repo.vintages(engine, "MLI", "inflation")
    assert history["source"].tolist() == ["a", "b"]
    assert history["loaded_at"].is_monotonic_increasing
    assert repo.observations(engine, "MLI", "inflation")["value"].tolist() == [3.0]


def test_many_concurrent_loads_commit_in_the_order_of_their_moments(engine):
    """Eight writers at once: every load's rows become visible in the order of their load moments."""
    errors = []

    def writer(i: int) -> None:
        try:
            repo.write_batch(engine, batch(float(i), f"writer {i}"), OFFICIAL, source=f"w{i}")
        except Exception as err:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(err)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    history = repo.vintages(engine, "MLI", "inflation")
    assert len(history) == 8 and history["loaded_at"].is_unique
    with engine.connect() as conn:
        from sqlalchemy import select

        from econ.store.tables import Ingest, Observation

        order = conn.execute(
            select(Observation.loaded_at).join(Ingest, Ingest.id == Observation.ingest_id).order_by(Ingest.id)
        ).scalars().all()
    assert order == sorted(order), "an ingest id given later carries an earlier load moment"
