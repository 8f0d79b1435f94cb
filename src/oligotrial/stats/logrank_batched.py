"""Two-group log-rank test over many simulated trials at once.

Each row of the ``(T, N)`` inputs is one data set; the result for row ``i`` equals
:func:`oligotrial.stats.logrank_test` on that row's valid subjects (same tie folding, same
formulas; see ``logrank.py`` for the source). Rows are sorted once (``argsort`` along axis
1), numbers at risk come from reverse cumulative sums, and tied times are grouped by a
per-row mask built from the gaps between sorted times (the ``aeqSurv`` rule). Rows are
processed in chunks so memory stays bounded.

A row without any event (or with zero variance) gets ``chisq = 0`` and ``z = 0``: in a
simulation that is "no evidence", not an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from oligotrial.errors import InputError
from oligotrial.stats._batch import (
    CHUNK_ELEMENTS,
    check_valid,
    fold_rows,
    sorted_blocks,
    valid_mask,
)
from oligotrial.stats._validate import BoolArray, FloatArray, as_events, as_times


@dataclass(frozen=True)
class BatchedLogrank:
    """Per-row log-rank results. ``z < 0`` when group 1 has fewer events than expected."""

    chisq: FloatArray
    z: FloatArray
    observed: FloatArray
    expected: FloatArray
    variance: FloatArray


def _chunk(
    time: FloatArray,
    event: BoolArray,
    group1: BoolArray,
    valid: BoolArray,
    exact: bool,
    weights: tuple[float, float],
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    order, _, start, end = sorted_blocks(time, valid, exact=exact)
    ev = np.take_along_axis(event & valid, order, axis=1)
    g1 = np.take_along_axis(group1 & valid, order, axis=1)
    vs = np.take_along_axis(valid, order, axis=1)
    risk = np.cumsum(vs[:, ::-1], axis=1, dtype=np.float64)[:, ::-1]
    risk1 = np.cumsum(g1[:, ::-1], axis=1, dtype=np.float64)[:, ::-1]
    cev = np.cumsum(ev, axis=1, dtype=np.float64)
    cev1 = np.cumsum(ev & g1, axis=1, dtype=np.float64)
    cev_before = cev - ev
    cev1_before = cev1 - (ev & g1)
    d = cev - np.take_along_axis(cev_before, start, axis=1)
    d1 = cev1 - np.take_along_axis(cev1_before, start, axis=1)
    n = np.take_along_axis(risk, start, axis=1)
    n1 = np.take_along_axis(risk1, start, axis=1)
    at = end & (d > 0)
    d = np.where(at, d, 0.0)
    d1 = np.where(at, d1, 0.0)
    n_safe = np.where(at, n, 1.0)
    n1 = np.where(at, n1, 0.0)
    rho, gamma = weights
    w = np.ones_like(d)
    if rho != 0.0 or gamma != 0.0:
        # pooled Kaplan-Meier of the stratum just before each time, S(t-)
        surv = np.cumprod(np.where(end & vs, (n_safe - d) / n_safe, 1.0), axis=1)
        s_left = np.concatenate([np.ones((surv.shape[0], 1)), surv[:, :-1]], axis=1)
        w = np.where(at, s_left**rho * (1.0 - s_left) ** gamma, 0.0)
    o1 = (w * d1).sum(axis=1)
    o = (w * d).sum(axis=1)
    e1 = (w * d * n1 / n_safe).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        kt = np.where(n_safe > 1, w * w * d * (n_safe - d) / (n_safe * (n_safe - 1.0)), 0.0)
    tmp = kt * n1
    v = (tmp - tmp * n1 / n_safe).sum(axis=1)
    return o - o1, o1, o - e1, e1, v


def logrank_batched(
    time: Any,
    event: Any,
    group: Any,
    *,
    strata: Any = None,
    valid: Any = None,
    rho: float = 0.0,
    gamma: float = 0.0,
) -> BatchedLogrank:
    """Log-rank test of group 1 versus group 0 on each row of ``(T, N)`` arrays.

    ``valid`` (bool, ``(T, N)``) drops subjects (e.g. not yet enrolled at an interim look);
    ``strata`` (int, ``(T, N)``) gives a stratified test (sums of O, E, V over strata);
    ``rho``/``gamma`` give Fleming-Harrington weights as in :func:`logrank_test` (observed
    counts are then weighted too).
    """
    t = as_times(time, ndim=2, mask=valid_mask(valid))  # only valid subjects checked
    shape = t.shape
    e = as_events(event, shape)
    g = np.asarray(group)
    if g.shape != shape:
        raise InputError("group", f"has shape {g.shape}, expected {shape} (same as time)")
    if not np.all((g == 0) | (g == 1)):
        raise InputError("group", "must be coded 0/1")
    g1 = g == 1
    ok = check_valid(valid, shape)
    for name, value in (("rho", rho), ("gamma", gamma)):
        if not np.isfinite(value) or value < 0:
            raise InputError(name, f"must be a finite number >= 0, got {value!r}")
    if strata is None:
        layers = [ok]
    else:
        s = np.asarray(strata)
        if s.shape != shape or s.dtype.kind not in "iub":
            raise InputError("strata", f"must be an integer array of shape {shape}")
        layers = [ok & (s == level) for level in np.unique(s)]
    rows = shape[0]
    obs = np.zeros((rows, 2))
    exp = np.zeros((rows, 2))
    var = np.zeros(rows)
    step = max(1, CHUNK_ELEMENTS // shape[1])
    for lo in range(0, rows, step):
        sl = slice(lo, lo + step)
        # with strata, near-ties are folded on the pooled row first, as logrank_test does
        rows_t = t[sl] if strata is None else fold_rows(t[sl], ok[sl])
        for layer in layers:
            o0, o1, e0, e1, v = _chunk(
                rows_t, e[sl], g1[sl], layer[sl], strata is not None, (float(rho), float(gamma))
            )
            obs[sl, 0] += o0
            obs[sl, 1] += o1
            exp[sl, 0] += e0
            exp[sl, 1] += e1
            var[sl] += v
    positive = var > 0
    safe = np.where(positive, var, 1.0)
    z = np.where(positive, (obs[:, 1] - exp[:, 1]) / np.sqrt(safe), 0.0)
    chisq = np.where(positive, (obs[:, 1] - exp[:, 1]) ** 2 / safe, 0.0)
    return BatchedLogrank(chisq=chisq, z=z, observed=obs, expected=exp, variance=var)
