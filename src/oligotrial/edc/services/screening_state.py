"""The patient row under screening: locked while a record version is stored, and updated
field by field from what the engine derived.

Every screening and correction locks the patient row first (``SELECT ... FOR UPDATE``;
SQLite's ``BEGIN IMMEDIATE`` already serialises writers), the same row randomization
locks, so a re-screening cannot interleave with a randomization: whichever comes second
sees the other's result. Only the fields the record decides are written (``update_fields``),
never the whole row. Before randomization the status (screen failure or in screening) and
the strata follow the newest record version; after it they are never rewritten, and a
change queries the data manager instead (:mod:`.screening_queries`).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from oligotrial.edc.models import Patient, PatientStatus, Screening, Staff
from oligotrial.edc.services import audit
from oligotrial.edc.services.screening_engine import Evaluation, demographics
from oligotrial.edc.services.screening_queries import review_after_randomization
from oligotrial.edc.services.validation import clean
from oligotrial.edc.trial_config import SITE_FACTOR
from oligotrial.errors import InputError

OPEN_STATUSES = frozenset({PatientStatus.SCREENING, PatientStatus.SCREEN_FAILED})


def _no_such_patient(number: str) -> InputError:
    return InputError("patient", f"no patient {number!r} at your site(s)")


def _lock(number: str) -> Patient | None:
    return (
        Patient.objects.select_for_update(of=("self",))
        .select_related("site")
        .filter(screening_number=number)
        .first()
    )


def locked_patient(actor: Staff, number: str) -> Patient:
    """The patient, row locked to the end of the transaction; another site's patient reads
    exactly as an unknown one."""
    patient = _lock(number)
    if patient is None or patient.site_id != actor.site_id:
        raise _no_such_patient(number)
    return patient


def lock_or_create(actor: Staff, number: str, evaluation: Evaluation) -> Patient:
    """The patient at ``actor``'s site, locked; registered (audited) when new.

    Two first screenings of one number at once: the second insert fails on the unique
    number once the first commits, and that patient is then locked and used."""
    patient = _lock(number)
    if patient is None:
        patient = Patient(
            site=actor.site,
            screening_number=number,
            stratification={},
            **demographics(evaluation.record),
        )
        clean(patient, "patient")
        try:
            with transaction.atomic():
                patient.save()
        except IntegrityError:
            patient = _lock(number)
            if patient is None:
                raise
        else:
            audit.append(
                actor,
                "create",
                patient,
                audit.changes_between(None, audit.snapshot(patient)),
                patient=patient,
            )
    if patient.site_id != actor.site_id:
        raise _no_such_patient(number)
    return patient


def strata_of(patient: Patient, evaluation: Evaluation) -> dict[str, str]:
    """The patient's stratification from the record (unknown factors left out)."""
    known = {name: level for name, level in evaluation.strata.items() if level is not None}
    return {**known, SITE_FACTOR: patient.site.code}


def apply_evaluation(
    actor: Staff,
    patient: Patient,
    evaluation: Evaluation,
    screening: Screening,
    *,
    reason: str = "",
) -> None:
    """Bring the (locked) patient row in line with the newest record version."""
    before = audit.snapshot(patient)
    fields = demographics(evaluation.record)
    if patient.status in OPEN_STATUSES:
        fields["status"] = (
            PatientStatus.SCREEN_FAILED
            if evaluation.overall == "ineligible"
            else PatientStatus.SCREENING
        )
        fields["stratification"] = strata_of(patient, evaluation)
    changed = [name for name, value in fields.items() if getattr(patient, name) != value]
    for name in changed:
        setattr(patient, name, fields[name])
    if changed:
        patient.save(update_fields=changed)
        change = audit.changes_between(before, audit.snapshot(patient))
        action = "update" if reason else "screen"
        audit.append(actor, action, patient, change, reason=reason, patient=patient)
    if patient.status not in OPEN_STATUSES and hasattr(patient, "allocation"):
        review_after_randomization(actor, patient, screening)
