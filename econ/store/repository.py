"""The store's public functions, in one place: read as of any moment, write a batch as one transaction.

Vintages are publication dates where known. An observation carries ``published`` (when its
publisher released it, or NULL), ``loaded_at`` (when this store loaded it) and ``vintage`` (the
publication moment, else the load moment): "as of" reads the newest vintage on or before a
moment. The rules for writing (what counts as unchanged, revised or added) are in
``econ.store.writing``; reading is in ``econ.store.reading``.

Reading, for the forecast engine and the dashboard:

    observations(engine, country=None, indicator=None, as_of=None)
        -> country, indicator, period, value, unit, source, reference, note, vintage, published, loaded_at
    vintages(engine, country=None, indicator=None, as_of=None)
        -> country, indicator, period, value, vintage, published, loaded_at, source   (every row)
    official_projections(engine, country=None, indicator=None, as_of=None)
        -> publisher, published, country, indicator, target_period, value, reference, note, vintage
    publication_dates(engine, country=None, indicator=None) -> [datetime, ...] newest first
    data_vintage(engine, as_of=None) -> datetime | None
    loaded_since(engine, country, after, known_by=None) -> {figures, last} | None
    generation(engine) -> Generation(ingest, run, changed_at): what caches key on
"""

from econ.store.moments import parse_as_of, published_moments, utcnow
from econ.store.reading import (
    NORM_COLUMNS,
    Generation,
    data_vintage,
    first_vintage,
    generation,
    last_checksums,
    loaded_since,
    none_known,
    norms,
    norms_for,
    observations,
    official_projections,
    publication_dates,
    revisions,
    series,
    vintages,
)
from econ.store.writing import (
    OFFICIAL_KEY,
    IngestSummary,
    checksum,
    lock_for_writing,
    write_batch,
    write_transaction,
)

__all__ = [
    "NORM_COLUMNS",
    "OFFICIAL_KEY",
    "IngestSummary",
    "checksum",
    "Generation",
    "data_vintage",
    "first_vintage",
    "generation",
    "last_checksums",
    "loaded_since",
    "lock_for_writing",
    "none_known",
    "norms",
    "norms_for",
    "observations",
    "official_projections",
    "parse_as_of",
    "publication_dates",
    "published_moments",
    "revisions",
    "series",
    "utcnow",
    "vintages",
    "write_batch",
    "write_transaction",
]
