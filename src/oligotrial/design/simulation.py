"""Whole-trial simulation: event-driven group-sequential log-rank trials, vectorised.

Trials are simulated in chunks of a fixed size. Chunk ``c`` draws from
``Generator(PCG64(SeedSequence(seed, spawn_key=(*stream, c))))`` (the c-th child of
``SeedSequence(seed)``, or of its ``stream`` descendant when a grid gives each scenario
its own stream; ``stream`` is empty for a single scenario), so results depend only on
(scenario, iterations, seed, chunk size) and never on how many threads, processes or Dask
workers run the chunks. Within a chunk the (trials x subjects) values are drawn in one
order: entry, allocation, every event draw, then every dropout draw (taken a piece of
trials at a time when the compiled kernel forms the times: the same numbers); the
calendar time of an event is entry + min(event, dropout); the look at D events is the
calendar time of the D-th event; the log-rank statistic is computed by the compiled
kernel ``_sim_kernel``. A look whose event count is never reached ends the trial without
rejection (rpact's convention). The hazard-ratio estimate is the log-rank (Peto) estimate
exp((O - E) / V) for group 1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from oligotrial.design._sim_kernel import permuted_blocks, simulate_looks
from oligotrial.design.trial_scenario import TrialScenario
from oligotrial.errors import InputError

Progress = Callable[[int, int], None]


# Trials per call of the compiled kernel within a chunk (see ``chunk_looks``).
PIECE = 512


def has_dropout(sc: TrialScenario) -> bool:
    """Whether either arm has dropout (then every subject has a dropout draw)."""
    return sc.dropout_control > 0 or sc.dropout_treatment > 0


def default_chunk_size(subjects: int) -> int:
    """Trials per chunk: about a million subject-rows, between 64 and 8192 trials."""
    return int(min(8192, max(64, 1_000_000 // max(subjects, 1))))


def chunk_generator(seed: int, chunk: int, stream: tuple[int, ...] = ()) -> np.random.Generator:
    """The generator of chunk ``chunk`` (independent of workers and chunk order)."""
    key = (*stream, chunk)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))


@dataclass(frozen=True)
class ChunkSummary:
    """Sums over one chunk's trials; adding summaries in chunk order is deterministic."""

    trials: int
    reject: NDArray[np.int64]  # (K,) stopped for efficacy at look k
    harm: NDArray[np.int64]  # two-sided: crossed the bound in the harmful direction
    futility: NDArray[np.int64]
    not_achieved: NDArray[np.int64]  # the look's event count was never reached
    reached: NDArray[np.int64]  # trials that performed look k
    time_reached: NDArray[np.float64]  # sum of look times over trials reaching look k
    loghr_reached: NDArray[np.float64]  # sum of log HR estimates (finite ones)
    loghr_count: NDArray[np.int64]
    moments: NDArray[np.float64]  # (3, 2): duration, events, subjects -> (sum, sum of squares)


def draw_raw(
    sc: TrialScenario,
    rng: np.random.Generator,
    trials: int,
    shared: bool = False,
    dropout: bool = True,
) -> tuple[NDArray[np.float64], NDArray[np.int8], NDArray[np.float64], NDArray[np.float64] | None]:
    """Entry (sorted per row), group, standard-exponential event and dropout draws.

    With ``shared=True`` a deterministic entry (even) and allocation (alternating) are
    returned as a single row meant for every trial (the kernel accepts that) instead of
    being repeated; the random draws are the same either way. With ``dropout=False`` the
    dropout draws, which come last in the stream, are left for the caller to draw.
    """
    n = sc.subjects
    rows = 1 if shared and sc.entry == "even" and sc.allocation == "alternating" else trials
    if sc.entry == "even":
        entry = np.tile(sc.accrual.entry_quantile(np.arange(1, n + 1) / n), (rows, 1))
    else:  # uniform order statistics: normalised partial sums of N + 1 exponential gaps
        cum = np.cumsum(rng.standard_exponential((trials, n + 1)), axis=1)
        fractions = cum[:, :n]
        fractions /= cum[:, n:]
        if len(sc.accrual.ends) == 1:
            fractions *= sc.accrual.ends[0]
            entry = fractions
        else:
            entry = sc.accrual.entry_quantile(fractions)
    if sc.allocation == "alternating":
        group = np.tile((np.arange(n) % 2 == 0).astype(np.int8), (rows, 1))
    elif sc.allocation == "complete":
        group = (rng.random((trials, n)) < 0.5).astype(np.int8)
    else:
        k = len(sc.strata)
        stratum = (
            rng.choice(k, size=(trials, n), p=np.array(sc.strata)).astype(np.int64)
            if k > 1
            else np.empty((0, 0), dtype=np.int64)
        )
        group = np.empty((trials, n), dtype=np.int8)
        permuted_blocks(
            stratum, k, np.array(sc.block_sizes, dtype=np.int64), rng.random((trials, n)), group
        )
    unit = rng.standard_exponential((trials, n))
    drop = None
    if dropout and has_dropout(sc):
        drop = rng.standard_exponential((trials, n))
    return entry, group, unit, drop


def _exponential_inverse_rates(sc: TrialScenario) -> NDArray[np.float64] | None:
    rates = [
        arm.hazards.rates
        for arm in (sc.control, sc.treatment)
        if arm.kind == "piecewise-exponential" and arm.hazards is not None
    ]
    if len(rates) == 2 and len(rates[0]) == 1 and len(rates[1]) == 1:
        return np.array([1.0 / rates[0][0], 1.0 / rates[1][0]])
    return None


def draw_trials(
    sc: TrialScenario, rng: np.random.Generator, trials: int
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_], NDArray[np.int8]]:
    """Entry (sorted per row), observed time since entry, event flag, group, for a chunk."""
    entry, group, unit, drop = draw_raw(sc, rng, trials)
    inv = _exponential_inverse_rates(sc)
    if inv is not None:
        unit *= inv[group]
        event = unit
    else:
        event = np.where(group == 1, sc.treatment.times(unit), sc.control.times(unit))
    if drop is not None:
        rate = np.array([sc.dropout_control, sc.dropout_treatment])
        if (rate > 0).all():
            drop *= (1.0 / rate)[group]
        else:  # no dropout in one arm: infinite dropout times there
            with np.errstate(divide="ignore"):
                drop /= rate[group]
        delta = event <= drop
        y = np.minimum(event, drop, out=event)
    else:
        delta = np.ones(event.shape, dtype=np.bool_)
        y = event
    return entry, y, delta, group


def run_chunk(
    sc: TrialScenario,
    seed: int,
    chunk: int,
    trials: int,
    engine: str = "kernel",
    stream: tuple[int, ...] = (),
) -> ChunkSummary:
    """Simulate ``trials`` trials of chunk number ``chunk``.

    ``engine="kernel"`` uses the compiled kernel; ``engine="stats"`` computes each look
    with ``oligotrial.stats.logrank_batched`` on (trials, subjects) arrays (the reference
    path; same numbers, slower).
    """
    return summarize(sc, *chunk_looks(sc, seed, chunk, trials, engine, stream))


def run_chunk_designs(
    sc: TrialScenario,
    designs: tuple[TrialScenario, ...],
    seed: int,
    chunk: int,
    trials: int,
    engine: str = "kernel",
    stream: tuple[int, ...] = (),
) -> tuple[ChunkSummary, ...]:
    """One chunk's simulated trials analysed under several designs of the same population.

    ``sc.events`` must hold (ascending) every look's event count of ``designs``, which
    differ from ``sc`` only in their looks and bounds. The trials are drawn and their looks
    computed once; each look depends only on its own event count, so every summary equals
    ``run_chunk`` of that design on the same chunk and stream.
    """
    looks = chunk_looks(sc, seed, chunk, trials, engine, stream)
    column = {e: k for k, e in enumerate(sc.events)}
    out = []
    for d in designs:
        cols = [column[e] for e in d.events]
        if cols == list(range(len(sc.events))):
            out.append(summarize(d, *looks))
        else:
            out.append(summarize(d, *(a[:, cols] for a in looks)))
    return tuple(out)


def chunk_looks(
    sc: TrialScenario,
    seed: int,
    chunk: int,
    trials: int,
    engine: str = "kernel",
    stream: tuple[int, ...] = (),
) -> tuple[NDArray[np.float64], ...]:
    """Per-look (trials, K) z, look time, events, enrolled and log HR of chunk ``chunk``."""
    if engine not in ("kernel", "stats"):
        raise InputError("engine", f"must be kernel or stats, got {engine!r}")
    rng = chunk_generator(seed, chunk, stream)
    k_max = len(sc.events)
    shape = (trials, k_max)
    z, tau, ev, enr, loghr = (np.empty(shape) for _ in range(5))
    needed = np.array(sc.events, dtype=np.int64)
    inv = _exponential_inverse_rates(sc)
    drop_rates = np.array([sc.dropout_control, sc.dropout_treatment])
    if engine == "kernel" and inv is not None and (drop_rates > 0).all() == (drop_rates > 0).any():
        # exponential arms: event and dropout times are formed inside the kernel
        entry, group, unit, _ = draw_raw(sc, rng, trials, shared=True, dropout=False)
        with np.errstate(divide="ignore"):
            inv_drop = 1.0 / drop_rates
        # The dropout draws follow all the event draws in the stream: drawn a piece of
        # trials at a time into one small buffer, each piece is still in the processor's
        # cache when the kernel reads it (the same numbers as one draw of them all)
        drop = np.empty((min(PIECE, trials) if has_dropout(sc) else 0, sc.subjects))
        no_delta = np.empty((0, 0), dtype=np.bool_)
        for start in range(0, trials, PIECE):
            rows = slice(start, min(trials, start + PIECE))
            piece = drop[: rows.stop - start]  # no rows when there is no dropout
            if piece.shape[0]:
                rng.standard_exponential(out=piece)
            simulate_looks(
                entry if entry.shape[0] == 1 else entry[rows],
                unit[rows],
                no_delta,
                group if group.shape[0] == 1 else group[rows],
                needed,
                z[rows],
                tau[rows],
                ev[rows],
                enr[rows],
                loghr[rows],
                True,
                piece,
                inv,
                inv_drop,
            )
        return z, tau, ev, enr, loghr
    entry, y, delta, group = draw_trials(sc, rng, trials)
    if engine == "stats":
        return looks_with_stats(sc, entry, y, delta, group)
    simulate_looks(
        np.ascontiguousarray(entry),
        np.ascontiguousarray(y),
        delta,
        group,
        needed,
        z,
        tau,
        ev,
        enr,
        loghr,
    )
    return z, tau, ev, enr, loghr


def looks_with_stats(
    sc: TrialScenario,
    entry: NDArray[np.float64],
    y: NDArray[np.float64],
    delta: NDArray[np.bool_],
    group: NDArray[np.int8],
) -> tuple[NDArray[np.float64], ...]:
    """Per-look z, time, events, enrolled and log HR using the stats package's log-rank."""
    from oligotrial.stats import logrank_batched

    trials, _n = entry.shape
    cal = np.where(delta, entry + y, np.inf)
    n_events = delta.sum(axis=1)
    last = np.where(n_events > 0, np.where(delta, cal, -np.inf).max(axis=1), 0.0)
    out = [np.full((trials, len(sc.events)), np.nan) for _ in range(5)]
    z, tau, ev, enr, loghr = out
    for k, d in enumerate(sc.events):
        achieved = n_events >= d
        dth = np.partition(cal, d - 1, axis=1)[:, d - 1]  # calendar time of the D-th event
        t_k = np.where(achieved, dth, last)
        valid = entry <= t_k[:, None]
        time = np.minimum(y, t_k[:, None] - entry)
        event = delta & (cal <= t_k[:, None])
        res = logrank_batched(
            np.where(valid, time, 0.0), event, group.astype(np.int64), valid=valid
        )
        o_minus_e = res.observed[:, 1] - res.expected[:, 1]
        ok = achieved & (res.variance > 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            z[:, k] = np.where(ok, res.z, np.nan)
            loghr[:, k] = np.where(ok, o_minus_e / res.variance, np.nan)
        tau[:, k] = t_k
        ev[:, k] = np.where(achieved, d, n_events)
        enr[:, k] = valid.sum(axis=1)
    return z, tau, ev, enr, loghr


def summarize(
    sc: TrialScenario,
    z: NDArray[np.float64],
    tau: NDArray[np.float64],
    ev: NDArray[np.float64],
    enr: NDArray[np.float64],
    loghr: NDArray[np.float64],
) -> ChunkSummary:
    """Apply the stopping rules to per-look statistics and sum over trials."""
    d = sc.design
    trials, k_max = z.shape
    bound = np.array(d.z)
    benefit = -z  # z < 0 when the experimental arm has fewer events than expected
    with np.errstate(invalid="ignore"):
        reject = benefit >= bound
        harm = (z >= bound) if d.sides == 2 else np.zeros_like(reject)
        futile = np.zeros_like(reject)
        if d.futility is not None:
            futile[:, :-1] = benefit[:, :-1] <= np.array(d.futility)
    missing = np.isnan(z)
    stop = reject | harm | futile | missing
    stop[:, -1] = True
    look = np.argmax(stop, axis=1)
    rows = np.arange(trials)
    onehot = np.zeros((trials, k_max), dtype=bool)
    onehot[rows, look] = True
    reached = np.arange(k_max)[None, :] <= look[:, None]
    fin = reached & np.isfinite(loghr)
    dur, evs, subj = tau[rows, look], ev[rows, look], enr[rows, look]
    moments = np.array([[v.sum(), (v * v).sum()] for v in (dur, evs, subj)])
    return ChunkSummary(
        trials=trials,
        reject=(onehot & reject).sum(axis=0),
        harm=(onehot & harm & ~reject).sum(axis=0),
        futility=(onehot & futile & ~reject & ~harm).sum(axis=0),
        not_achieved=(onehot & missing).sum(axis=0),
        reached=reached.sum(axis=0),
        time_reached=np.where(reached, tau, 0.0).sum(axis=0),
        loghr_reached=np.where(fin, loghr, 0.0).sum(axis=0),
        loghr_count=fin.sum(axis=0),
        moments=moments,
    )


@dataclass(frozen=True)
class SimulationResult:
    """Operating characteristics estimated by simulation, with Monte Carlo SEs."""

    iterations: int
    seed: int
    chunk_size: int
    power: float  # P(crossing an efficacy bound in the benefit direction)
    mc_se: float
    reject_per_look: tuple[float, ...]
    futility_per_look: tuple[float, ...]
    harm_per_look: tuple[float, ...]
    not_achieved_per_look: tuple[float, ...]
    stop_per_look: tuple[float, ...]  # probability that the trial ends at look k
    expected_events: float
    expected_events_se: float
    expected_subjects: float
    expected_subjects_se: float
    expected_duration: float
    expected_duration_se: float
    mean_analysis_time: tuple[float, ...]  # over trials that reached the look
    hr_estimate: tuple[float, ...]  # exp(mean log-rank log HR) over trials reaching the look
    z: tuple[float, ...] = field(default=())
    events: tuple[int, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def combine(
    sc: TrialScenario, parts: list[ChunkSummary], seed: int, chunk: int
) -> SimulationResult:
    """Add chunk summaries in chunk order and turn sums into estimates."""
    total = sum(p.trials for p in parts)

    def add(name: str) -> NDArray[np.float64]:
        acc = np.zeros_like(np.asarray(getattr(parts[0], name), dtype=np.float64))
        for p in parts:
            acc = acc + getattr(p, name)
        return acc

    reject, harm, fut, miss = add("reject"), add("harm"), add("futility"), add("not_achieved")
    reached, treached = add("reached"), add("time_reached")
    lsum, lcount, mom = add("loghr_reached"), add("loghr_count"), add("moments")
    power = float(reject.sum() / total)
    mean = mom[:, 0] / total
    var = np.maximum(mom[:, 1] / total - mean**2, 0.0)
    se = np.sqrt(var / max(total - 1, 1))  # sample variance / total
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_time = np.where(reached > 0, treached / reached, np.nan)
        hr = np.where(lcount > 0, np.exp(lsum / lcount), np.nan)
    stop = np.zeros(len(sc.events))
    stop[:-1] = reached[:-1] - reached[1:]
    stop[-1] = reached[-1]
    return SimulationResult(
        iterations=total,
        seed=seed,
        chunk_size=chunk,
        power=power,
        mc_se=float(np.sqrt(power * (1 - power) / total)),
        reject_per_look=tuple((reject / total).tolist()),
        futility_per_look=tuple((fut / total).tolist()),
        harm_per_look=tuple((harm / total).tolist()),
        not_achieved_per_look=tuple((miss / total).tolist()),
        stop_per_look=tuple((stop / total).tolist()),
        expected_duration=float(mean[0]),
        expected_duration_se=float(se[0]),
        expected_events=float(mean[1]),
        expected_events_se=float(se[1]),
        expected_subjects=float(mean[2]),
        expected_subjects_se=float(se[2]),
        mean_analysis_time=tuple(mean_time.tolist()),
        hr_estimate=tuple(hr.tolist()),
        z=sc.design.z,
        events=sc.events,
    )


def chunk_plan(iterations: int, chunk_size: int) -> list[tuple[int, int]]:
    """(chunk index, trials) pairs covering ``iterations`` trials."""
    if int(iterations) != iterations or iterations < 1:
        raise InputError("iterations", f"must be a whole number >= 1, got {iterations!r}")
    if int(chunk_size) != chunk_size or chunk_size < 1:
        raise InputError("chunk_size", f"must be a whole number >= 1, got {chunk_size!r}")
    full, rest = divmod(int(iterations), int(chunk_size))
    plan = [(c, int(chunk_size)) for c in range(full)]
    if rest:
        plan.append((full, rest))
    return plan
