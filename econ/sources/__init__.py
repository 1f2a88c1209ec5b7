"""Loaders: every file layout and live source becomes one validated ``Batch``.

    read_path(path, *, today=None) -> Batch        # a file: long/wide CSV, .xlsx, official projections,
                                                   # the World Bank Global Inflation Database
    read_bytes(raw, name, *, today=None) -> Batch  # the same for bytes already in memory (uploads)
    LIVE_SOURCES["worldbank" | "imf" | "wb-inflation"].fetch(...) -> Batch

Bad input raises ``econ.schema.InputError`` with every problem as ``file:line: column: problem``;
an unreachable live source raises ``SourceUnavailable``.
"""

from econ.sources.base import Batch, SourceUnavailable
from econ.sources.files import read_bytes, read_path
from econ.sources.registry import LIVE_SOURCES, LiveSource

__all__ = ["LIVE_SOURCES", "Batch", "LiveSource", "SourceUnavailable", "read_bytes", "read_path"]
