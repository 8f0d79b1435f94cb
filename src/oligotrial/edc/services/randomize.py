"""Randomizing a patient: the next slot of the patient's stratum, claimed under a lock.

Locks, always in this order: the patient row (a repeated request waits, then finds the
allocation already made and returns it); for permuted blocks the stratum's cursor row (one
randomization per stratum at a time), the slot then claimed with a conditional ``UPDATE ...
WHERE patient IS NULL`` so a slot can never be given twice even if the locks were bypassed;
last the allocation list row, taken by the increment that draws the trial-wide
randomization number, then the audit chain head: both are held only for the last few
statements before the commit, so randomizations in different strata do not wait for each
other's checks. Minimization needs the trial-wide counts, so there the list row is locked
before the arm is chosen. On SQLite the whole transaction runs under ``BEGIN IMMEDIATE``
(one writer at a time).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import OuterRef, Subquery

from oligotrial.edc.models import (
    Allocation,
    AllocationList,
    AllocationSlot,
    Patient,
    PatientStatus,
    Staff,
    StratumCursor,
)
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import (
    ENTRY_ROLES,
    current_actor,
    no_such_patient,
    readable_patient,
    require_role,
    require_unlocked,
)
from oligotrial.edc.services.allocation_list import active_list
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import require_past_date, require_text
from oligotrial.edc.trial_config import SITE_FACTOR
from oligotrial.errors import StateError
from oligotrial.randomization import (
    Factor,
    MinimizationSettings,
    add_to_counts,
    allocation_rng,
    minimize,
    stratum_key,
)


@dataclass(frozen=True)
class AllocationResult:
    """What the site sees: the arm and randomization number of this patient (open-label)."""

    screening_number: str
    randomization_number: str
    arm: str
    randomized_on: dt.date
    already_randomized: bool


def _result(allocation: Allocation, repeated: bool) -> AllocationResult:
    return AllocationResult(
        allocation.patient.screening_number,
        allocation.randomization_number,
        allocation.arm,
        allocation.randomized_on,
        repeated,
    )


def missing_requirements(patient: Patient, factors: tuple[Factor, ...], on: dt.date) -> list[str]:
    """Every reason the patient cannot be randomized on ``on``, in words."""
    missing: list[str] = []
    consent = patient.consents.filter(withdrawn_on__isnull=True).order_by("-signed_on").first()
    if consent is None:
        missing.append("no signed informed consent is recorded")
    elif consent.signed_on > on:
        missing.append(f"consent is dated {consent.signed_on}, after the randomization date")
    screening = patient.screenings.order_by("-evaluated_at", "-id").first()
    if screening is None:
        missing.append("no screening (eligibility evaluation) is recorded")
    elif not screening.eligible:
        against = [v["id"] for v in screening.verdicts if v["in_favour"] is False]
        unknown = [
            f"{v['id']} (missing {', '.join(v['missing']) or 'data'})"
            for v in screening.verdicts
            if v["in_favour"] is None
        ]
        parts = []
        if against:
            parts.append("not eligible by " + ", ".join(against))
        if unknown:
            parts.append("cannot tell " + "; ".join(unknown))
        missing.append("the latest screening is " + "; ".join(parts))
    elif screening.screened_on > on:
        missing.append("the screening is dated after the randomization date")
    for f in factors:
        if patient.stratification.get(f.name) in (None, ""):
            missing.append(f"stratification factor {f.name} is not recorded")
    return missing


def _locked_patient(actor: Staff, screening_number: str) -> Patient:
    """The patient of ``actor``'s site, row locked (one statement).

    Another site's patient reads exactly as an unknown one, and is not locked. Only the site
    (which does not change) is joined to the locking read: after waiting for the lock,
    PostgreSQL returns the patient row as committed but joined rows as they were when the
    statement began, so the allocation is read on its own."""
    require_role(actor, ENTRY_ROLES, "randomizing")
    number = require_text(screening_number, "screening_number", max_length=32)
    patient = (
        Patient.objects.select_for_update(no_key=True, of=("self",))
        .select_related("site")
        .filter(screening_number=number, site=actor.site)
        .first()
    )
    if patient is None:
        raise no_such_patient(screening_number)
    return patient


@atomic_service
def randomize(
    actor: Staff, screening_number: str, *, randomized_on: dt.date | str
) -> AllocationResult:
    """Allocate the patient (idempotent: a repeated request returns the same allocation)."""
    actor = current_actor(actor)
    patient = _locked_patient(actor, screening_number)
    if patient.status != PatientStatus.SCREENING:  # randomized once (the status says so)
        existing = Allocation.objects.select_related("patient").filter(patient=patient).first()
        if existing is not None:  # a repeated request: the allocation already made
            return _result(existing, True)
    require_unlocked()
    day = require_past_date(randomized_on, "randomized_on")
    if patient.status != PatientStatus.SCREENING:
        raise StateError(
            f"patient {screening_number} cannot be randomized: status is {patient.status}"
        )
    current = active_list()
    factors = tuple(Factor(name, tuple(levels)) for name, levels in current.factors)
    missing = missing_requirements(patient, factors, day)
    if missing:
        raise StateError(f"patient {screening_number} cannot be randomized: " + "; ".join(missing))
    for f in factors:
        if f.name == SITE_FACTOR and patient.site.code not in f.levels:
            raise StateError(
                f"site {patient.site.code} opened after the allocation list was generated; "
                "a statistician must extend the list for new sites first"
            )
    stratum = stratum_key(factors, patient.stratification)
    if current.method == "permuted_blocks":
        slot_id, arm = _claim_slot(current, stratum, patient)
    else:
        # held to commit: the minimization counts are trial-wide
        record = AllocationList.objects.select_for_update().get(pk=current.pk)
        slot_id, arm = None, _minimized_arm(record, factors, patient)
    allocation = Allocation.objects.create(
        patient=patient,
        allocation_list=current,
        slot_id=slot_id,
        arm=arm,
        stratum=stratum,
        randomization_number=f"R{_next_number(current):04d}",
        randomized_on=day,
        randomized_by=actor,
    )
    before = audit.snapshot(patient)
    patient.status = PatientStatus.RANDOMIZED
    patient.randomization_number = allocation.randomization_number
    patient.save(update_fields=["status", "randomization_number"])
    audit.append(
        actor,
        "randomize",
        allocation,
        audit.changes_between(None, audit.snapshot(allocation)),
        patient=patient,
    )
    audit.append(
        actor,
        "randomize",
        patient,
        audit.changes_between(before, audit.snapshot(patient)),
        patient=patient,
    )
    return _result(allocation, False)


def _next_number(record: AllocationList) -> int:
    """The next trial-wide randomization number: the list row's counter, incremented (the
    row stays locked to the commit, so numbers are consecutive and never given twice)."""
    table = AllocationList._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" SET "allocated" = "allocated" + 1 WHERE "id" = %s '
            'RETURNING "allocated"',
            [record.pk],
        )
        row = cursor.fetchone()
    if row is None:
        raise StateError("the allocation list disappeared; contact the trial statistician")
    return int(row[0])


def _claim_slot(record: AllocationList, stratum: str, patient: Patient) -> tuple[int, str]:
    """(slot id, arm) of the stratum's next position, claimed for ``patient``.

    The cursor row is locked to the commit (the next randomization of this stratum waits);
    the slot at its position is read in the same statement (position and arm never change)
    and claimed only if still free."""
    position = AllocationSlot.objects.filter(
        allocation_list=record, stratum=stratum, sequence=OuterRef("next_sequence")
    )
    cursor = (
        StratumCursor.objects.select_for_update(of=("self",))
        .filter(allocation_list=record, stratum=stratum)
        .annotate(
            slot_id=Subquery(position.values("id")[:1]),
            slot_arm=Subquery(position.values("arm")[:1]),
        )
        .first()
    )
    if cursor is None:
        raise StateError(
            f"the allocation list has no stratum {stratum}; "
            "was the site added after the list was generated?"
        )
    slot_id: int | None = cursor.slot_id
    claimed = 0
    if slot_id is not None:
        claimed = AllocationSlot.objects.filter(pk=slot_id, patient__isnull=True).update(
            patient=patient
        )
    if slot_id is None or claimed != 1:
        raise StateError(
            f"the allocation list is exhausted for stratum {stratum} "
            f"(position {cursor.next_sequence}); contact the trial statistician"
        )
    cursor.next_sequence += 1
    cursor.save(update_fields=["next_sequence"])
    return slot_id, str(cursor.slot_arm)


def _minimized_arm(record: AllocationList, factors: tuple[Factor, ...], patient: Patient) -> str:
    counts: dict[str, dict[str, dict[str, int]]] = {}
    for strata, arm in record.allocation_set.values_list("patient__stratification", "arm"):
        add_to_counts(counts, {f.name: strata[f.name] for f in factors}, arm)
    settings = MinimizationSettings(tuple(record.arms), factors, p_best=record.p_best)
    rng = allocation_rng(int(record.seed), record.allocated + 1)  # the number it will get
    return minimize(
        settings, counts, {f.name: patient.stratification[f.name] for f in factors}, rng
    ).arm


def allocation_of(actor: Staff, screening_number: str) -> AllocationResult | None:
    """The patient's allocation once made (site users see only their own patients)."""
    patient = readable_patient(actor, screening_number)
    allocation = Allocation.objects.select_related("patient").filter(patient=patient).first()
    return _result(allocation, True) if allocation else None
