"""Dask scale-out gives exactly the in-process result for the same seed."""

from __future__ import annotations

import pytest

from oligotrial.design.scale_out import simulate
from oligotrial.design.trial_scenario import build_scenario

SC = build_scenario(
    subjects=132,
    events=[59, 118],
    hazard_ratio=0.6,
    accrual=24.0,
    control_median=3.1,
    dropout_rate=0.1,
)


def test_local_cluster_threads_equals_in_process() -> None:
    here = simulate(SC, 2400, 99, chunk_size=300)
    seen: list[tuple[int, int]] = []
    dask = simulate(
        SC,
        2400,
        99,
        chunk_size=300,
        scheduler="local",
        workers=2,
        processes=False,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert dask == here
    assert seen[-1] == (8, 8)


@pytest.mark.slow
def test_local_cluster_with_worker_processes_equals_in_process() -> None:
    here = simulate(SC, 1200, 5, chunk_size=300, workers=1)
    dask = simulate(SC, 1200, 5, chunk_size=300, scheduler="local", workers=2, processes=True)
    assert dask == here


def test_unreachable_scheduler_is_an_input_error() -> None:
    from oligotrial.errors import InputError

    with pytest.raises(InputError) as err:
        simulate(SC, 100, 1, scheduler="tcp://127.0.0.1:9", connect_timeout=1.0)
    assert err.value.field == "scheduler"


def test_auto_runs_large_simulations_on_a_local_cluster(monkeypatch: pytest.MonkeyPatch) -> None:
    import dask.distributed

    from oligotrial.design import scale_out

    started: list[object] = []
    real_cluster = dask.distributed.LocalCluster

    def recording_cluster(*args: object, **kwargs: object) -> object:
        cluster = real_cluster(*args, **kwargs)
        started.append(cluster)
        return cluster

    monkeypatch.setattr(dask.distributed, "LocalCluster", recording_cluster)
    small = simulate(SC, 600, 3, chunk_size=300, scheduler="auto")
    assert started == []  # an ordinary run stays in this process
    monkeypatch.setattr(scale_out, "LARGE_RUN", 600 * SC.subjects)
    large = simulate(SC, 600, 3, chunk_size=300, scheduler="auto", processes=False)
    assert len(started) == 1
    assert large == small == simulate(SC, 600, 3, chunk_size=300)
