"""What every loader hands back, and the one error a live source raises.

A ``Batch`` is validated tidy data plus its provenance (kind, file name, checksum of the
raw bytes, URL), so ingest can write it in one transaction and say where it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Batch:
    """Validated observations and official projections read from one file or one live source.

    ``skipped`` counts values left out on purpose, keyed by what was skipped (a World Bank
    aggregate such as ``WLD``, a code that is not a country), so the CLI can report them.
    """

    observations: pd.DataFrame
    official: pd.DataFrame
    kind: str
    file_name: str | None = None
    checksum: str | None = None
    skipped: dict[str, int] = field(default_factory=dict)
    url: str | None = None
    # A large file read in chunks (``econ.sources.stream``): ``observations`` is empty, ``chunks()``
    # yields the validated frames again, ``rows`` counts them.
    chunks: Callable[[], Iterator[pd.DataFrame]] | None = None
    rows: int | None = None

    def observation_parts(self) -> Iterable[pd.DataFrame]:
        """The observations as the store writes them: one frame, or a large file's chunks one by one."""
        return self.chunks() if self.chunks is not None else [self.observations]

    @property
    def row_count(self) -> int:
        return self.rows if self.rows is not None else len(self.observations)


class SourceUnavailable(Exception):
    """A live source could not be reached or answered with an error.

    The message names the URL and says what to do instead (usually: download the data
    by hand and load it with ``econ ingest FILE``).
    """

    def __init__(self, url: str, reason: str, hint: str = "") -> None:
        self.url = url
        self.reason = reason
        self.hint = hint
        super().__init__(f"{url}: {reason}" + (f". {hint}" if hint else ""))
