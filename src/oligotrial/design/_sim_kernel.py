"""Compiled per-trial kernel of the whole-trial simulation (numba; measured to pay).

For every simulated trial (one row) it finds the calendar time of the D-th event for each
planned look (a bucket selection) and sorts the subjects by observed time once (a bucket
sort on a monotone transform of the keys finished by insertion, O(N) expected, about three
times faster than a comparison sort at trial sizes); each look's log-rank statistic is then
one O(N) merge pass (``_look_logrank``). The statistic equals
``oligotrial.stats.logrank_batched`` (hypergeometric variance with ties) and is signed the
same way: z < 0 when group 1 has fewer events than expected."""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

from oligotrial.design._look_logrank import look_logrank


@njit(cache=True, nogil=True)
def fill_buckets(keys, n, counts, bucket, nb):  # type: ignore[no-untyped-def]
    """Spread ``keys[:n]`` over ``nb`` buckets by ``v / (1 + v)`` with
    ``v = (x - min) / (mean - min)`` (roughly uniform for survival-like data; any monotone
    map keeps results exact, only the speed depends on it): ``bucket[j]`` is key j's
    bucket and, on return, ``counts[b]`` is the number of keys in buckets below b.
    The division by the scale is a multiplication by its inverse (still monotone)."""
    total = 0.0
    lo = keys[0]
    for j in range(n):
        total += keys[j]
        lo = min(lo, keys[j])
    scale = total / n - lo
    if not scale > 0:
        scale = 1.0
    inv_scale = 1.0 / scale
    counts[: nb + 1] = 0
    for j in range(n):
        v = (keys[j] - lo) * inv_scale
        b = int(nb * v / (1.0 + v))
        b = min(max(b, 0), nb - 1)
        bucket[j] = b
        counts[b + 1] += 1
    for b in range(nb):
        counts[b + 1] += counts[b]


@njit(cache=True, nogil=True)
def bucket_argsort(keys, n, order, counts, bucket, sorted_keys):  # type: ignore[no-untyped-def]
    """Write into ``order[:n]`` the indices that sort ``keys[:n]`` ascending (not stable),
    and the sorted keys into ``sorted_keys[:n]``.

    Keys are placed by counting sort over the buckets of ``fill_buckets`` (as many buckets
    as ``counts`` allows, up to 2n: fewer keys share a bucket, so the insertion that
    finishes the nearly sorted result moves fewer of them).
    """
    if n == 0:
        return
    fill_buckets(keys, n, counts, bucket, min(counts.shape[0] - 1, 2 * n))
    for j in range(n):
        b = bucket[j]
        order[counts[b]] = j
        sorted_keys[counts[b]] = keys[j]
        counts[b] += 1
    for j in range(1, n):
        v = order[j]
        key = sorted_keys[j]
        q = j - 1
        while q >= 0 and sorted_keys[q] > key:
            order[q + 1] = order[q]
            sorted_keys[q + 1] = sorted_keys[q]
            q -= 1
        order[q + 1] = v
        sorted_keys[q + 1] = key


@njit(cache=True, nogil=True)
def bucket_select(keys, m, ranks, out, counts, bucket, pool):  # type: ignore[no-untyped-def]
    """Write into ``out[q]`` the ``ranks[q]``-th smallest (0-based) of ``keys[:m]``.

    Same buckets as ``bucket_argsort``, but only the buckets holding a requested rank are
    gathered and sorted, so no full sort is needed.
    """
    fill_buckets(keys, m, counts, bucket, m)  # counts[b] = number of keys in buckets below b
    for q in range(ranks.shape[0]):
        r = ranks[q]
        low = 0
        high = m - 1
        while low < high:  # the bucket B with counts[B] <= r < counts[B + 1]
            mid = (low + high + 1) // 2
            if counts[mid] <= r:
                low = mid
            else:
                high = mid - 1
        size = 0
        for j in range(m):
            if bucket[j] == low:
                pool[size] = keys[j]
                size += 1
        for j in range(1, size):
            key = pool[j]
            t = j - 1
            while t >= 0 and pool[t] > key:
                pool[t + 1] = pool[t]
                t -= 1
            pool[t + 1] = key
        out[q] = pool[r - counts[low]]


@njit(cache=True, nogil=True)
def simulate_looks(
    entry: NDArray[np.float64],
    y: NDArray[np.float64],
    delta: NDArray[np.bool_],
    group: NDArray[np.int8],
    needed: NDArray[np.int64],
    z_out: NDArray[np.float64],
    time_out: NDArray[np.float64],
    events_out: NDArray[np.float64],
    enrolled_out: NDArray[np.float64],
    loghr_out: NDArray[np.float64],
    fused: bool = False,
    drop_unit: NDArray[np.float64] | None = None,
    inv_rate: NDArray[np.float64] | None = None,
    inv_drop: NDArray[np.float64] | None = None,
) -> None:
    """Fill (T, K) outputs: log-rank z, look time, events, subjects enrolled, log HR.

    ``entry`` must be sorted ascending within each row and ``needed`` increasing;
    ``entry`` and ``group`` may have a single row, then shared by every trial. A look
    whose event count is never reached gets NaN z and the time/count of the last event.
    With ``fused=True`` (exponential arms), ``y`` holds standard-exponential draws and the
    event and dropout times are formed here, exactly as ``simulation.draw_trials`` forms
    them (``unit * inv_rate[group]``, ``drop_unit * inv_drop[group]``, minimum, flag);
    ``drop_unit`` may have zero rows when there is no dropout.
    """
    t_count, n = y.shape
    shared = entry.shape[0] == 1  # one entry/group row for every trial (even, alternating)
    k_max = needed.shape[0]
    cal = np.empty(n)
    order = np.empty(n, dtype=np.int64)
    ranks = np.empty(k_max, dtype=np.int64)
    look_time = np.empty(k_max)
    pool = np.empty(n)
    counts = np.empty(2 * n + 1, dtype=np.int64)
    bucket = np.empty(n, dtype=np.int64)
    y_sorted = np.empty(n)  # subjects in order of observed time since entry
    end_sorted = np.empty(n)  # their calendar end of follow-up (entry + y)
    d_sorted = np.zeros(n)  # 1.0 for an event
    g_sorted = np.zeros(n)
    end_entry = np.empty(n)  # calendar end of follow-up, in entry order
    y_row = np.empty(n)
    d_row = np.zeros(n, dtype=np.bool_)
    work = np.empty((5, n + 1))  # look_logrank's lists
    has_drop = drop_unit is not None and drop_unit.shape[0] > 0
    for i in range(t_count):
        e_row = entry[0] if shared else entry[i]
        g_row = group[0] if shared else group[i]
        if fused and inv_rate is not None:
            for j in range(n):
                gj = g_row[j]
                ev_time = y[i, j] * inv_rate[gj]
                if has_drop and drop_unit is not None and inv_drop is not None:
                    dr_time = drop_unit[i, j] * inv_drop[gj]
                    d_row[j] = ev_time <= dr_time
                    y_row[j] = min(ev_time, dr_time)
                else:
                    d_row[j] = True
                    y_row[j] = ev_time
        else:
            for j in range(n):
                y_row[j] = y[i, j]
                d_row[j] = delta[i, j]
        m = 0
        for j in range(n):
            end_entry[j] = e_row[j] + y_row[j]
            cal[m] = end_entry[j]
            m += d_row[j]
        n_ranks = 0
        last = -np.inf
        for j in range(m):
            last = max(last, cal[j])
        for k in range(k_max):
            if needed[k] <= m:
                ranks[n_ranks] = needed[k] - 1
                n_ranks += 1
        if m > 0:
            bucket_select(cal, m, ranks[:n_ranks], look_time, counts, bucket, pool)
        bucket_argsort(y_row, n, order, counts, bucket, y_sorted)
        for j in range(n):
            jj = order[j]
            end_sorted[j] = end_entry[jj]
            d_sorted[j] = d_row[jj]
            g_sorted[j] = g_row[jj]
        for k in range(k_max):
            d = needed[k]
            if m == 0:
                z_out[i, k] = np.nan
                time_out[i, k] = 0.0
                events_out[i, k] = 0.0
                at_start = 0
                for j in range(n):
                    at_start += e_row[j] <= 0.0
                enrolled_out[i, k] = at_start
                loghr_out[i, k] = np.nan
                continue
            achieved = d <= m
            tau = look_time[k] if achieved else last
            enrolled = int(np.searchsorted(e_row, tau, side="right"))  # entered by tau
            o1, e1, var = look_logrank(
                tau,
                enrolled,
                y_sorted,
                end_sorted,
                d_sorted,
                g_sorted,
                e_row,
                end_entry,
                g_row,
                work[0],
                work[1],
                work[2],
                work[3],
                work[4],
            )
            time_out[i, k] = tau
            events_out[i, k] = d if achieved else m
            enrolled_out[i, k] = enrolled
            if achieved and var > 0:
                z_out[i, k] = (o1 - e1) / np.sqrt(var)
                loghr_out[i, k] = (o1 - e1) / var
            else:
                z_out[i, k] = np.nan
                loghr_out[i, k] = np.nan


@njit(cache=True, nogil=True)
def permuted_blocks(
    stratum: NDArray[np.int64],
    n_strata: int,
    block_sizes: NDArray[np.int64],
    uniform: NDArray[np.float64],
    group: NDArray[np.int8],
) -> None:
    """Stratified permuted-block 1:1 allocation in enrolment order.

    Within each stratum a new block starts when the previous one is used up. One uniform
    per subject position decides a new block: its integer part after scaling by the number
    of sizes picks the size, the remaining fraction (still uniform, ~50 bits) is decoded
    digit by digit into a random permutation of equal numbers of 0 and 1 (Fisher-Yates).
    ``stratum`` with zero rows means a single stratum.
    """
    t_count, n = group.shape
    single = stratum.shape[0] == 0
    n_sizes = block_sizes.shape[0]
    max_block = 0
    for q in range(n_sizes):
        max_block = max(max_block, block_sizes[q])
    blocks = np.zeros((n_strata, max_block), dtype=np.int8)
    pos = np.zeros(n_strata, dtype=np.int64)
    size = np.zeros(n_strata, dtype=np.int64)
    for i in range(t_count):
        pos[:] = 0
        size[:] = 0
        for j in range(n):
            s = 0 if single else stratum[i, j]
            if pos[s] >= size[s]:
                uu = uniform[i, j] * n_sizes
                pick = min(int(uu), n_sizes - 1)
                uu -= pick
                bsize = block_sizes[pick]
                for q in range(bsize):
                    blocks[s, q] = 1 if q < bsize // 2 else 0
                for q in range(bsize - 1, 0, -1):
                    uu = uu * (q + 1)
                    r = min(int(uu), q)
                    uu -= r
                    tmp = blocks[s, q]
                    blocks[s, q] = blocks[s, r]
                    blocks[s, r] = tmp
                size[s] = bsize
                pos[s] = 0
            group[i, j] = blocks[s, pos[s]]
            pos[s] += 1
