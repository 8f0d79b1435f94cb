"""Compiled two-group log-rank statistic of one simulated trial at one look (numba).

At calendar time ``tau`` the subjects enrolled by then are of two kinds: those whose
follow-up ended (event or dropout) by ``tau``, taken in order of their observed time, and
those still followed, censored at ``tau - entry`` and so in order of decreasing entry. Each
kind is first copied into its own list without branches (a write to every slot, the write
position advanced by the condition), then the two sorted lists are merged with infinite
sentinels, choosing by comparison rather than by branch: the choice between the lists is a
coin toss for the processor's branch predictor, and a mispredicted branch per subject was
the larger part of the time. Equal times form one tie group (events and censorings
together); the statistic (hypergeometric variance with ties) and its floating-point
operations are those of ``oligotrial.stats.logrank_batched``'s definition, in the same order.

numba caches the compiled kernels of ``_sim_kernel`` that call this function under that
module's file: after editing only this file, delete the ``__pycache__`` folders of
``oligotrial/design``, or the cached kernels keep the old code.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray


@njit(cache=True, nogil=True)
def look_logrank(
    tau: float,
    enrolled: int,
    y_sorted: NDArray[np.float64],
    end_sorted: NDArray[np.float64],
    d_sorted: NDArray[np.float64],
    g_sorted: NDArray[np.float64],
    entry: NDArray[np.float64],
    end_entry: NDArray[np.float64],
    group: NDArray[np.int8],
    xa: NDArray[np.float64],
    da: NDArray[np.float64],
    ga: NDArray[np.float64],
    xb: NDArray[np.float64],
    gb: NDArray[np.float64],
) -> tuple[float, float, float]:
    """Observed and expected events of group 1 and the variance at ``tau``.

    ``y_sorted``, ``end_sorted`` (entry + y), ``d_sorted`` (1.0 for an event) and
    ``g_sorted`` (group) list all subjects in ascending ``y``; ``entry`` is ascending and
    ``end_entry``/``group`` follow it; the first ``enrolled`` subjects entered by ``tau``.
    ``xa``, ``da``, ``ga``, ``xb``, ``gb`` are work arrays of at least n + 1 elements.
    """
    n = y_sorted.shape[0]
    c_a = 0
    for j in range(n):  # follow-up ended by tau (so entered by tau), ascending y
        xa[c_a] = y_sorted[j]
        da[c_a] = d_sorted[j]
        ga[c_a] = g_sorted[j]
        c_a += end_sorted[j] <= tau
    xa[c_a] = np.inf
    da[c_a] = 0.0
    ga[c_a] = 0.0
    c_b = 0
    n1_risk = 0.0
    for j in range(enrolled - 1, -1, -1):  # still followed: ascending tau - entry
        xb[c_b] = tau - entry[j]
        gb[c_b] = group[j]
        n1_risk += group[j]
        c_b += end_entry[j] > tau
    xb[c_b] = np.inf
    gb[c_b] = 0.0
    n_risk = float(enrolled)
    o1 = 0.0
    e1 = 0.0
    var = 0.0
    cur = -1.0
    gd = 0.0
    gd1 = 0.0
    gr = 0.0
    gr1 = 0.0
    pa = 0
    pb = 0
    for _ in range(c_a + c_b):
        # every value is loaded and the choice made by arithmetic (a load under a
        # condition would compile to a branch)
        x_a = xa[pa]
        x_b = xb[pb]
        d_a = da[pa]
        g_a = ga[pa]
        g_b = gb[pb]
        take = x_a <= x_b  # the finished subject first on equal times
        t = 1.0 if take else 0.0
        x = min(x_a, x_b)
        ev = d_a * t
        g = g_b + (g_a - g_b) * t
        pa += take
        pb += 1 - take
        if x != cur:  # a new time (nearly always: ties are rare)
            # the previous group; with no event in it every term below adds 0.0 exactly,
            # and with one subject left at risk (n_risk == 1) the variance term is 0.0
            frac = n1_risk / n_risk
            e1 += gd * frac
            o1 += gd1
            var += gd * frac * (1.0 - frac) * (n_risk - gd) / max(n_risk - 1.0, 1.0)
            n_risk -= gr
            n1_risk -= gr1
            cur = x
            gd = 0.0
            gd1 = 0.0
            gr = 0.0
            gr1 = 0.0
        gr += 1.0
        gr1 += g
        gd += ev
        gd1 += ev * g
    if gd > 0:
        frac = n1_risk / n_risk
        e1 += gd * frac
        o1 += gd1
        if n_risk > 1:
            var += gd * frac * (1.0 - frac) * (n_risk - gd) / (n_risk - 1.0)
    return o1, e1, var
