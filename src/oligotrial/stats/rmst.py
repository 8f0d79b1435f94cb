"""Restricted mean survival time (RMST) up to ``tau``, per group and as a difference.

Source: R survival's ``print(survfit(...), rmean = tau)`` (internal ``survmean``), whose
variance is the one used by survRM2 (Uno et al. 2014; Royston & Parmar 2013):

    RMST  = integral_0^tau S(t) dt  (area under the Kaplan-Meier step curve),
    Var   = sum over event times t_i <= tau of  A_i^2 d_i / (n_i (n_i - d_i)),
    A_i   = integral_{t_i}^tau S(t) dt   (terms with n_i = d_i count 0).

The difference is ``RMST(second group) - RMST(first group)`` (groups in sorted order), with
``SE = sqrt(se_1^2 + se_2^2)``, a normal CI and two-sided p-value (survRM2's ``rmst2``).
As survRM2 requires, ``tau`` may not exceed any group's largest observed time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats as sps

from oligotrial.errors import InputError
from oligotrial.stats._ties import sort_and_fold
from oligotrial.stats._validate import as_conf_level, as_events, as_labels, as_times
from oligotrial.stats.kaplan_meier import KaplanMeier, km_from_sorted


@dataclass(frozen=True)
class RmstEstimate:
    """RMST of one group (``group`` is ``None`` for an ungrouped sample)."""

    group: Any
    rmst: float
    se: float
    n: int


@dataclass(frozen=True)
class RmstDifference:
    """Second group minus first group."""

    estimate: float
    se: float
    lower: float
    upper: float
    p_value: float


@dataclass(frozen=True)
class RmstResult:
    """Per-group RMST and, with exactly two groups, their difference."""

    tau: float
    conf_level: float
    groups: tuple[RmstEstimate, ...]
    difference: RmstDifference | None


def rmst_of_curve(curve: KaplanMeier, tau: float) -> tuple[float, float]:
    """RMST and its standard error from a Kaplan-Meier curve (R's ``survmean``)."""
    keep = curve.time <= tau
    times = np.concatenate((curve.time[keep], [tau]))
    surv = curve.survival[keep]
    d, n = curve.n_event[keep], curve.n_risk[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        hh = np.where(n - d == 0, 0.0, d / (n * (n - d)))
    delta = np.diff(np.concatenate(([0.0], times)))
    heights = np.concatenate(([1.0], surv))
    rectangles = delta * heights
    area_after = np.cumsum(rectangles[::-1])[::-1]  # area_after[j] = sum rectangles[j:]
    var = float(np.sum(area_after[1:] ** 2 * hh))
    return float(np.sum(rectangles)), float(np.sqrt(var))


def rmst(
    time: Any,
    event: Any,
    tau: float,
    *,
    group: Any = None,
    conf_level: float = 0.95,
) -> RmstResult:
    """RMST up to ``tau`` overall or per group, with the two-group difference."""
    t = as_times(time)
    e = as_events(event, t.shape)
    level = as_conf_level(conf_level)
    tau = float(tau)
    if not np.isfinite(tau) or tau <= 0:
        raise InputError("tau", f"must be a positive number, got {tau!r}")
    if group is None:
        levels: tuple[Any, ...] = (None,)
        codes = np.zeros(t.shape[0], dtype=np.intp)
    else:
        levels, codes = as_labels(group, t.shape[0], "group")
    order, folded = sort_and_fold(t)
    e, codes = e[order], codes[order]
    estimates = []
    for i, label in enumerate(levels):
        sel = codes == i
        largest = float(folded[sel].max())
        if tau > largest:
            where = "" if label is None else f" in group {label!r}"
            raise InputError(
                "tau", f"{tau:g} exceeds the largest observed time{where} ({largest:g})"
            )
        curve = km_from_sorted(folded[sel], e[sel], "log", level)
        value, se = rmst_of_curve(curve, tau)
        estimates.append(RmstEstimate(group=label, rmst=value, se=se, n=int(sel.sum())))
    difference = None
    if len(estimates) == 2:
        first, second = estimates
        est = second.rmst - first.rmst
        se = float(np.hypot(first.se, second.se))
        z = float(sps.norm.ppf(1.0 - (1.0 - level) / 2.0))
        # no variance at all (no informative events before tau in either group): p is 1 or 0
        p = float(2.0 * sps.norm.sf(abs(est) / se)) if se > 0 else float(est == 0)
        difference = RmstDifference(est, se, est - z * se, est + z * se, p)
    return RmstResult(tau=tau, conf_level=level, groups=tuple(estimates), difference=difference)
