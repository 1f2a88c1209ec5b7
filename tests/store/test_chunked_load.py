"""A large load written chunk by chunk: one transaction (all or nothing), readers never held off (both databases)."""

from __future__ import annotations

import threading
import time

import pandas as pd
import pytest

from econ.ingest import read_all, write_all
from econ.sources import stream
from econ.store import repository as repo

OFFICIAL = pd.DataFrame(columns=["publisher", "published", "country", "indicator", "target_period", "value",
                                 "reference", "note"]).astype({"value": "float64"})


def chunk(country: str, years: range, value: float = 1.0, published: str | None = None) -> pd.DataFrame:
    frame = pd.DataFrame([(country, "inflation", str(y), value + y % 3) for y in years],
                         columns=["country", "indicator", "period", "value"])
    frame = frame.assign(unit=None, source="chunked", reference=None, note=None).astype({"value": "float64"})
    return frame.assign(published=published) if published else frame


def test_chunks_are_one_load_compared_with_the_chunks_before_them(engine):
    parts = [chunk("MLI", range(2000, 2010), published="2024-04"), chunk("MLI", range(2005, 2012), published="2024-10"),
             chunk("SEN", range(2000, 2004))]
    summary = repo.write_batch(engine, iter(parts), OFFICIAL, source="big")
    assert (summary.added, summary.revised, summary.unchanged) == (16, 5, 0)
    assert summary.countries == ("MLI", "SEN") and (summary.first_period, summary.last_period) == ("2000", "2011")
    assert len(repo.vintages(engine)) == 21 and repo.vintages(engine)["loaded_at"].nunique() == 1


def test_a_failure_in_a_late_chunk_leaves_nothing(engine):
    repo.write_batch(engine, chunk("MLI", range(1990, 1992)), OFFICIAL, source="before")

    def parts():
        yield chunk("MLI", range(2000, 2010))
        yield chunk("SEN", range(2000, 2010))
        raise OSError("the disk was unplugged")

    with pytest.raises(OSError, match="unplugged"):
        repo.write_batch(engine, parts(), OFFICIAL, source="big")
    assert len(repo.vintages(engine)) == 2
    assert repo.series(engine)["country"].tolist() == ["MLI"]


def test_readers_are_not_held_off_by_a_load_in_progress_and_see_it_whole_when_done(engine):
    repo.write_batch(engine, chunk("MLI", range(2000, 2005)), OFFICIAL, source="first")
    inside, finish, reads = threading.Event(), threading.Event(), []

    def parts():
        yield chunk("SEN", range(2000, 2010))
        inside.set()
        assert finish.wait(20)
        yield chunk("CIV", range(2000, 2010))

    writer = threading.Thread(target=lambda: repo.write_batch(engine, parts(), OFFICIAL, source="big"))
    writer.start()
    assert inside.wait(20)
    for country in ("MLI", "SEN"):
        start = time.perf_counter()
        reads.append((len(repo.observations(engine, country, "inflation")), time.perf_counter() - start))
    finish.set()
    writer.join(30)
    assert [n for n, _ in reads] == [5, 0], "readers saw the last commit, not half a load"
    assert max(seconds for _, seconds in reads) < 2.0, "a reader waited for the load"
    assert len(repo.observations(engine, ["SEN", "CIV"], "inflation")) == 20


def test_a_large_file_goes_in_through_ingest_in_chunks(engine, tmp_path, monkeypatch):
    monkeypatch.setattr(stream, "STREAM_BYTES", 100)
    monkeypatch.setattr(stream, "CHUNK_ROWS", 4)
    path = tmp_path / "big.csv"
    path.write_text("country,indicator,period,value,published\n"
                    + "".join(f"MLI,inflation,{y},{y % 4}.25,2024-04\n" for y in range(1990, 2020)), encoding="utf-8")
    batches = read_all([path])
    assert batches[0].chunks is not None and batches[0].row_count == 30
    [loaded] = write_all(engine, batches)
    assert loaded.summary.added == 30
    assert repo.observations(engine, "MLI", "inflation")["value"].iloc[-1] == 3.25
    assert repo.last_checksums(engine, "csv") == {"big.csv": batches[0].checksum}


def test_a_load_of_more_series_than_one_query_may_name(engine):
    """Stored rows and vintages are looked up 500 series at a time; 1,200 series go in and reload unchanged."""
    frame = pd.DataFrame([(f"X{i:04d}", "cpi", "2024-01", 100.0 + i) for i in range(1200)],
                         columns=["country", "indicator", "period", "value"])
    frame = frame.assign(unit=None, source="panel", reference=None, note=None, published="2024-04")
    assert repo.write_batch(engine, frame, OFFICIAL, source="panel").added == 1200
    assert repo.write_batch(engine, frame, OFFICIAL, source="panel").unchanged == 1200
    assert len(repo.publication_dates(engine)) == 1 and len(repo.series(engine)) == 1200
