"""Log-rank test for k groups, stratified or not, with Fleming-Harrington weights.

Source: R survival ``survdiff`` (Therneau; C routine ``survdiff2``). At each distinct event
time ``t`` in a stratum, with ``n`` at risk, ``d`` events, ``r_j`` at risk in group ``j``
and weight ``w``:

    O_j += w d_j,   E_j += w d r_j / n,
    V   += w² d (n - d) / (n (n - 1)) (diag(r) - r rᵀ / n)      (only when n > 1).

O, E and V are summed over strata. The statistic is ``(O-E)ᵀ V⁻¹ (O-E)`` on the groups with
``E > 0`` minus the first, with ``(#groups with E > 0) - 1`` degrees of freedom.

Weights: ``w = S(t-)^rho`` with ``S`` the pooled Kaplan-Meier of the stratum, left-continuous
— exactly R's ``survdiff(rho=)`` (``rho=0`` is the log-rank, ``rho=1`` Peto-Peto/Prentice).
``gamma`` multiplies by ``(1 - S(t-))^gamma``: the Fleming-Harrington G(rho, gamma) family;
with ``gamma=0`` this is R's ``survdiff``; ``gamma > 0`` has no counterpart there. As in
``survdiff``, the reported observed counts are weighted. Times within ``sqrt(eps)`` are
folded together first (``aeqSurv``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numba
import numpy as np
from scipy import stats as sps

from oligotrial.errors import InputError
from oligotrial.stats._tally import tally
from oligotrial.stats._ties import fold_ties
from oligotrial.stats._validate import FloatArray, IntArray, as_events, as_labels, as_times


@dataclass(frozen=True)
class LogrankResult:
    """Result of :func:`logrank_test`.

    ``groups`` orders ``observed``/``expected`` and the rows of ``variance``. ``z`` is given for
    two groups: ``(O - E) / sqrt(V)`` of the second group (negative when it has fewer events
    than expected), else ``None``.
    """

    chisq: float
    df: int
    p_value: float
    groups: tuple[Any, ...]
    observed: FloatArray
    expected: FloatArray
    variance: FloatArray
    n: IntArray
    z: float | None
    rho: float
    gamma: float


def _stratum_sums(
    deaths: FloatArray, totals: FloatArray, rho: float, gamma: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Observed, expected and variance contributions of one stratum, from its tally."""
    m = deaths.shape[0]
    weight = np.ones(m)
    if rho != 0.0 or gamma != 0.0:
        n_risk = np.cumsum(totals.sum(axis=1)[::-1])[::-1]
        km = np.cumprod((n_risk - deaths.sum(axis=1)) / n_risk)
        s_left = np.concatenate(([1.0], km[:-1]))
        weight = s_left**rho * (1.0 - s_left) ** gamma
    return _weighted_sums(np.ascontiguousarray(deaths), np.ascontiguousarray(totals), weight)


@numba.njit(cache=True, error_model="numpy")
def _weighted_sums(
    deaths: FloatArray, totals: FloatArray, weight: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """One pass over the distinct times (module docstring's sums)."""
    m, k = deaths.shape
    risk = np.zeros(k)
    for i in range(m):
        for j in range(k):
            risk[j] += totals[i, j]
    observed = np.zeros(k)
    expected = np.zeros(k)
    variance = np.zeros((k, k))
    for i in range(m):
        d = 0.0
        n = 0.0
        for j in range(k):
            d += deaths[i, j]
            n += risk[j]
        if d > 0:
            w = weight[i]
            for j in range(k):
                observed[j] += w * deaths[i, j]
                expected[j] += w * d * risk[j] / n
            if n > 1:
                kt = w * w * d * (n - d) / (n * (n - 1.0))
                for j in range(k):
                    tmp = kt * risk[j]
                    variance[j, j] += tmp
                    for col in range(k):
                        variance[j, col] -= tmp / n * risk[col]
        for j in range(k):
            risk[j] -= totals[i, j]
    return observed, expected, variance


def logrank_test(
    time: Any,
    event: Any,
    group: Any,
    *,
    strata: Any = None,
    rho: float = 0.0,
    gamma: float = 0.0,
) -> LogrankResult:
    """Compare survival between groups (R's ``survdiff``); see the module docstring."""
    t = as_times(time)
    n = t.shape[0]
    e = as_events(event, t.shape)
    groups, g = as_labels(group, n, "group", min_levels=2)
    if strata is None:
        s = np.zeros(n, dtype=np.intp)
        n_strata = 1
    else:
        levels, s = as_labels(strata, n, "strata")
        n_strata = len(levels)
    for name, value in (("rho", rho), ("gamma", gamma)):
        if not np.isfinite(value) or value < 0:
            raise InputError(name, f"must be a finite number >= 0, got {value!r}")
    k = len(groups)
    observed = np.zeros(k)
    expected = np.zeros(k)
    variance = np.zeros((k, k))
    if n_strata == 1:
        parts = [tally(t, e, g, k)]
    else:  # near ties are folded over all strata together, as R does
        folded = fold_ties(t)
        parts = [
            tally(folded[s == i], e[s == i], g[s == i], k, fold=False) for i in range(n_strata)
        ]
    for _, deaths, totals in parts:
        o, x, v = _stratum_sums(deaths, totals, float(rho), float(gamma))
        observed += o
        expected += x
        variance += v
    keep = expected > 0
    df = int(keep.sum()) - 1
    if df < 1:
        raise InputError("event", "too few events to compare groups (no events in 2+ groups)")
    diff = (observed - expected)[keep][1:]
    vv = variance[np.ix_(keep, keep)][1:, 1:]
    try:
        chisq = float(diff @ np.linalg.solve(vv, diff))
    except np.linalg.LinAlgError:
        raise InputError("group", "the log-rank variance matrix is singular") from None
    z = None
    if k == 2 and variance[1, 1] > 0:
        z = float((observed[1] - expected[1]) / np.sqrt(variance[1, 1]))
    return LogrankResult(
        chisq=chisq,
        df=df,
        p_value=float(sps.chi2.sf(chisq, df)),
        groups=groups,
        observed=observed,
        expected=expected,
        variance=variance,
        n=np.bincount(g, minlength=k).astype(np.intp),
        z=z,
        rho=float(rho),
        gamma=float(gamma),
    )
