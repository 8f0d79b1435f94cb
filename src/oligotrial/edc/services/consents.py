"""Consent entered from a form: a repeated submission records nothing twice.

The patient row is locked (as every change of the patient's data does) before the consents
are read, so two submissions of one form queue; the second finds the consent the first
recorded (same version and date, not withdrawn) and returns it. Recording itself is
:func:`record_consent`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from oligotrial.edc.models import Consent, Staff
from oligotrial.edc.services.access import current_actor, require_unlocked, writable_patient
from oligotrial.edc.services.screening import record_consent
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import require_date, require_text


@dataclass(frozen=True)
class ConsentRecorded:
    consent: Consent
    repeated: bool


@atomic_service
def record_consent_once(
    actor: Staff, screening_number: str, *, version: str, signed_on: dt.date | str
) -> ConsentRecorded:
    """Record the consent unless the same one (version, date) is already recorded."""
    actor = current_actor(actor)
    require_unlocked()
    patient = writable_patient(actor, screening_number, "recording consent")
    day = require_date(signed_on, "signed_on")
    text = require_text(version, "version", max_length=32, blank=False).strip()
    same = patient.consents.filter(version=text, signed_on=day, withdrawn_on__isnull=True).first()
    if same is not None:
        return ConsentRecorded(same, True)
    return ConsentRecorded(
        record_consent(actor, screening_number, version=text, signed_on=day), False
    )
