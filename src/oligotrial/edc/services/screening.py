"""Screening a patient from the screening record, and consent.

``screen`` takes the screening record only: the record is validated, stored as a new
version, and every verdict, fact and stratum is derived from it by the one eligibility
engine (:mod:`.screening_engine`); nothing derived is accepted from the caller. A patient is
eligible only when every criterion is decided in favour (REFERENCE.md §1). The patient row
is locked for the whole call (:mod:`.screening_state`); a randomized patient cannot be
screened again (correct the record instead: :mod:`.screening_corrections`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from oligotrial.edc.models import Consent, Screening, Staff
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import ENTRY_ROLES, require_role, require_unlocked
from oligotrial.edc.services.screening_engine import evaluate_record, store_version
from oligotrial.edc.services.screening_state import (
    OPEN_STATUSES,
    apply_evaluation,
    lock_or_create,
)
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import (
    clean,
    require_date,
    require_text,
)
from oligotrial.eligibility.record import ScreeningRecord
from oligotrial.errors import StateError


@atomic_service
def screen(actor: Staff, record: Mapping[str, Any] | ScreeningRecord) -> Screening:
    """Screen (or re-screen) the record's patient at the actor's site; returns the stored
    record version with the engine's verdicts."""
    require_unlocked()
    require_role(actor, ENTRY_ROLES, "screening")
    evaluation = evaluate_record(record)  # nothing is written for a bad record
    number = evaluation.record.patient_id
    patient = lock_or_create(actor, number, evaluation)
    if patient.status not in OPEN_STATUSES:
        raise StateError(
            f"patient {number} is {patient.status}; screening is closed "
            "(correct the stored record instead)"
        )
    screening = store_version(actor, patient, evaluation, origin="screen")
    apply_evaluation(actor, patient, evaluation, screening)
    return screening


@atomic_service
def record_consent(
    actor: Staff, screening_number: str, *, version: str, signed_on: dt.date | str
) -> Consent:
    """Record the signed informed consent (version, date, who obtained it)."""
    from oligotrial.edc.services.access import writable_patient
    from oligotrial.edc.services.kinds import check_consent

    require_unlocked()
    patient = writable_patient(actor, screening_number, "recording consent")
    day = require_date(signed_on, "signed_on")
    version = require_text(version, "version", max_length=32, blank=False)
    consent = Consent(patient=patient, version=version, signed_on=day, obtained_by=actor)
    check_consent(consent, patient)  # the same checks as a correction of the consent
    clean(consent, "consent")
    consent.save()
    audit.append(
        actor,
        "create",
        consent,
        audit.changes_between(None, audit.snapshot(consent)),
        patient=patient,
    )
    return consent
