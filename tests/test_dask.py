"""Forecasts on a Dask cluster give exactly the numbers of the local run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from econ.forecast import run_forecasts, run_json
from econ.store.db import make_engine, upgrade

sys.path.insert(0, str(Path(__file__).parent))
from test_forecast import load  # noqa: E402

distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed (pip install 'econ[dask]')")


@pytest.mark.slow
def test_a_local_cluster_gives_the_numbers_of_the_local_run(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")
    upgrade(engine)
    load(engine)
    local = run_forecasts(engine, seed=7, workers=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = run_forecasts(engine, seed=7, scheduler=cluster.scheduler_address)
    shape = lambda run: [(f["country"], f["indicator"], f["points"]) for f in run_json(engine, run)["forecasts"]]  # noqa: E731
    assert shape(remote) == shape(local)
    settings = run_json(engine, remote)["run"]["settings"]
    assert settings["scheduler"] == cluster.scheduler_address


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")
    upgrade(engine)
    load(engine)
    with pytest.raises(RuntimeError, match="Dask scheduler"):
        run_forecasts(engine, seed=7, scheduler="tcp://127.0.0.1:1")
