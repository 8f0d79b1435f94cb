"""Kaplan-Meier summaries over many simulated trials at once.

Each row of the ``(T, N)`` inputs is one data set; row ``i`` of the result equals what
:func:`oligotrial.stats.kaplan_meier` gives on that row's valid subjects: the median and its
confidence interval (the rule of R's printed ``survfit`` table, see :mod:`.quantile`), and
the survival
and its Greenwood standard error at requested times. Rows are sorted once, numbers at risk
come from reverse cumulative sums and ties are grouped per row (see :mod:`._batch`).

NaN in the result means "not reached" (median or a limit) or "undefined" (as R's ``NA``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from oligotrial.errors import InputError
from oligotrial.stats._batch import CHUNK_ELEMENTS, check_valid, sorted_blocks, valid_mask
from oligotrial.stats._ties import TOLERANCE
from oligotrial.stats._validate import BoolArray, FloatArray, as_conf_level, as_events, as_times
from oligotrial.stats.kaplan_meier import CONF_TYPES, confidence_band


@dataclass(frozen=True)
class BatchedKaplanMeier:
    """Per-row medians (``(T,)``) and survival at ``times`` (``(T, K)``)."""

    median: FloatArray
    median_lower: FloatArray
    median_upper: FloatArray
    times: FloatArray
    survival_at: FloatArray
    std_err_at: FloatArray
    n_event: FloatArray


def batched_table_median(x: FloatArray, y: FloatArray, point: BoolArray) -> FloatArray:
    """:func:`.quantile.table_median` on each row of the curve (or band) ``y`` at times
    ``x``; only the columns marked in ``point`` are curve points."""
    rows = np.arange(y.shape[0])
    keep = point & ~np.isnan(y) & (y < 0.5 + TOLERANCE)
    first = np.argmax(keep, axis=1)
    x1, y1 = x[rows, first], y[rows, first]
    later = keep & (y < y1[:, None])
    second = np.argmax(later, axis=1)
    midpoint = (np.abs(y1 - 0.5) < TOLERANCE) & later.any(axis=1)
    q = np.where(midpoint, (x1 + x[rows, second]) / 2.0, x1)
    out: FloatArray = np.where(keep.any(axis=1), q, np.nan)
    return out


def _chunk(
    time: FloatArray,
    event: BoolArray,
    valid: BoolArray,
    times: FloatArray,
    conf_type: str,
    conf_level: float,
) -> tuple[FloatArray, ...]:
    order, ts, start, end = sorted_blocks(time, valid)
    rows = ts.shape[0]
    ev = np.take_along_axis(event & valid, order, axis=1)
    vs = np.take_along_axis(valid, order, axis=1)
    risk = np.cumsum(vs[:, ::-1], axis=1, dtype=np.float64)[:, ::-1]
    cev = np.cumsum(ev, axis=1, dtype=np.float64)
    d = cev - np.take_along_axis(cev - ev, start, axis=1)
    n = np.take_along_axis(risk, start, axis=1)
    folded = np.take_along_axis(ts, start, axis=1)
    point = end & vs
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(point, (n - d) / n, 1.0)
        term = np.where(point & (d > 0), d / (n * (n - d)), 0.0)
    surv = np.cumprod(factor, axis=1).astype(np.float64)
    log_se = np.sqrt(np.cumsum(term, axis=1))
    lower, upper = confidence_band(surv, log_se, conf_type, conf_level)
    x = np.where(point, folded, 0.0)
    medians = [batched_table_median(x, band, point) for band in (surv, lower, upper)]
    # value at requested times: last curve point with folded time <= t
    k = times.shape[0]
    surv_at = np.ones((rows, k))
    se_at = np.zeros((rows, k))
    with np.errstate(invalid="ignore"):
        std_err = surv * log_se  # NaN once S = 0, as R's summary
    cols = np.arange(ts.shape[1])
    for j in range(k):
        upto = np.where(point & (folded <= times[j]), cols, -1).max(axis=1)
        has = upto >= 0
        idx = np.maximum(upto, 0)[:, None]
        surv_at[:, j] = np.where(has, np.take_along_axis(surv, idx, axis=1)[:, 0], 1.0)
        se_at[:, j] = np.where(has, np.take_along_axis(std_err, idx, axis=1)[:, 0], 0.0)
    return (*medians, surv_at, se_at, ev.sum(axis=1).astype(np.float64))


def kaplan_meier_batched(
    time: Any,
    event: Any,
    *,
    valid: Any = None,
    times: Any = (),
    conf_type: str = "log",
    conf_level: float = 0.95,
) -> BatchedKaplanMeier:
    """Kaplan-Meier median (with CI) and survival at ``times`` for each row of ``(T, N)``."""
    t = as_times(time, ndim=2, mask=valid_mask(valid))  # only valid subjects checked
    shape = t.shape
    e = as_events(event, shape)
    ok = check_valid(valid, shape)
    if conf_type not in CONF_TYPES:
        raise InputError("conf_type", f"must be one of {', '.join(CONF_TYPES)}, got {conf_type!r}")
    level = as_conf_level(conf_level)
    at = np.atleast_1d(np.asarray(times, dtype=np.float64))
    if at.ndim != 1 or not np.all(np.isfinite(at)):
        raise InputError("times", "must be a 1-dimensional array of finite times")
    rows = shape[0]
    outs = [np.empty(rows) for _ in range(3)] + [np.empty((rows, at.shape[0])) for _ in range(2)]
    outs.append(np.empty(rows))
    step = max(1, CHUNK_ELEMENTS // shape[1])
    for lo in range(0, rows, step):
        sl = slice(lo, lo + step)
        for target, value in zip(
            outs, _chunk(t[sl], e[sl], ok[sl], at, conf_type, level), strict=True
        ):
            target[sl] = value
    return BatchedKaplanMeier(
        median=outs[0],
        median_lower=outs[1],
        median_upper=outs[2],
        times=at,
        survival_at=outs[3],
        std_err_at=outs[4],
        n_event=outs[5],
    )
