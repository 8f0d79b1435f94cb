"""Fold nearly equal times together, as R survival's ``aeqSurv`` does.

Source: Therneau, survival package (``aeqSurv``, used by ``survfit``, ``survdiff`` and
``coxph`` since version 2.39). Distinct sorted times whose gap ``dy`` satisfies
``dy <= tol`` or ``dy / mean(|distinct times|) <= tol`` (``tol = sqrt(machine eps)``) form
a chain; every time in a chain is replaced by the chain's smallest value. This keeps
floating-point noise (e.g. 1.1 + 2.2 versus 3.3) from creating spurious distinct times.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from oligotrial.stats._validate import FloatArray

TOLERANCE = float(np.sqrt(np.finfo(np.float64).eps))


def sort_and_fold(time: FloatArray) -> tuple[npt.NDArray[np.intp], FloatArray]:
    """Sort ``time`` once; return the order and the sorted, folded times."""
    order = np.argsort(time)  # ties are aggregated later, so stability is not needed
    ts = time[order]
    if ts.shape[0] < 2:
        return order, ts
    dy = np.diff(ts)
    distinct = np.concatenate(([True], dy > 0))
    mean_abs = float(np.mean(np.abs(ts[distinct])))
    with np.errstate(divide="ignore", invalid="ignore"):
        tied = (dy <= TOLERANCE) | (dy / mean_abs <= TOLERANCE)
    near = tied & (dy > 0)
    if not near.any():
        return order, ts
    new_chain = np.concatenate(([True], ~tied))
    start = np.maximum.accumulate(np.where(new_chain, np.arange(ts.shape[0]), 0))
    folded: FloatArray = ts[start]
    return order, folded


def fold_ties(time: FloatArray) -> FloatArray:
    """Return ``time`` (original order) with nearly tied values replaced by their chain start."""
    order, folded = sort_and_fold(time)
    out = np.empty_like(folded)
    out[order] = folded
    return out
