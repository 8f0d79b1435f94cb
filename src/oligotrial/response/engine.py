"""Time-point responses of one patient: RECIST 1.1 (Eisenhauer et al. 2009) or mRECIST.

Overall response (RECIST 1.1 tables 1 and 2): PD if target PD, non-target PD or an
unequivocal new lesion; CR only with target CR, non-target CR (or none) and no new lesion;
target CR with non-target non-CR/non-PD or NE → PR; target PR with non-target not PD → PR;
target SD → SD; targets not all evaluated → NE. With non-target disease only, non-CR/non-PD
replaces SD. A new lesion first reported as equivocal and confirmed later turns the visit
that first showed it as equivocal into PD.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from fractions import Fraction

from oligotrial.response.checks import check_baseline, check_visits
from oligotrial.response.inputs import Assessment, BaselineLesion, TumourRecord
from oligotrial.response.nontargets import read_new_lesions, read_non_targets
from oligotrial.response.settings import Criteria, ResponseSettings
from oligotrial.response.targets import baseline_size, read_targets
from oligotrial.response.timepoint import (
    NewLesionResponse,
    NonTargetResponse,
    OverallResponse,
    ResponseResult,
    TargetResponse,
    TimePoint,
)


def evaluate(
    record: TumourRecord, settings: ResponseSettings | None = None, criteria: Criteria | None = None
) -> ResponseResult:
    """Every time point of one patient; raises InputError (naming lesion and visit) on bad input."""
    settings = settings or ResponseSettings()
    crit: Criteria = criteria or settings.criteria
    check_baseline(record, crit, settings)
    visits = check_visits(record, crit)
    targets = [les for les in record.baseline if les.role == "target"]
    non_targets = [les for les in record.baseline if les.role == "non-target"]
    baseline_sum = sum((baseline_size(t, crit) for t in targets), Fraction(0))
    nadir = baseline_sum
    points: list[TimePoint] = []
    first_seen: dict[str, int] = {}
    for visit in visits:
        for new in visit.new_lesions:
            if new.status == "equivocal":
                first_seen.setdefault(new.id, len(points))
        point, full_sum = _time_point(
            record.randomization_date,
            visit,
            targets,
            non_targets,
            baseline_sum,
            nadir,
            crit,
            settings,
        )
        if full_sum is not None:
            nadir = min(nadir, full_sum)
        points.append(point)
        _date_back(points, visit, first_seen, crit)
    return ResponseResult(
        criteria=crit,
        randomization_date=record.randomization_date,
        baseline_sum_mm=float(baseline_sum) if targets else None,
        target_ids=tuple(t.id for t in targets),
        non_target_ids=tuple(n.id for n in non_targets),
        time_points=tuple(points),
    )


def _time_point(
    randomized: dt.date,
    visit: Assessment,
    targets: list[BaselineLesion],
    non_targets: list[BaselineLesion],
    baseline_sum: Fraction,
    nadir: Fraction,
    criteria: Criteria,
    settings: ResponseSettings,
) -> tuple[TimePoint, Fraction | None]:
    nt_response, nt_reason = read_non_targets(non_targets, {n.lesion: n for n in visit.non_targets})
    new_response, _, new_reason = read_new_lesions(visit.new_lesions, criteria)
    day = (visit.date - randomized).days
    if not targets:
        overall, why = _overall_non_target_only(nt_response, nt_reason, new_response, new_reason)
        tp = TimePoint(
            visit.date,
            day,
            None,
            None,
            None,
            None,
            None,
            "NA",
            nt_response,
            new_response,
            overall,
            f"{overall}: {why}",
        )
        return tp, None
    read = read_targets(
        targets,
        {t.lesion: t for t in visit.targets},
        baseline_sum=baseline_sum,
        nadir=nadir,
        criteria=criteria,
        settings=settings,
    )
    overall, why = _overall(
        read.response, read.reason, nt_response, nt_reason, new_response, new_reason
    )
    current = None if read.partial else read.sum_mm  # a partial sum is never a nadir
    tp = TimePoint(
        date=visit.date,
        day=day,
        sum_mm=None if read.sum_mm is None else float(read.sum_mm),
        nadir_mm=float(nadir),
        change_from_baseline_pct=None
        if current is None
        else float((current - baseline_sum) / baseline_sum * 100),
        change_from_nadir_pct=None
        if current is None or nadir == 0
        else float((current - nadir) / nadir * 100),
        change_from_nadir_mm=None if current is None else float(current - nadir),
        target=read.response,
        non_target=nt_response,
        new_lesions=new_response,
        overall=overall,
        reason=f"{overall}: {why}",
        sum_partial=read.partial,
        not_assessed=read.missing,
    )
    return tp, current


def _overall(
    target: TargetResponse,
    t_reason: str,
    nt: NonTargetResponse,
    nt_reason: str,
    new: NewLesionResponse,
    new_reason: str,
) -> tuple[OverallResponse, str]:
    causes = [
        r
        for hit, r in (
            (target == "PD", t_reason),
            (nt == "PD", nt_reason),
            (new == "yes", new_reason),
        )
        if hit
    ]
    if causes:
        return "PD", "; ".join(causes)
    note = "" if new == "no" else f"; {new_reason}"
    if target == "CR":
        if nt in ("CR", "NA"):
            return "CR", f"{t_reason}; {nt_reason}{note}"
        return "PR", f"targets CR but {nt_reason}{note}"
    if target == "PR":
        return "PR", f"{t_reason}; {nt_reason}{note}"
    if target == "SD":
        return "SD", f"{t_reason}; {nt_reason}{note}"
    return "NE", f"{t_reason}{note}"


def _overall_non_target_only(
    nt: NonTargetResponse, nt_reason: str, new: NewLesionResponse, new_reason: str
) -> tuple[OverallResponse, str]:
    if nt == "PD":
        return "PD", nt_reason
    if new == "yes":
        return "PD", new_reason
    note = "" if new == "no" else f"; {new_reason}"
    if nt == "CR":
        return "CR", f"{nt_reason} (non-target disease only){note}"
    if nt == "NON-CR/NON-PD":
        return "NON-CR/NON-PD", f"{nt_reason} (non-target disease only){note}"
    return "NE", f"{nt_reason}{note}"


def _date_back(
    points: list[TimePoint], visit: Assessment, first_seen: dict[str, int], criteria: Criteria
) -> None:
    """Turn the visit that first showed a now-confirmed new lesion into PD."""
    _, confirmed, _ = read_new_lesions(visit.new_lesions, criteria)
    for lesion_id in confirmed:
        index = first_seen.get(lesion_id, len(points) - 1)
        if index == len(points) - 1 or points[index].overall == "PD":
            continue
        earlier = points[index]
        points[index] = replace(
            earlier,
            overall="PD",
            new_lesions="yes",
            backdated=True,
            reason=(
                f"PD: new lesion {lesion_id} first seen here as equivocal, "
                f"confirmed on {visit.date.isoformat()} "
                f"(was {earlier.reason})"
            ),
        )
