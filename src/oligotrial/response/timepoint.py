"""Typed results of the response engine: one row per follow-up visit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

TargetResponse = Literal["CR", "PR", "SD", "PD", "NE", "NA"]
NonTargetResponse = Literal["CR", "NON-CR/NON-PD", "PD", "NE", "NA"]
NewLesionResponse = Literal["no", "equivocal", "yes"]
OverallResponse = Literal["CR", "PR", "SD", "NON-CR/NON-PD", "PD", "NE"]

#: Order used to pick the best response (lower is better).
RANK: dict[str, int] = {"CR": 0, "PR": 1, "SD": 2, "NON-CR/NON-PD": 3, "PD": 4, "NE": 5}
ADEQUATE: frozenset[str] = frozenset({"CR", "PR", "SD", "NON-CR/NON-PD", "PD"})


@dataclass(frozen=True)
class TimePoint:
    """The response at one visit, with the numbers and the reason in words.

    ``nadir_mm`` is the nadir the visit is compared with (smallest sum so far, baseline
    included, before this visit). ``backdated`` marks a visit turned into PD because a new
    lesion first seen here as equivocal was confirmed later. ``sum_partial`` marks a
    target PD called from the sum of the assessed targets alone: ``sum_mm`` is then that
    partial sum (``not_assessed`` names the targets left out) and the changes are not given.
    """

    date: dt.date
    day: int
    sum_mm: float | None
    nadir_mm: float | None
    change_from_baseline_pct: float | None
    change_from_nadir_pct: float | None
    change_from_nadir_mm: float | None
    target: TargetResponse
    non_target: NonTargetResponse
    new_lesions: NewLesionResponse
    overall: OverallResponse
    reason: str
    backdated: bool = False
    sum_partial: bool = False
    not_assessed: tuple[str, ...] = ()

    @property
    def adequate(self) -> bool:
        """An evaluable (not NE) time point: counts as an adequate assessment for PFS."""
        return self.overall in ADEQUATE


@dataclass(frozen=True)
class ResponseResult:
    """Every time point of one patient under one set of criteria."""

    criteria: str
    randomization_date: dt.date
    baseline_sum_mm: float | None
    target_ids: tuple[str, ...]
    non_target_ids: tuple[str, ...]
    time_points: tuple[TimePoint, ...]

    @property
    def progression_date(self) -> dt.date | None:
        """Date of the first scan that showed progression (after any back-dating)."""
        return next((tp.date for tp in self.time_points if tp.overall == "PD"), None)
