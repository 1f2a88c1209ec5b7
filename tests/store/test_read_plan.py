"""Reading one series touches only that series' rows (issue 10): the plans of the real queries, both databases."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from sqlalchemy import event

from econ.store import repository as repo

COUNTRIES = ["BEN", "BFA", "CIV", "GNB", "MLI", "NER", "SEN", "TGO"]
PERIODS = [str(y) for y in range(1960, 2025)]


@pytest.fixture
def crowded(engine):
    """Sixteen series of 65 years, each with two publications: the one read is 1/16 of the store."""
    frames = []
    for published, shift in (("2024-04-16", 0.0), ("2024-10-22", 0.1)):
        rows = [(c, i, p, float(len(p)) + shift) for c in COUNTRIES for i in ("inflation", "gdp_growth") for p in PERIODS]
        frame = pd.DataFrame(rows, columns=["country", "indicator", "period", "value"])
        frames.append(frame.assign(unit=None, source="WEO", reference=None, note=None, published=published))
    official = pd.DataFrame(columns=[*repo.OFFICIAL_KEY, "value", "reference", "note"])
    repo.write_batch(engine, pd.concat(frames, ignore_index=True), official, source="test")
    return engine


def statements(engine, read) -> list[tuple[str, object]]:
    """The SQL (and parameters) a read sends to the database."""
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        read()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return [(s, p) for s, p in seen if "observations" in s]


READS = {
    "observations": lambda e: repo.observations(e, "MLI", "inflation", as_of="2024-06-30"),
    "observations now": lambda e: repo.observations(e, "MLI", "inflation"),
    "vintages": lambda e: repo.vintages(e, "MLI", "inflation", as_of="2024-06-30"),
}


@pytest.mark.parametrize("read", list(READS))
def test_a_single_series_read_searches_the_index_and_scans_nothing_else(crowded, read):
    issued = statements(crowded, lambda: READS[read](crowded))
    assert len(issued) == 1, "one query per read"
    statement, parameters = issued[0]
    if crowded.dialect.name == "sqlite":
        plan = sqlite_plan(crowded, statement, parameters)
        assert not [line for line in plan if re.match(r"SCAN (TABLE )?observations\b", line)], plan
        assert any(line.startswith("SEARCH observations USING") and "(series_id=?" in line for line in plan), plan
    else:
        touched, plan = postgres_rows_touched(crowded, statement, parameters)
        assert "Seq Scan" not in plan
        assert touched <= 2 * len(PERIODS), f"{touched} rows of observations read for one series:\n{plan}"


def test_the_picker_and_the_data_vintage_do_not_read_the_observations(crowded):
    """Both come from the small table of each series' vintages, however many figures are stored."""
    assert statements(crowded, lambda: repo.publication_dates(crowded)) == []
    assert statements(crowded, lambda: repo.publication_dates(crowded, "MLI", "inflation")) == []
    assert statements(crowded, lambda: repo.data_vintage(crowded, "2024-06-30")) == []
    assert len(repo.publication_dates(crowded)) == 2
    assert repo.data_vintage(crowded, "2024-06-30") == repo.publication_dates(crowded)[-1]


def sqlite_plan(engine, statement, parameters) -> list[str]:
    with engine.connect() as conn:
        return [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()]


def postgres_rows_touched(engine, statement, parameters) -> tuple[int, str]:
    """Rows of ``observations`` the executed plan read (kept + filtered out), with sequential scans off."""
    with engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        raw = conn.exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters).scalar()
    plan = raw if isinstance(raw, list) else json.loads(raw)
    return _touched(plan[0]["Plan"]), json.dumps(plan, indent=1)


def _touched(node: dict) -> int:
    own = 0
    if node.get("Relation Name") == "observations":
        rows = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0) + node.get("Rows Removed by Index Recheck", 0)
        own = rows * node.get("Actual Loops", 1)
    return own + sum(_touched(child) for child in node.get("Plans", []))


def test_the_read_answers_what_the_old_grouped_query_answered(crowded):
    """The picked rows are the newest vintage per period, as of the moment asked."""
    early = repo.observations(crowded, "MLI", "inflation", as_of="2024-06-30")
    late = repo.observations(crowded, "MLI", "inflation")
    assert len(early) == len(late) == len(PERIODS)
    assert (late["value"] - early["value"]).round(6).eq(0.1).all()
    assert set(early["published"].dt.strftime("%Y-%m-%d")) == {"2024-04-16"}
