"""Does the protocol's stated design hold together? (``oligotrial design check``)

Recomputes events and subjects from the protocol's design assumptions (REFERENCE §1:
Schoenfeld events, Lan-DeMets spending at the stated information fractions, subjects from
the event probability under uniform accrual, minimum follow-up and exponential dropout,
as rpact's ``getSampleSizeSurvival``) and compares them with the planned numbers: the
planned events must reach the required (rounded-up) events, the planned subjects must be
at least the required subjects; it also reports the power the planned events give and
the follow-up the planned subjects need to reach them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from oligotrial.design.boundaries import GroupSequentialDesign, group_sequential_design
from oligotrial.design.recursive_integration import crossing_probabilities
from oligotrial.design.sample_size import SurvivalSampleSize, sample_size_survival
from oligotrial.errors import InputError


class DesignAssumptionsLike(Protocol):
    """The protocol's ``design`` section (``oligotrial.protocol.DesignAssumptions``)."""

    @property
    def control_median_months(self) -> float: ...
    @property
    def hazard_ratio(self) -> float: ...
    @property
    def alpha(self) -> float: ...
    @property
    def sides(self) -> int: ...
    @property
    def power(self) -> float: ...
    @property
    def accrual_months(self) -> float: ...
    @property
    def follow_up_months(self) -> float: ...
    @property
    def dropout_per_year(self) -> float: ...
    @property
    def planned_subjects(self) -> int: ...
    @property
    def planned_events(self) -> int: ...
    @property
    def interim_information(self) -> tuple[float, ...]: ...
    @property
    def spending(self) -> str: ...


@dataclass(frozen=True)
class DesignCheck:
    """Required versus planned numbers, and the verdicts."""

    required: SurvivalSampleSize
    planned_subjects: int
    planned_events: int
    power_at_planned_events: float
    follow_up_needed_with_planned_subjects: float | None
    events_consistent: bool
    subjects_consistent: bool
    messages: tuple[str, ...]

    @property
    def consistent(self) -> bool:
        return self.events_consistent and self.subjects_consistent


def _design(a: DesignAssumptionsLike) -> GroupSequentialDesign:
    info = tuple(a.interim_information)
    if a.spending == "none" or len(info) == 1:
        info = (1.0,)
    spending = "obrien-fleming" if a.spending == "none" else a.spending
    return group_sequential_design(spending, info, a.alpha, a.sides, a.power)


def power_at_events(
    design: GroupSequentialDesign, events: float, hazard_ratio: float, allocation_ratio: float = 1.0
) -> float:
    """Power of the design's bounds when the final analysis has ``events`` events."""
    r = allocation_ratio
    drift = -math.log(hazard_ratio) * math.sqrt(r * events) / (1 + r)
    t = np.array(design.information)
    z = np.array(design.z)
    lower = -z if design.sides == 2 else np.full(t.size, -np.inf)
    return float(crossing_probabilities(z, lower, t, drift=abs(drift)).upper.sum())


def check_design(a: DesignAssumptionsLike) -> DesignCheck:
    """Recompute the design from the assumptions and judge the planned numbers."""
    design = _design(a)
    req = sample_size_survival(
        hazard_ratio=a.hazard_ratio,
        control_median=a.control_median_months,
        alpha=a.alpha,
        sides=a.sides,
        power=a.power,
        accrual=a.accrual_months,
        follow_up=a.follow_up_months,
        dropout_rate=a.dropout_per_year,
        design=design,
    )
    events_ok = a.planned_events >= req.events_rounded
    subjects_ok = a.planned_subjects >= req.subjects
    follow_up: float | None = None
    try:
        fu = sample_size_survival(
            hazard_ratio=a.hazard_ratio,
            control_median=a.control_median_months,
            alpha=a.alpha,
            sides=a.sides,
            power=a.power,
            accrual=a.accrual_months,
            subjects=a.planned_subjects,
            dropout_rate=a.dropout_per_year,
            design=design,
        )
        follow_up = fu.follow_up_months
    except InputError:
        follow_up = None
    pw = power_at_events(design, a.planned_events, a.hazard_ratio)
    msgs = [
        f"required events {req.events:.2f} (round up to {req.events_rounded}); "
        f"planned {a.planned_events}: " + ("consistent" if events_ok else "TOO FEW"),
        f"required subjects {req.subjects:.2f} (round up to {req.subjects_rounded}); "
        f"planned {a.planned_subjects}: " + ("consistent" if subjects_ok else "TOO FEW"),
        f"power with {a.planned_events} events: {pw:.4f} (target {a.power})",
    ]
    if follow_up is not None:
        msgs.append(
            f"with {a.planned_subjects} subjects the planned events are reached "
            f"{follow_up:.2f} months after accrual ends (stated minimum follow-up "
            f"{a.follow_up_months:g})"
        )
    else:
        msgs.append(
            f"{a.planned_subjects} subjects cannot reach {req.events:.1f} events "
            "under these assumptions"
        )
    return DesignCheck(
        required=req,
        planned_subjects=a.planned_subjects,
        planned_events=a.planned_events,
        power_at_planned_events=pw,
        follow_up_needed_with_planned_subjects=follow_up,
        events_consistent=events_ok,
        subjects_consistent=subjects_ok,
        messages=tuple(msgs),
    )
