"""Fold nearly equal times together, as R survival's ``aeqSurv`` does.

Source: Therneau, survival package (``aeqSurv``, used by ``survfit``, ``survdiff`` and
``coxph`` since version 2.39). Distinct sorted times whose gap ``dy`` satisfies
``dy <= tol`` or ``dy / mean(|distinct times|) <= tol`` (``tol = sqrt(machine eps)``) form
a chain; every time in a chain is replaced by the chain's smallest value. This keeps
floating-point noise (e.g. 1.1 + 2.2 versus 3.3) from creating spurious distinct times.
"""

from __future__ import annotations

import numpy as np

from oligotrial.stats._validate import FloatArray

TOLERANCE = float(np.sqrt(np.finfo(np.float64).eps))


def chain_starts(sorted_unique: FloatArray) -> np.ndarray:
    """Boolean mask over sorted distinct times: True where a new (untied) chain starts."""
    if sorted_unique.shape[0] == 0:
        return np.zeros(0, dtype=bool)
    dy = np.diff(sorted_unique)
    mean_abs = float(np.mean(np.abs(sorted_unique)))
    with np.errstate(divide="ignore", invalid="ignore"):
        tied = (dy <= TOLERANCE) | (dy / mean_abs <= TOLERANCE)
    return np.concatenate(([True], ~tied))


def fold_ties(time: FloatArray) -> FloatArray:
    """Return ``time`` with nearly tied values replaced by their chain's first value."""
    unique = np.unique(time)
    starts = chain_starts(unique)
    if starts.all():
        return time
    cuts = unique[starts]
    index = np.searchsorted(cuts, time, side="right") - 1
    folded: FloatArray = cuts[index]
    return folded
