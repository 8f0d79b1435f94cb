"""Running simulations in this process or on Dask, and scenario grids as tidy tables.

``simulate`` sends the same fixed-size chunks (see ``simulation``) to the chosen executor:
``scheduler=None`` runs them on a thread pool here; ``"local"`` starts a Dask
``LocalCluster``; ``"auto"`` (the command line's default) takes the thread pool for
ordinary runs and a local Dask cluster for large ones (at least ``LARGE_RUN`` simulated
patients); any other string is the address of a running Dask scheduler. Chunk results
are combined in chunk order, so every executor gives identical numbers.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from oligotrial.design.simulation import (
    ChunkSummary,
    Progress,
    SimulationResult,
    chunk_plan,
    combine,
    default_chunk_size,
    run_chunk,
    simulate_in_process,
)
from oligotrial.design.trial_scenario import TrialScenario, build_scenario
from oligotrial.errors import InputError

# Simulated patients (trials × subjects) from which "auto" starts a local Dask cluster: a
# cluster costs a few seconds to start, worth it only for runs of a minute or more.
LARGE_RUN = 200_000_000


def simulate(
    scenario: TrialScenario,
    iterations: int,
    seed: int,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    chunk_size: int | None = None,
    processes: bool = True,
    progress: Progress | None = None,
    engine: str = "kernel",
    connect_timeout: float = 20.0,
) -> SimulationResult:
    """Simulate ``iterations`` trials of ``scenario`` from ``seed``."""
    seed = _seed(seed)
    if scheduler == "auto":
        scheduler = "local" if iterations * scenario.subjects >= LARGE_RUN else None
    if scheduler is None:
        return simulate_in_process(
            scenario,
            iterations,
            seed,
            chunk_size=chunk_size,
            workers=workers,
            progress=progress,
            engine=engine,
        )
    return _simulate_dask(
        scenario,
        iterations,
        seed,
        scheduler,
        workers,
        chunk_size,
        processes,
        progress,
        engine,
        connect_timeout,
    )


def _seed(seed: int) -> int:
    if isinstance(seed, bool) or int(seed) != seed or seed < 0:
        raise InputError("seed", f"must be a whole number >= 0, got {seed!r}")
    return int(seed)


def _simulate_dask(
    sc: TrialScenario,
    iterations: int,
    seed: int,
    scheduler: str,
    workers: int | None,
    chunk_size: int | None,
    processes: bool,
    progress: Progress | None,
    engine: str,
    connect_timeout: float,
) -> SimulationResult:
    from dask.distributed import Client, LocalCluster, as_completed

    chunk = chunk_size or default_chunk_size(sc.subjects)
    plan = chunk_plan(iterations, chunk)
    cluster = None
    try:
        if scheduler == "local":
            cluster = LocalCluster(
                n_workers=workers or 2,
                threads_per_worker=1,
                processes=processes,
                dashboard_address=None,
            )  # type: ignore[no-untyped-call]
            client = Client(cluster)  # type: ignore[no-untyped-call]
        else:
            try:
                client = Client(scheduler, timeout=connect_timeout)  # type: ignore[no-untyped-call]
            except OSError as exc:
                raise InputError(
                    "scheduler", f"cannot reach Dask scheduler {scheduler!r}: {exc}"
                ) from None
        with client:
            sc_future = client.scatter(sc, broadcast=True)  # type: ignore[no-untyped-call]
            futures = [
                client.submit(run_chunk, sc_future, seed, c, t, engine, pure=False) for c, t in plan
            ]
            index = {f.key: i for i, f in enumerate(futures)}
            parts: list[ChunkSummary | None] = [None] * len(plan)
            finished = as_completed(futures)  # type: ignore[no-untyped-call]
            for done, fut in enumerate(finished, start=1):
                parts[index[fut.key]] = fut.result()
                if progress:
                    progress(done, len(plan))
    finally:
        if cluster is not None:
            cluster.close()
    return combine(sc, [p for p in parts if p is not None], seed, chunk)


def simulate_grid(
    base: Mapping[str, Any],
    grid: Mapping[str, Sequence[Any]],
    iterations: int,
    seed: int,
    **run: Any,
) -> Any:
    """Simulate every combination of ``grid`` values over ``base`` arguments.

    ``base`` holds keyword arguments of ``build_scenario``; ``grid`` maps some of them
    (e.g. hazard_ratio, control_median, accrual) to lists of values. Every scenario uses
    the same seed (common random numbers, so differences between rows are not noise from
    different draws). Returns a pandas DataFrame: one row per scenario, the varied values
    first, then the results.
    """
    import pandas as pd

    names = list(grid)
    for name in names:
        if not isinstance(grid[name], Sequence) or isinstance(grid[name], str) or not grid[name]:
            raise InputError(f"grid.{name}", "must be a non-empty list of values")
    rows = []
    for values in itertools.product(*(grid[n] for n in names)):
        kwargs = dict(base)
        kwargs.update(zip(names, values, strict=True))
        sc = build_scenario(**kwargs)
        res = simulate(sc, iterations, seed, **run)
        row: dict[str, Any] = dict(zip(names, values, strict=True))
        row.update(_flat(res))
        rows.append(row)
    return pd.DataFrame(rows)


def _flat(res: SimulationResult) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in res.as_dict().items():
        if isinstance(value, tuple):
            for k, v in enumerate(value, start=1):
                out[f"{key}_{k}"] = v
        else:
            out[key] = value
    return out
