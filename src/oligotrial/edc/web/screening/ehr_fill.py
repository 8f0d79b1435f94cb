"""Fill a screening draft's blank fields from the patient's FHIR Bundle (the EHR).

One path for the screening page's button and the API call: the Bundle is read by
:func:`oligotrial.interop.fhir.bundle.read_bundle` (the pre-screening's mapping, reading
rules and fhir.resources validation); its partial record becomes form fields; only fields
still blank in the draft (or in the record in force, when there is no draft) are filled,
so what the coordinator typed is never replaced; the draft is saved through the one draft
service (audited) with the resources behind each field filled, which the page shows after
every reload while those fields hold what was filled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from oligotrial.edc.models import Staff
from oligotrial.edc.services import screening_drafts
from oligotrial.edc.services.screening_engine import latest_screening
from oligotrial.edc.web.screening.form_values import form_values
from oligotrial.edc.web.screening.views import _existing
from oligotrial.interop.fhir.bundle import read_bundle

_NOT_FROM_EHR = ("patient_id", "site", "screening_date")


@dataclass(frozen=True)
class EhrFill:
    """What a Bundle filled: form fields, their resources by record path, entries not used."""

    screening_number: str
    filled: dict[str, str]
    sources: dict[str, dict[str, Any]]  # record path -> {"resources": [...], "filled": {...}}
    not_used: list[str]


def current_values(staff: Staff, number: str) -> dict[str, str]:
    """The draft's fields, or the record in force as fields (404 for another site's)."""
    patient, draft = _existing(staff, number)
    if draft is not None:
        return draft
    latest = latest_screening(patient) if patient is not None else None
    values = form_values(latest.record or {}) if latest is not None else {}
    values.pop("site", None)
    return values


def _of(path: str, key: str) -> bool:
    return key == path or key.startswith(path + ".")


def fill_from_bundle(staff: Staff, number: str, bundle: bytes | str, today: dt.date) -> EhrFill:
    """Fill the blank fields of ``number``'s draft from ``bundle``; raise InputError (and
    write nothing) if it is not one patient's FHIR Bundle."""
    values = current_values(staff, number)
    found = read_bundle(bundle, number, today)
    from_ehr = form_values(found.record)
    for key in _NOT_FROM_EHR:
        from_ehr.pop(key, None)
    filled = {k: v for k, v in from_ehr.items() if not values.get(k, "").strip()}
    sources = {
        path: {"resources": refs, "filled": {k: v for k, v in filled.items() if _of(path, k)}}
        for path, refs in sorted(found.sources.items())
        if any(_of(path, k) for k in filled)
    }
    values.setdefault("patient_id", number)
    screening_drafts.save_draft(staff, number, {**values, **filled}, sources)
    return EhrFill(number, filled, sources, list(found.problems))
