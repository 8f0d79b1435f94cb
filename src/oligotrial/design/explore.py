"""Design exploration: simulate every cell of a grid with the one simulation engine.

Each cell becomes a ``TrialScenario`` (bounds computed once per distinct design, at the
looks' event fractions). Cells that simulate the same population (same stream, below)
share their trials: each chunk of a population is drawn and its looks computed once, at
every event count any of its cells looks at, and then summarised under each cell's design
(``simulation.run_chunk_designs``; a look depends only on its own event count, so the
numbers are those of simulating the cell alone). All populations' chunk jobs run as one
list on the chosen executor (``scale_out.run_design_jobs``), so threads or Dask workers
stay busy across cells, and each cell's chunks are combined in chunk order.

Random numbers: cell chunks draw from ``SeedSequence(seed, spawn_key=(stream, chunk))``
(the chunk-th child of the ``stream``-th child of ``SeedSequence(seed)``). ``stream`` is a
52-bit key hashed from what the simulated patients depend on (subjects, accrual, hazard
ratio, control median, dropout, entry, allocation), not from the cell's place in the
grid: a cell gives the same numbers in any grid with the same seed and trials, and cells
that differ only in the design (looks, events, spending, futility) analyse the same
simulated trials, so their differences carry no noise from different draws.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from oligotrial.design.boundaries import GroupSequentialDesign, group_sequential_design
from oligotrial.design.grid_spec import Cell, GridSpec, Spending
from oligotrial.design.scale_out import ChunkJob, run_design_jobs
from oligotrial.design.simulation import (
    Progress,
    SimulationResult,
    chunk_plan,
    combine,
    default_chunk_size,
)
from oligotrial.design.trial_scenario import TrialScenario, build_scenario
from oligotrial.errors import InputError


@dataclass(frozen=True)
class CellResult:
    """A cell, its random stream, its design and its simulated operating characteristics."""

    cell: Cell
    stream: int
    design: GroupSequentialDesign
    result: SimulationResult

    def per_look_se(self, probabilities: Sequence[float]) -> tuple[float, ...]:
        """Monte Carlo SE of per-look proportions: sqrt(p (1 - p) / trials)."""
        n = self.result.iterations
        return tuple(math.sqrt(p * (1 - p) / n) for p in probabilities)


@dataclass(frozen=True)
class Exploration:
    """The results of a grid, in cell order, with what is needed to reproduce them."""

    spec: GridSpec
    seed: int
    trials: int
    cells: tuple[CellResult, ...]

    @property
    def max_looks(self) -> int:
        return max(len(c.cell.information) for c in self.cells)


@functools.lru_cache(maxsize=256)
def _design(
    spending: Spending,
    information: tuple[float, ...],
    alpha: float,
    sides: int,
    power: float,
    futility: Spending | None,
) -> GroupSequentialDesign:
    return group_sequential_design(
        spending.name,
        information,
        alpha,
        sides,
        power,
        gamma=spending.gamma,
        futility_spending=futility.name if futility else None,
        futility_gamma=futility.gamma if futility else -4.0,
    )


def stream_key(cell: Cell, spec: GridSpec) -> int:
    """52-bit key from the values the simulated patients depend on (exact float bits)."""
    parts = (
        cell.subjects,
        float(cell.accrual_duration).hex(),
        float(cell.hazard_ratio).hex(),
        float(cell.control_median).hex(),
        float(cell.dropout).hex(),
        float(spec.dropout_time).hex(),
        spec.entry,
        spec.allocation,
    )
    digest = hashlib.sha256(repr(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 12


def scenario_of(cell: Cell, spec: GridSpec) -> tuple[TrialScenario, GroupSequentialDesign]:
    """The simulated trial of a cell; errors name the cell's values."""
    events = cell.events_per_look
    fractions = tuple(e / events[-1] for e in events)
    try:
        design = _design(
            cell.spending, fractions, spec.alpha, spec.sides, spec.power, cell.futility
        )
        sc = build_scenario(
            subjects=cell.subjects,
            events=events,
            hazard_ratio=cell.hazard_ratio,
            accrual=cell.accrual_duration,
            control_median=cell.control_median,
            dropout_rate=cell.dropout,
            dropout_time=spec.dropout_time,
            design=design,
            entry=spec.entry,
            allocation=spec.allocation,
        )
    except InputError as exc:
        raise InputError(exc.field, f"{exc.problem} (grid cell {cell.index + 1})") from None
    return sc, design


def populations(
    scenarios: Sequence[tuple[TrialScenario, int]],
) -> list[tuple[TrialScenario, int, list[int]]]:
    """Group (scenario, stream) pairs that draw the same trials: same stream and equal in
    everything but looks and design. Each group is (a scenario looking at every event count
    of its members, ascending; the stream; the members' indices)."""
    groups: list[tuple[TrialScenario, int, list[int]]] = []
    by_stream: dict[int, list[int]] = {}
    for i, (sc, stream) in enumerate(scenarios):
        for g in by_stream.setdefault(stream, []):
            rep, _, members = groups[g]
            if _same_population(rep, sc):
                events = tuple(sorted(set(rep.events) | set(sc.events)))
                groups[g] = (dataclasses.replace(rep, events=events), stream, [*members, i])
                break
        else:
            by_stream[stream].append(len(groups))
            groups.append((sc, stream, [i]))
    return groups


def _same_population(a: TrialScenario, b: TrialScenario) -> bool:
    return all(
        getattr(a, f.name) == getattr(b, f.name)
        for f in dataclasses.fields(a)
        if f.name not in ("events", "design")
    )


def explore(
    spec: GridSpec,
    trials: int,
    seed: int,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    processes: bool = True,
    chunk_size: int | None = None,
    progress: Progress | None = None,
    connect_timeout: float = 20.0,
) -> Exploration:
    """Simulate ``trials`` trials in every cell of ``spec`` from ``seed``.

    Every cell is built (and so validated) before any simulation starts.
    """
    if isinstance(trials, bool) or not isinstance(trials, int) or trials < 1:
        raise InputError("trials", f"must be a whole number >= 1, got {trials!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError("seed", f"must be a whole number >= 0, got {seed!r}")
    built = []
    for cell in spec.cells():
        sc, design = scenario_of(cell, spec)
        built.append((cell, sc, design, stream_key(cell, spec)))
    groups = populations([(sc, stream) for _cell, sc, _, stream in built])
    jobs: list[ChunkJob] = []
    spans: list[tuple[int, int, int]] = []  # per population: first job, jobs, chunk size
    for sc, stream, members in groups:
        size = chunk_size or default_chunk_size(sc.subjects)
        plan = chunk_plan(trials, size)
        spans.append((len(jobs), len(plan), size))
        designs = tuple(built[i][1] for i in members)
        jobs.extend(ChunkJob(sc, c, t, (stream,), designs) for c, t in plan)
    parts = run_design_jobs(
        jobs,
        seed,
        scheduler=scheduler,
        workers=workers,
        processes=processes,
        progress=progress,
        connect_timeout=connect_timeout,
    )
    combined: dict[int, SimulationResult] = {}
    for (_sc, _stream, members), (first, n, size) in zip(groups, spans, strict=True):
        for j, i in enumerate(members):
            cell_parts = [p[j] for p in parts[first : first + n]]
            combined[i] = combine(built[i][1], cell_parts, seed, size)
    results = tuple(
        CellResult(cell, stream, design, combined[i])
        for i, (cell, _sc, design, stream) in enumerate(built)
    )
    return Exploration(spec, seed, trials, results)


def cell_record(c: CellResult, spec: GridSpec) -> dict[str, Any]:
    """One cell as a nested record (the JSON output)."""
    r = c.result
    cell = c.cell
    values = {a: cell.value(a) for a in spec.axes}
    values["accrual_duration"] = cell.accrual_duration
    return {
        "cell": cell.index + 1,
        "stream": c.stream,
        "values": values,
        "events_per_look": list(cell.events_per_look),
        "efficacy_bounds": list(c.design.z),
        "futility_bounds": list(c.design.futility) if c.design.futility else None,
        "power": r.power,
        "power_se": r.mc_se,
        "expected_events": r.expected_events,
        "expected_events_se": r.expected_events_se,
        "expected_duration": r.expected_duration,
        "expected_duration_se": r.expected_duration_se,
        "expected_subjects": r.expected_subjects,
        "expected_subjects_se": r.expected_subjects_se,
        "efficacy_per_look": list(r.reject_per_look),
        "efficacy_per_look_se": list(c.per_look_se(r.reject_per_look)),
        "futility_per_look": list(r.futility_per_look),
        "futility_per_look_se": list(c.per_look_se(r.futility_per_look)),
        "harm_per_look": list(r.harm_per_look),
        "not_reached_per_look": list(r.not_achieved_per_look),
        "stop_per_look": list(r.stop_per_look),
        "mean_analysis_time": list(r.mean_analysis_time),
        "chunk_size": r.chunk_size,
    }


def flat_record(c: CellResult, spec: GridSpec, max_looks: int) -> dict[str, Any]:
    """One cell as a flat row (the CSV output); per-look columns end in ``_k``."""
    rec = cell_record(c, spec)
    row: dict[str, Any] = {"cell": rec["cell"], "stream": rec["stream"]}
    for axis, v in rec["values"].items():
        row[axis] = " ".join(f"{x:g}" for x in v) if isinstance(v, tuple) else v
    row["events_per_look"] = " ".join(str(e) for e in rec["events_per_look"])
    for key in ("power", "expected_events", "expected_duration", "expected_subjects"):
        row[key] = rec[key]
        row[f"{key}_se"] = rec[f"{key}_se"]
    looks = (
        ("efficacy_bound", rec["efficacy_bounds"]),
        ("futility_bound", rec["futility_bounds"] or []),
        ("efficacy", rec["efficacy_per_look"]),
        ("efficacy_se", rec["efficacy_per_look_se"]),
        ("futility", rec["futility_per_look"]),
        ("futility_se", rec["futility_per_look_se"]),
        ("harm", rec["harm_per_look"]),
        ("not_reached", rec["not_reached_per_look"]),
        ("analysis_time", rec["mean_analysis_time"]),
    )
    for k in range(max_looks):
        for name, seq in looks:
            row[f"{name}_{k + 1}"] = seq[k] if k < len(seq) else None
    return row
