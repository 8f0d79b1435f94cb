"""Scheduling visits from the protocol's assessment rules, and recording them.

Both lock the patient's row first, so scheduling twice at once creates the visits once (the
second call finds them and adds nothing), and a visit recorded twice at once is recorded
once: the second call waits, then finds it done and is refused with a conflict.
"""

from __future__ import annotations

import datetime as dt

from oligotrial.edc.models import Staff, Visit, VisitStatus
from oligotrial.edc.schedule import assessment_due_dates
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import current_actor, require_unlocked, writable_patient
from oligotrial.edc.services.edit_checks import run_edit_checks
from oligotrial.edc.services.kinds import check_visit, randomized_on
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import (
    in_order,
    require_bool,
    require_int,
    require_past_date,
)
from oligotrial.edc.trial_config import current_config
from oligotrial.errors import ConflictError, InputError, StateError

BASELINE_DAYS_BEFORE = 28


@atomic_service
def schedule_visits(
    actor: Staff, screening_number: str, *, horizon_weeks: int = 156
) -> list[Visit]:
    """Create the baseline visit and every assessment due within ``horizon_weeks``
    (those not yet scheduled; a repeated call adds nothing)."""
    actor = current_actor(actor)
    require_unlocked()
    require_int(horizon_weeks, "horizon_weeks")
    patient = writable_patient(actor, screening_number, "scheduling visits")
    start = randomized_on(patient)
    if start is None:
        raise StateError(
            f"patient {screening_number} is not randomized; visits are "
            "scheduled from the randomization date"
        )
    if not 1 <= horizon_weeks <= 520:
        raise InputError("horizon_weeks", "must be between 1 and 520")
    existing = set(patient.visits.values_list("number", flat=True))
    planned = [
        Visit(
            patient=patient,
            number=0,
            kind="baseline",
            due_date=start,
            window_days=BASELINE_DAYS_BEFORE,
        )
    ]
    planned += [
        Visit(
            patient=patient,
            number=d.number,
            kind="assessment",
            due_date=d.due,
            window_days=d.window_days,
        )
        for d in assessment_due_dates(start, current_config().assessments, horizon_weeks)
    ]
    created = []
    for visit in planned:
        if visit.number in existing:
            continue
        visit.save()
        audit.append(
            actor,
            "create",
            visit,
            audit.changes_between(None, audit.snapshot(visit)),
            patient=patient,
        )
        created.append(visit)
    return created


@atomic_service
def record_visit(
    actor: Staff,
    screening_number: str,
    visit_number: int,
    *,
    visit_date: dt.date | str | None,
    missed: bool = False,
) -> Visit:
    """Record a visit as done on ``visit_date``, or as missed (once: a visit already
    recorded, also by a concurrent call, is refused with a conflict)."""
    actor = current_actor(actor)
    require_unlocked()
    require_int(visit_number, "visit_number")
    require_bool(missed, "missed")
    day = None if missed else require_past_date(visit_date, "visit_date")
    patient = writable_patient(actor, screening_number, "recording a visit")
    visit = Visit.objects.select_for_update().filter(patient=patient, number=visit_number).first()
    if visit is None:
        raise InputError("visit_number", f"patient {screening_number} has no visit {visit_number}")
    if visit.status != VisitStatus.SCHEDULED:
        raise ConflictError(
            f"visit {visit_number} of patient {screening_number} is already {visit.status}"
            f"{' on ' + visit.visit_date.isoformat() if visit.visit_date else ''}; "
            "correct it instead"
        )
    before = audit.snapshot(visit)
    if day is None:
        visit.status = VisitStatus.MISSED
    else:
        start = randomized_on(patient)
        assert start is not None  # visits exist only after randomization
        if visit.number == 0:
            earliest = start - dt.timedelta(days=BASELINE_DAYS_BEFORE)
            in_order(earliest, day, "28 days before randomization", "visit_date")
            in_order(day, start, "visit_date", "the randomization date")
        else:
            in_order(start, day, "the randomization date", "visit_date")
        visit.visit_date, visit.status = day, VisitStatus.DONE
        check_visit(visit, patient)  # the checks a correction runs (e.g. not after death)
    visit.save()
    audit.append(
        actor,
        "update",
        visit,
        audit.changes_between(before, audit.snapshot(visit)),
        reason="visit recorded" if not missed else "visit missed",
        patient=patient,
    )
    run_edit_checks(actor, patient, visit)
    return visit
