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

import numpy as np
from scipy import stats as sps

from oligotrial.errors import InputError
from oligotrial.stats._ties import block_starts, sort_and_fold
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
    time: FloatArray, event: np.ndarray, group: IntArray, k: int, rho: float, gamma: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Observed, expected and variance contributions of one stratum (times sorted, folded)."""
    starts = block_starts(time)
    m = starts.shape[0]
    block = np.cumsum(np.concatenate(([True], time[1:] != time[:-1]))) - 1
    cell = block * k + group
    deaths_g = np.bincount(cell, weights=event.astype(np.float64), minlength=m * k).reshape(m, k)
    count_g = np.bincount(cell, minlength=m * k).reshape(m, k).astype(np.float64)
    risk_g = np.cumsum(count_g[::-1], axis=0)[::-1]
    n_risk = (time.shape[0] - starts).astype(np.float64)
    deaths = deaths_g.sum(axis=1)
    weight = np.ones(m)
    if rho != 0.0 or gamma != 0.0:
        km = np.cumprod((n_risk - deaths) / n_risk)
        s_left = np.concatenate(([1.0], km[:-1]))
        weight = s_left**rho * (1.0 - s_left) ** gamma
    has = deaths > 0
    w, d, n, r = weight[has], deaths[has], n_risk[has], risk_g[has]
    observed = (w[:, None] * deaths_g[has]).sum(axis=0)
    expected = (w[:, None] * d[:, None] * r / n[:, None]).sum(axis=0)
    multi = n > 1
    w, d, n, r = w[multi], d[multi], n[multi], r[multi]
    kt = w * w * d * (n - d) / (n * (n - 1.0))
    tmp = kt[:, None] * r
    variance = np.diag(tmp.sum(axis=0)) - (tmp / n[:, None]).T @ r
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
    order, folded = sort_and_fold(t)
    by_stratum = np.argsort(s[order], kind="stable")  # keeps time order within strata
    index = order[by_stratum]
    t, e, g, s = folded[by_stratum], e[index], g[index], s[index]
    edges = np.searchsorted(s, np.arange(n_strata + 1))
    k = len(groups)
    observed = np.zeros(k)
    expected = np.zeros(k)
    variance = np.zeros((k, k))
    for stratum in range(n_strata):
        sel = slice(edges[stratum], edges[stratum + 1])
        o, x, v = _stratum_sums(t[sel], e[sel], g[sel], k, float(rho), float(gamma))
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
