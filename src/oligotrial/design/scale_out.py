"""Running simulations in this process or on Dask, and scenario grids as tidy tables.

Work is a list of chunk jobs (a scenario, a chunk index, a number of trials and the
scenario's random stream; see ``simulation``). ``run_jobs`` sends them to the chosen
executor: ``scheduler=None`` runs them on a thread pool here; ``"local"`` starts a Dask
``LocalCluster``; ``"auto"`` (the command line's default) takes the thread pool for
ordinary runs and a local Dask cluster for large ones (at least ``LARGE_RUN`` simulated
patients); any other string is the address of a running Dask scheduler. Results come back
in job order and are combined in chunk order, so every executor gives identical numbers.
``simulate`` runs one scenario; ``design.explore`` runs a grid of them as one job list.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from oligotrial.design.simulation import (
    ChunkSummary,
    Progress,
    SimulationResult,
    chunk_plan,
    combine,
    default_chunk_size,
    run_chunk,
    run_chunk_designs,
)
from oligotrial.design.trial_scenario import TrialScenario, build_scenario
from oligotrial.errors import InputError

# Simulated patients (trials × subjects) from which "auto" starts a local Dask cluster: a
# cluster costs a few seconds to start, worth it only for runs of a minute or more.
LARGE_RUN = 200_000_000


@dataclass(frozen=True)
class ChunkJob:
    """One chunk of one scenario: ``trials`` trials drawn from stream ``(*stream, chunk)``."""

    scenario: TrialScenario
    chunk: int
    trials: int
    stream: tuple[int, ...] = ()
    # designs of the same population analysed on these trials (``run_chunk_designs``);
    # empty: the scenario's own design
    designs: tuple[TrialScenario, ...] = ()


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
    chunk = chunk_size or default_chunk_size(scenario.subjects)
    jobs = [ChunkJob(scenario, c, t) for c, t in chunk_plan(iterations, chunk)]
    parts = run_jobs(
        jobs,
        seed,
        scheduler=scheduler,
        workers=workers,
        processes=processes,
        progress=progress,
        engine=engine,
        connect_timeout=connect_timeout,
    )
    return combine(scenario, parts, _seed(seed), chunk)


def simulate_in_process(
    sc: TrialScenario,
    iterations: int,
    seed: int,
    *,
    chunk_size: int | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    engine: str = "kernel",
) -> SimulationResult:
    """``simulate`` on this process's thread pool."""
    return simulate(
        sc,
        iterations,
        seed,
        chunk_size=chunk_size,
        workers=workers,
        progress=progress,
        engine=engine,
    )


def run_jobs(
    jobs: Sequence[ChunkJob],
    seed: int,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    processes: bool = True,
    progress: Progress | None = None,
    engine: str = "kernel",
    connect_timeout: float = 20.0,
) -> list[ChunkSummary]:
    """Run chunk jobs on the chosen executor; the summaries come back in job order."""
    parts = run_design_jobs(
        jobs,
        seed,
        scheduler=scheduler,
        workers=workers,
        processes=processes,
        progress=progress,
        engine=engine,
        connect_timeout=connect_timeout,
    )
    return [p[0] for p in parts]


def run_design_jobs(
    jobs: Sequence[ChunkJob],
    seed: int,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    processes: bool = True,
    progress: Progress | None = None,
    engine: str = "kernel",
    connect_timeout: float = 20.0,
) -> list[tuple[ChunkSummary, ...]]:
    """``run_jobs`` returning, per job, one summary per design (``ChunkJob.designs``)."""
    seed = _seed(seed)
    if engine not in ("kernel", "stats"):
        raise InputError("engine", f"must be kernel or stats, got {engine!r}")
    if scheduler == "auto":
        size = sum(j.trials * j.scenario.subjects for j in jobs)
        scheduler = "local" if size >= LARGE_RUN else None
    if scheduler is None:
        return _run_in_process(list(jobs), seed, workers, progress, engine)
    return _run_dask(
        list(jobs), seed, scheduler, workers, processes, progress, engine, connect_timeout
    )


def _seed(seed: int) -> int:
    if isinstance(seed, bool) or int(seed) != seed or seed < 0:
        raise InputError("seed", f"must be a whole number >= 0, got {seed!r}")
    return int(seed)


def _run(job: ChunkJob, seed: int, engine: str) -> tuple[ChunkSummary, ...]:
    return _run_designs(job.scenario, job.designs, seed, job.chunk, job.trials, engine, job.stream)


def _run_designs(
    sc: TrialScenario,
    designs: tuple[TrialScenario, ...],
    seed: int,
    chunk: int,
    trials: int,
    engine: str,
    stream: tuple[int, ...],
) -> tuple[ChunkSummary, ...]:
    if not designs:
        return (run_chunk(sc, seed, chunk, trials, engine, stream),)
    return run_chunk_designs(sc, designs, seed, chunk, trials, engine, stream)


def _run_in_process(
    jobs: list[ChunkJob],
    seed: int,
    workers: int | None,
    progress: Progress | None,
    engine: str,
) -> list[tuple[ChunkSummary, ...]]:
    """A thread pool here (the kernel releases the GIL)."""
    n_workers = max(1, min(workers or os.cpu_count() or 1, len(jobs)))
    parts: list[tuple[ChunkSummary, ...] | None] = [None] * len(jobs)
    if n_workers == 1:
        for i, job in enumerate(jobs):
            parts[i] = _run(job, seed, engine)
            if progress:
                progress(i + 1, len(jobs))
    else:
        with ThreadPoolExecutor(n_workers) as pool:
            futures = {pool.submit(_run, job, seed, engine): i for i, job in enumerate(jobs)}
            for done, fut in enumerate(as_completed(futures), start=1):
                parts[futures[fut]] = fut.result()
                if progress:
                    progress(done, len(jobs))
    return [p for p in parts if p is not None]


def _run_dask(
    jobs: list[ChunkJob],
    seed: int,
    scheduler: str,
    workers: int | None,
    processes: bool,
    progress: Progress | None,
    engine: str,
    connect_timeout: float,
) -> list[tuple[ChunkSummary, ...]]:
    """Dask: each distinct scenario is sent to the workers once, then the chunks."""
    from dask.distributed import Client, LocalCluster
    from dask.distributed import as_completed as dask_completed

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
            scattered: dict[int, Any] = {}
            futures = []
            for job in jobs:
                for sc in (job.scenario, *job.designs):
                    if id(sc) not in scattered:
                        scattered[id(sc)] = client.scatter(sc, broadcast=True)  # type: ignore[no-untyped-call]
                futures.append(
                    client.submit(
                        _run_scattered,
                        scattered[id(job.scenario)],
                        [scattered[id(d)] for d in job.designs],
                        seed,
                        job.chunk,
                        job.trials,
                        engine,
                        job.stream,
                        pure=False,
                    )
                )
            index = {f.key: i for i, f in enumerate(futures)}
            parts: list[tuple[ChunkSummary, ...] | None] = [None] * len(jobs)
            finished = dask_completed(futures)  # type: ignore[no-untyped-call]
            for done, fut in enumerate(finished, start=1):
                parts[index[fut.key]] = fut.result()
                if progress:
                    progress(done, len(jobs))
    finally:
        if cluster is not None:
            cluster.close()
    return [p for p in parts if p is not None]


def _run_scattered(
    sc: TrialScenario,
    designs: list[TrialScenario],
    seed: int,
    chunk: int,
    trials: int,
    engine: str,
    stream: tuple[int, ...],
) -> tuple[ChunkSummary, ...]:
    """On a Dask worker: the scattered scenarios arrive resolved (a list argument is)."""
    return _run_designs(sc, tuple(designs), seed, chunk, trials, engine, stream)


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
    first, then the results. ``design.explore`` is the full grid (looks, spending, sizes).
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
        row.update(flat(res))
        rows.append(row)
    return pd.DataFrame(rows)


def flat(res: SimulationResult) -> dict[str, Any]:
    """One result as a flat record: tuples become ``name_1``, ``name_2``, ..."""
    out: dict[str, Any] = {}
    for key, value in res.as_dict().items():
        if isinstance(value, tuple):
            for k, v in enumerate(value, start=1):
                out[f"{key}_{k}"] = v
        else:
            out[key] = value
    return out
