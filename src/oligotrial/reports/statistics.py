"""Every statistic the report shows, computed in this one module through the product's
engines: :mod:`oligotrial.stats` (Kaplan-Meier, log-rank, Cox, RMST, binomial intervals)
and :mod:`oligotrial.design` (interim bound, conditional power).

Conventions: the experimental and control arms are the protocol's (``report`` section),
passed in by code. Hazard ratios are experimental versus control (< 1 favours the
experimental arm); the log-rank z and the RMST difference are turned the same way (z > 0
and a positive difference when the experimental arm does better).

Kaplan-Meier intervals (bands, landmark rates, median limits) use the log transform
(:data:`KM_CONF_TYPE`, R's default); :data:`KM_CI_NAME` names it in the report.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from oligotrial.errors import ConvergenceWarning
from oligotrial.stats import (
    clopper_pearson,
    kaplan_meier_by_group,
    logrank_test,
    miettinen_nurminen,
    rmst,
)
from oligotrial.stats.cox import cox_ph

FloatArray = npt.NDArray[np.float64]
KM_CONF_TYPE: Literal["log"] = "log"
KM_CI_NAME = "95% CI, log transform"


@dataclass(frozen=True)
class ArmCurve:
    """A Kaplan-Meier curve of one arm with what the figure and tables need."""

    arm: str
    n: int
    events: int
    median: float | None
    median_lower: float | None
    median_upper: float | None
    time: FloatArray
    survival: FloatArray
    lower: FloatArray
    upper: FloatArray
    n_risk: FloatArray
    censor_time: FloatArray

    def survival_at(self, t: Sequence[float] | FloatArray) -> FloatArray:
        tt = np.asarray(t, dtype=np.float64)
        i = np.searchsorted(self.time, tt, side="right") - 1
        return np.asarray(np.concatenate(([1.0], self.survival))[i + 1], dtype=np.float64)

    def band_at(self, t: float) -> tuple[float, float]:
        i = int(np.searchsorted(self.time, t, side="right")) - 1
        if i < 0:
            return 1.0, 1.0
        return float(self.lower[i]), float(self.upper[i])

    def at_risk(self, times: Sequence[float]) -> list[int]:
        """Patients still at risk at each time (observed time >= t), as R's summary."""
        out = []
        for t in times:
            later = self.n_risk[self.time >= t]
            out.append(int(later[0]) if later.size else 0)
        return out


def curves_by_arm(time: Any, event: Any, arm: Any) -> dict[str, ArmCurve]:
    fits = kaplan_meier_by_group(
        np.asarray(time, float),
        np.asarray(event, int),
        np.asarray(arm, str),
        conf_type=KM_CONF_TYPE,
    )
    out: dict[str, ArmCurve] = {}
    for label, km in fits.items():
        lo, hi = km.median_ci
        censored = km.time[km.n_censor > 0]
        out[str(label)] = ArmCurve(
            str(label),
            int(km.n),
            int(km.n_event.sum()),
            km.median,
            lo,
            hi,
            km.time,
            km.survival,
            km.lower,
            km.upper,
            km.n_risk,
            censored,
        )
    return out


@dataclass(frozen=True)
class HazardRatio:
    hr: float
    lower: float
    upper: float
    p_value: float
    n: int
    events: int


def hazard_ratio(
    time: Any, event: Any, arm: Any, experimental: str, control: str, strata: Any = None
) -> HazardRatio | None:
    """Cox HR of ``experimental`` vs ``control`` (Efron ties; rows of other arms must be
    left out by the caller), stratified when ``strata`` is given; None when the HR is not
    estimable (an arm or the events missing, or an infinite coefficient)."""
    a = np.asarray(arm, str)
    e = np.asarray(event, int)
    if (
        len(set(a.tolist())) < 2
        or e.sum() == 0
        or any(e[a == g].sum() == 0 for g in (experimental, control))
    ):
        return None
    x = (a == experimental).astype(float)
    with warnings.catch_warnings():
        # an infinite coefficient (e.g. no events in one arm of a stratum) is reported as
        # "not estimable" below rather than as a number
        warnings.simplefilter("ignore", ConvergenceWarning)
        fit = cox_ph(np.asarray(time, float), e, {"arm_A": x}, strata=strata, ties="efron")
    if fit.possibly_infinite or not fit.converged:
        return None
    return HazardRatio(
        float(fit.hazard_ratio["arm_A"]),
        float(fit.hr_lower["arm_A"]),
        float(fit.hr_upper["arm_A"]),
        float(fit.p_value["arm_A"]),
        int(fit.n),
        int(fit.n_events),
    )


@dataclass(frozen=True)
class LogRank:
    chisq: float
    p_value: float
    z: float  # > 0 when the experimental arm does better
    observed: dict[str, float]
    expected: dict[str, float]


def logrank(time: Any, event: Any, arm: Any, experimental: str, strata: Any = None) -> LogRank:
    res = logrank_test(
        np.asarray(time, float), np.asarray(event, int), np.asarray(arm, str), strata=strata
    )
    groups = [str(g) for g in res.groups]
    # the stats z is (O - E) / sqrt(V) of the second group: > 0 when the first does better
    z = float(res.z or 0.0) * (1.0 if groups[0] == experimental else -1.0)
    return LogRank(
        float(res.chisq),
        float(res.p_value),
        z,
        dict(zip(groups, map(float, res.observed), strict=True)),
        dict(zip(groups, map(float, res.expected), strict=True)),
    )


@dataclass(frozen=True)
class Proportion:
    x: int
    n: int
    estimate: float
    lower: float
    upper: float


def proportion(x: int, n: int) -> Proportion:
    """Exact (Clopper-Pearson) 95 % interval."""
    if n == 0:
        return Proportion(0, 0, float("nan"), float("nan"), float("nan"))
    ci = clopper_pearson(int(x), int(n))
    return Proportion(int(x), int(n), ci.estimate, ci.lower, ci.upper)


def difference(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float, float]:
    """Difference of proportions (1 − 2) with the Miettinen-Nurminen 95 % interval."""
    ci = miettinen_nurminen(int(x1), int(n1), int(x2), int(n2))
    return ci.estimate, ci.lower, ci.upper


@dataclass(frozen=True)
class RmstSummary:
    tau: float
    by_arm: dict[str, tuple[float, float]]  # arm -> (rmst, se)
    difference: tuple[float, float, float] | None  # experimental − control, lower, upper


def rmst_by_arm(time: Any, event: Any, arm: Any, tau: float, experimental: str) -> RmstSummary:
    res = rmst(np.asarray(time, float), np.asarray(event, int), tau, group=np.asarray(arm, str))
    by_arm = {str(g.group): (float(g.rmst), float(g.se)) for g in res.groups}
    diff = None
    if res.difference is not None:  # stats gives second − first: turn to experimental − control
        d = res.difference
        if str(res.groups[0].group) == experimental:
            diff = (-float(d.estimate), -float(d.upper), -float(d.lower))
        else:
            diff = (float(d.estimate), float(d.lower), float(d.upper))
    return RmstSummary(float(tau), by_arm, diff)


@dataclass(frozen=True)
class Interim:
    information: float
    events: int
    planned_events: int
    z_favouring_experimental: float
    bound: float
    crossed: bool
    conditional_power_trend: float
    conditional_power_design: float
    final_bound: float | None


def interim(
    events: int,
    z_stats: float,
    planned_events: int,
    hazard_ratio: float,
    alpha: float,
    sides: int,
    power: float,
    spending: str,
    earlier_looks: Sequence[int] = (),
) -> Interim:
    """Bound at the information reached and conditional power (design package)."""
    from oligotrial.design.monitoring import interim_status

    st = interim_status(
        events=[*earlier_looks, events],
        z=-z_stats,
        planned_events=[planned_events],
        hazard_ratio=hazard_ratio,
        alpha=alpha,
        sides=sides,
        power=power,
        spending=spending,
    )
    return Interim(
        st.information,
        events,
        planned_events,
        z_stats,
        st.bound,
        st.crossed,
        st.conditional_power_trend,
        st.conditional_power_design,
        st.remaining_bounds[-1] if st.remaining_bounds else None,
    )
