"""Builds the bundled default dataset under ``data/`` from the reference files in ``../shared/data/``.

Run it when the reference files change: ``python scripts/build_bundle.py [SHARED_DATA_DIR]``.
Every figure keeps its source, reference and note; nothing is interpolated or converted. The
monthly CPI files there are for validation only and are deliberately not bundled.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OBSERVATION_COLUMNS = ["country", "indicator", "period", "value", "unit", "source", "reference", "note"]
OFFICIAL_COLUMNS = ["publisher", "published", "country", "indicator", "target_year", "value", "reference", "note"]


def build(shared: Path, out: Path) -> dict[str, int]:
    annual = pd.read_csv(shared / "annual.csv", dtype=str, keep_default_na=False)
    official = pd.read_csv(shared / "official_projections.csv", dtype=str, keep_default_na=False)
    annual = annual[OBSERVATION_COLUMNS].sort_values(["country", "indicator", "period"])
    official = official[OFFICIAL_COLUMNS].sort_values(["country", "indicator", "target_year", "publisher", "published"])
    annual.to_csv(out / "observations.csv", index=False, lineterminator="\n")
    official.to_csv(out / "official_projections.csv", index=False, lineterminator="\n")
    return {"observations": len(annual), "official_projections": len(official)}


if __name__ == "__main__":
    shared_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    print(build(shared_dir, ROOT / "data"))
