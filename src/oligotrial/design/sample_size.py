"""Events and subjects for comparing two survival curves (rpact ``getSampleSizeSurvival``).

Events for a fixed design (group 1 = treatment, allocation ratio r = n1 / n2):
Schoenfeld (Biometrika 1981) ``(z_{1-alpha/sides} + z_{1-beta})^2 (1 + r)^2 / (r log(HR)^2)``;
Freedman (Stat Med 1982) ``(z_{1-alpha/sides} + z_{1-beta})^2 (1 + r HR)^2 / (r (1 - HR)^2)``.
A group-sequential design multiplies them by its inflation factor; events at look k are
the maximum times the information fraction. Subjects = maximum events divided by the
probability of an event by the end of the study (accrual + minimum follow-up) under
uniform (or piecewise-uniform) accrual and exponential dropout. With the number of
subjects given instead, the follow-up is solved for. Analysis times, subjects at each
look, expected events, subjects and duration under H1 follow rpact's conventions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.optimize import brentq
from scipy.special import ndtri

from oligotrial.design import _checks
from oligotrial.design.boundaries import GroupSequentialDesign, group_sequential_design
from oligotrial.design.survival_model import Accrual, PiecewiseExponential, dropout_hazard
from oligotrial.errors import InputError

Method = Literal["schoenfeld", "freedman"]


@dataclass(frozen=True)
class SurvivalSampleSize:
    """Planned events, subjects and timing of a two-arm survival comparison."""

    method: str
    hazard_ratio: float
    allocation_ratio: float
    events_fixed: float  # fixed-design events (no interim)
    events: float  # maximum events (fixed times inflation factor)
    events_per_look: tuple[float, ...]
    subjects: float  # maximum number of subjects
    subjects_per_look: tuple[float, ...]
    subjects_treatment: float
    subjects_control: float
    event_probability: float  # P(event by end of study), both arms pooled
    accrual_months: float
    follow_up_months: float
    analysis_times: tuple[float, ...]  # months from first enrolment
    expected_events_h1: float
    expected_events_h0: float
    expected_subjects_h1: float
    expected_duration_h1: float
    design: GroupSequentialDesign

    @property
    def events_rounded(self) -> int:
        return math.ceil(self.events - 1e-9)

    @property
    def subjects_rounded(self) -> int:
        """Subjects rounded up to a whole number of allocation blocks (when r is whole)."""
        n = math.ceil(self.subjects - 1e-9)
        r = self.allocation_ratio
        if float(r).is_integer() or float(1 / r).is_integer():
            block = round(r + 1) if r >= 1 else round(1 / r + 1)
            n = block * math.ceil(n / block)
        return n


def fixed_events(
    hazard_ratio: float,
    alpha: float,
    sides: int,
    power: float,
    allocation_ratio: float = 1.0,
    method: str = "schoenfeld",
) -> float:
    """Events of a fixed (single-look) design."""
    hr = _checks.hazard_ratio(hazard_ratio)
    r = _checks.positive("allocation_ratio", allocation_ratio)
    z2 = float((ndtri(1 - alpha / sides) + ndtri(power)) ** 2)
    if method == "schoenfeld":
        return z2 * (1 + r) ** 2 / (r * math.log(hr) ** 2)
    if method == "freedman":
        return z2 * (1 + r * hr) ** 2 / (r * (1 - hr) ** 2)
    raise InputError("method", f"must be schoenfeld or freedman, got {method!r}")


def sample_size_survival(
    *,
    hazard_ratio: float,
    control_median: float | None = None,
    control_hazard: tuple[float, ...] | None = None,
    piecewise_times: tuple[float, ...] | None = None,
    alpha: float = 0.05,
    sides: int = 2,
    power: float = 0.9,
    allocation_ratio: float = 1.0,
    accrual: Accrual | float = 12.0,
    follow_up: float | None = None,
    subjects: float | None = None,
    dropout_rate: float = 0.0,
    dropout_time: float = 12.0,
    method: str = "schoenfeld",
    design: GroupSequentialDesign | None = None,
) -> SurvivalSampleSize:
    """Sample size for a survival comparison; give ``follow_up`` or ``subjects``."""
    hr = _checks.hazard_ratio(hazard_ratio)
    if design is None:
        design = group_sequential_design("obrien-fleming", (1.0,), alpha, sides, power)
    alpha, sides, power = design.alpha, design.sides, design.power
    control = _control_model(control_median, control_hazard, piecewise_times)
    acc = accrual if isinstance(accrual, Accrual) else Accrual.uniform(accrual)
    r = _checks.positive("allocation_ratio", allocation_ratio)
    phi = dropout_hazard(dropout_rate, dropout_time)
    treat = control.scaled(hr)
    ev_fixed = fixed_events(hr, alpha, sides, power, r, method)
    t = np.array(design.information)
    ev_max = ev_fixed * design.inflation_factor
    ev_look = ev_max * t

    def prob(tau: float) -> float:
        p1 = acc.event_probability(tau, treat, phi)
        p2 = acc.event_probability(tau, control, phi)
        return (r * p1 + p2) / (1 + r)

    a_end = acc.duration
    if (follow_up is None) == (subjects is None):
        raise InputError("follow_up", "give exactly one of follow-up or subjects")
    if follow_up is not None:
        fu = _checks.non_negative("follow_up", follow_up)
        chi = prob(a_end + fu)
        n_max = ev_max / chi
    else:
        n_max = _checks.positive("subjects", subjects)  # type: ignore[arg-type]
        if ev_max >= n_max:
            raise InputError("subjects", f"{n_max:g} subjects cannot yield {ev_max:.2f} events")
        hi = 2.0
        while ev_max / prob(hi) > n_max:
            hi *= 2
            if hi > 1e6:
                raise InputError("subjects", "too few subjects to reach the events (dropout)")
        total = brentq(lambda x: ev_max / n_max - prob(x), 0.0, hi, xtol=1e-10)
        fu = total - a_end
        if fu < 0:
            raise InputError(
                "subjects",
                "the events are reached before accrual ends; "
                "fewer subjects or a shorter accrual fit these assumptions",
            )
        chi = prob(total)
    end = a_end + fu
    times = [
        brentq(lambda x, e=e: e / n_max - prob(x), 0.0, end, xtol=1e-10) for e in ev_look[:-1]
    ] + [end]
    n_look = n_max * acc.fraction_enrolled(np.array(times))
    stop = np.array(design.reject_h1) + np.array(design.futility_h1)
    stop[-1] = 1.0 - stop[:-1].sum()
    return SurvivalSampleSize(
        method=method,
        hazard_ratio=hr,
        allocation_ratio=r,
        events_fixed=ev_fixed,
        events=float(ev_max),
        events_per_look=tuple(float(v) for v in ev_look),
        subjects=float(n_max),
        subjects_per_look=tuple(float(v) for v in n_look),
        subjects_treatment=float(n_max * r / (1 + r)),
        subjects_control=float(n_max / (1 + r)),
        event_probability=float(chi),
        accrual_months=a_end,
        follow_up_months=float(fu),
        analysis_times=tuple(float(v) for v in times),
        expected_events_h1=design.expected_information_h1 * ev_fixed,
        expected_events_h0=design.expected_information_h0 * ev_fixed,
        expected_subjects_h1=float(n_look @ stop),
        expected_duration_h1=float(np.array(times) @ stop),
        design=design,
    )


def _control_model(
    median: float | None, hazard: tuple[float, ...] | None, times: tuple[float, ...] | None
) -> PiecewiseExponential:
    if (median is None) == (hazard is None):
        raise InputError("control_median", "give exactly one of control median or control hazard")
    if median is not None:
        return PiecewiseExponential.build(
            [math.log(2.0) / _checks.positive("control_median", median)]
        )
    assert hazard is not None
    return PiecewiseExponential.build(hazard, times)
