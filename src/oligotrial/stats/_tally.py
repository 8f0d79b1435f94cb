"""Events and subjects per distinct time and group: all that Kaplan-Meier and log-rank need.

A tally is ``(times, deaths, totals)``: the distinct times in increasing order (after the
near-tie folding of R's ``aeqSurv``, see :mod:`._ties`) and, per time and group, the number
of events and the number of rows (events and censorings). The number at risk at a time is
the sum of ``totals`` from that time on, so the tally determines the curves and the test
statistics exactly, whatever order the rows came in.

Two ways to build it, chosen from the data, with the same result:

- times that are all whole numbers on a grid not much longer than the data (days, weeks:
  real trial data, heavily tied) are counted with ``np.bincount``, one linear pass and no
  sort;
- otherwise each group's times are sorted with its event flag packed into the lowest bit
  of the time's bit pattern (for non-negative doubles the bit pattern orders like the
  value), and one compiled pass merges the groups and counts. Sorting plain 64-bit keys is
  several times faster than ``argsort``, and no permutation is applied to other columns.

Folding near ties on the distinct times and adding up the tallies of each folded chain gives
the same counts as folding every row first, because a chain is a run of consecutive
distinct values.
"""

from __future__ import annotations

import numba
import numpy as np
import numpy.typing as npt

from oligotrial.stats._ties import TOLERANCE
from oligotrial.stats._validate import BoolArray, FloatArray, IntArray

Tally = tuple[FloatArray, FloatArray, FloatArray]

GRID_SLACK = 1 << 16
"""Whole-number times are counted on a grid when the largest is below 4 n + this."""


def tally(
    time: FloatArray,
    event: BoolArray,
    codes: IntArray | None = None,
    k: int = 1,
    *,
    fold: bool = True,
) -> Tally:
    """Distinct folded times and, per time and group (codes 0..k-1), events and rows.

    ``time`` must be finite and non-negative (as checked by ``as_times``). ``deaths`` and
    ``totals`` have shape (m, k) and hold whole numbers as floats. ``fold=False`` when the
    times were already folded over a larger pool (strata are folded together, as in R).
    """
    counted = _tally(time, event, codes, k)
    return fold_tally(*counted) if fold else counted


def _tally(time: FloatArray, event: BoolArray, codes: IntArray | None, k: int) -> Tally:
    if codes is None or k == 1:
        codes, k = None, 1
    grid = whole_numbers(time)
    if grid is not None:
        return _count_grid(grid[0], event, codes, k, grid[1])
    return _sort_and_count(time, event, codes, k)


def _count_grid(
    whole: IntArray, event: BoolArray, codes: IntArray | None, k: int, largest: int
) -> Tally:
    cell = whole if codes is None else whole * k + codes
    size = (largest + 1) * k
    totals = np.bincount(cell, minlength=size).reshape(-1, k)
    deaths = np.bincount(cell[event], minlength=size).reshape(-1, k)
    seen = totals[:, 0] > 0 if k == 1 else totals.any(axis=1)
    times = np.flatnonzero(seen).astype(np.float64)
    return times, deaths[seen].astype(np.float64), totals[seen].astype(np.float64)


def _sort_and_count(time: FloatArray, event: BoolArray, codes: IntArray | None, k: int) -> Tally:
    # +0.0 for -0.0 (which passes the non-negative check), so that the sign bit is clear
    bits = (time + 0.0).view(np.uint64) << np.uint64(1)
    keys = bits | event.astype(np.uint64)
    if codes is None:
        keys.sort()
        offsets = np.array([0, keys.shape[0]], dtype=np.intp)
    else:
        runs = [np.sort(keys[codes == g]) for g in range(k)]
        offsets = np.cumsum([0] + [run.shape[0] for run in runs]).astype(np.intp)
        keys = np.concatenate(runs)
    times, deaths, totals = _merge_count(keys, offsets)
    return times.view(np.float64), deaths, totals


@numba.njit(cache=True)
def _merge_count(
    keys: npt.NDArray[np.uint64], offsets: IntArray
) -> tuple[npt.NDArray[np.uint64], FloatArray, FloatArray]:
    """Merge the k sorted runs ``keys[offsets[g]:offsets[g+1]]`` and count per distinct time."""
    k = offsets.shape[0] - 1
    n = keys.shape[0]
    pos = offsets[:-1].copy()
    times = np.empty(n, dtype=np.uint64)
    deaths = np.zeros((n, k))
    totals = np.zeros((n, k))
    m = -1
    last = np.uint64(0)
    one = np.uint64(1)
    for _ in range(n):
        best = -1
        best_time = np.uint64(0)
        for g in range(k):
            if pos[g] < offsets[g + 1]:
                t = keys[pos[g]] >> one
                if best < 0 or t < best_time:
                    best = g
                    best_time = t
        key = keys[pos[best]]
        pos[best] += 1
        if m < 0 or best_time != last:
            m += 1
            times[m] = best_time
            last = best_time
        totals[m, best] += 1.0
        deaths[m, best] += float(key & one)
    return times[: m + 1], deaths[: m + 1], totals[: m + 1]


def fold_tally(times: FloatArray, deaths: FloatArray, totals: FloatArray) -> Tally:
    """Fold near ties (``aeqSurv``) on sorted distinct times and add up each chain's counts."""
    if times.shape[0] < 2:
        return times, deaths, totals
    scale = float(np.mean(times))  # times are non-negative: the mean of |times|
    starts = _chain_starts(times, scale)
    if starts.shape[0] == times.shape[0]:
        return times, deaths, totals
    return times[starts], _add_chains(deaths, starts), _add_chains(totals, starts)


@numba.njit(cache=True)
def _add_chains(counts: FloatArray, starts: IntArray) -> FloatArray:
    """Row sums of ``counts`` over each chain ``starts[c]:starts[c + 1]``."""
    m, k = counts.shape
    out = np.zeros((starts.shape[0], k))
    c = -1
    for i in range(m):
        if c + 1 < starts.shape[0] and starts[c + 1] == i:
            c += 1
        for g in range(k):
            out[c, g] += counts[i, g]
    return out


@numba.njit(cache=True, error_model="numpy")
def _chain_starts(times: FloatArray, scale: float) -> IntArray:
    """Indices of the distinct times that start a chain of near ties (``aeqSurv``)."""
    m = times.shape[0]
    starts = np.empty(m, dtype=np.intp)
    starts[0] = 0
    count = 1
    for i in range(1, m):
        gap = times[i] - times[i - 1]
        if not (gap <= TOLERANCE or gap / scale <= TOLERANCE):
            starts[count] = i
            count += 1
    return starts[:count]


def whole_numbers(time: FloatArray) -> tuple[IntArray, int] | None:
    """``time`` as integers and its largest value, when all are whole numbers on a grid not
    much longer than the data (the counting path); else None. Times are non-negative."""
    n = time.shape[0]
    if n == 0:
        return None
    largest = float(time.max())
    head = time[:64]
    if not (largest < 4 * n + GRID_SLACK and np.array_equal(head, np.floor(head))):
        return None
    whole = time.astype(np.intp)
    return (whole, int(largest)) if np.array_equal(whole, time) else None


@numba.njit(cache=True)
def counting_order(whole: IntArray, largest: int) -> IntArray:
    """Stable sorting permutation of non-negative integers up to ``largest`` (counting sort)."""
    start = np.zeros(largest + 2, dtype=np.intp)
    for v in whole:
        start[v + 1] += 1
    for v in range(1, largest + 2):
        start[v] += start[v - 1]
    order = np.empty(whole.shape[0], dtype=np.intp)
    for i in range(whole.shape[0]):
        v = whole[i]
        order[start[v]] = i
        start[v] += 1
    return order


def tally_sorted(time: FloatArray, event: BoolArray) -> Tally:
    """Tally of one group whose times are already sorted and folded."""
    if time.shape[0] == 0:
        return np.zeros(0), np.zeros((0, 1)), np.zeros((0, 1))
    starts = np.flatnonzero(np.concatenate(([True], time[1:] != time[:-1])))
    deaths = np.add.reduceat(event.astype(np.float64), starts)
    totals = np.diff(np.append(starts, time.shape[0])).astype(np.float64)
    return time[starts], deaths[:, None], totals[:, None]
