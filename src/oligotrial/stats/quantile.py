"""Quantiles of a survival curve as R survival computes them, and the median of its table.

:func:`table_median` is the median (and, applied to a band, its confidence limit) of R's
printed ``survfit`` table (``print(fit)``, ``summary(fit)$table``, survminer's table: the
internal ``survmean``, function ``minmin``). Keep the points with a value (not NA) that is
``< 0.5 + tol``; none means "not reached". Let ``(t_1, y_1)`` be the first kept point: if
``|y_1 - 0.5| < tol`` and a later kept point lies below ``y_1``, the median is the midpoint
of ``t_1`` and the first such point's time; otherwise it is ``t_1``. So the limit is the
first time the band is at or below 0.5, even where the band later rises again (a log band
widens in the tail: on R's ``aml`` data the upper limit is 45, where ``quantile.survfit``
gives 48), and a curve that ends flat exactly at 0.5 has the start of that stretch.

:func:`curve_quantile` is any quantile exactly as R's ``quantile.survfit`` computes it.

Source: Therneau, survival package, ``quantile.survfit`` (internal ``findq``) and its test
file ``tests/quantile.R``. With ``x = (0, t_1, ..., t_m)`` (every reported time, censored
ones included) and ``y = (0, 1 - S(t_1), ..., 1 - S(t_m))``, duplicated ``y`` values are dropped
(keeping the first), missing ``y`` are ignored, and for probability ``p``:

- ``i1`` = the point with the smallest ``y`` such that ``y + tol >= p``,
- ``i2`` = the point with the smallest ``y`` such that ``y - tol >= p``,
- the quantile is ``(x[i1] + x[i2]) / 2`` (missing if either does not exist).

So when the curve sits exactly at ``1 - p`` on a flat stretch, the quantile is the midpoint
of that stretch; if that stretch is the last one, its end is the last reported time.
``tol = sqrt(machine eps)``. A confidence interval for a quantile applies the same rule to
the lower band (giving the lower limit) and the upper band (giving the upper limit).
"""

from __future__ import annotations

import numpy as np

from oligotrial.stats._ties import TOLERANCE
from oligotrial.stats._validate import FloatArray


def _first_occurrences(y: FloatArray) -> np.ndarray:
    """Mask of first occurrences of each value (all NaN count as one value), like R's
    ``!duplicated(y)``; linear when the numbers are non-decreasing (the usual case)."""
    nan = np.isnan(y)
    numbers = y[~nan]
    keep = np.zeros(y.shape[0], dtype=bool)
    if numbers.size < 2 or np.all(numbers[1:] >= numbers[:-1]):
        keep[~nan] = np.concatenate(([True], numbers[1:] != numbers[:-1]))[: numbers.size]
    else:
        _, first = np.unique(numbers, return_index=True)
        keep[np.flatnonzero(~nan)[first]] = True
    if nan.any():
        keep[np.argmax(nan)] = True
    return keep


def curve_quantile(p: float, time: FloatArray, surv: FloatArray) -> float | None:
    """The ``p`` quantile of a step curve ``surv`` reported at ``time``; ``None`` if not reached.

    ``surv`` may contain NaN (a band where it is undefined); those points are ignored.
    """
    x = np.concatenate(([0.0], time))
    y = np.concatenate(([0.0], 1.0 - surv))
    xmax = x[-1]
    if np.all(np.isnan(y)) or np.nanmax(y) < p:
        return None
    keep = _first_occurrences(y)
    x, y = x[keep], y[keep]
    if p == 0:
        return float(x[0])
    ok = ~np.isnan(y)
    above1 = ok & (y + TOLERANCE >= p)
    above2 = ok & (y - TOLERANCE >= p)
    if not above1.any() or not above2.any():
        i1 = None
    else:
        i1 = int(np.argmin(np.where(above1, y, np.inf)))
        i2 = int(np.argmin(np.where(above2, y, np.inf)))
    last = y[-1]
    if not np.isnan(last) and abs(p - last) < TOLERANCE:
        if not above1.any():
            return None
        i1 = int(np.argmin(np.where(above1, y, np.inf)))
        return float((x[i1] + xmax) / 2.0)
    if i1 is None:
        return None
    return float((x[i1] + x[i2]) / 2.0)


def table_median(time: FloatArray, surv: FloatArray) -> float | None:
    """Median of the step curve ``surv`` reported at ``time`` by the rule of R's printed
    ``survfit`` table (module docstring); ``None`` if not reached. NaN values are ignored."""
    keep = ~np.isnan(surv) & (surv < 0.5 + TOLERANCE)
    if not keep.any():
        return None
    x, y = time[keep], surv[keep]
    if abs(y[0] - 0.5) < TOLERANCE:
        below = np.flatnonzero(y < y[0])
        if below.size:
            return float((x[0] + x[below[0]]) / 2.0)
    return float(x[0])
