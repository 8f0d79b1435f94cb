"""Screening (with the eligibility verdicts and the protocol version used) and consent.

Verdicts have the eligibility engine's form: ``{"id", "kind", "status", "missing", "values"}``
with status *met*, *not_met* or *cannot_tell*; a patient is eligible only when every
criterion is decided in favour (REFERENCE.md §1).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from oligotrial.edc.models import Consent, Patient, PatientStatus, Screening, Staff
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import (
    ENTRY_ROLES,
    require_entry,
    require_role,
    require_unlocked,
)
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import clean, in_order, not_future, require_date
from oligotrial.edc.trial_config import SITE_FACTOR, current_config, current_protocol
from oligotrial.errors import InputError, StateError

STATUSES = ("met", "not_met", "cannot_tell")
KINDS = ("inclusion", "exclusion")


def in_favour(verdict: Mapping[str, Any]) -> bool | None:
    """True if the verdict lets the patient in, False if it keeps them out, None: cannot tell.

    An inclusion criterion is in favour when met; an exclusion criterion when not met.
    """
    if verdict["status"] == "cannot_tell":
        return None
    return bool((verdict["status"] == "met") == (verdict["kind"] == "inclusion"))


def _check_verdicts(verdicts: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Validate the verdicts (the eligibility engine's form) against the protocol's criteria."""
    if not verdicts:
        raise InputError("verdicts", "the eligibility verdicts are missing")
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, v in enumerate(verdicts):
        cid, kind, status = str(v.get("id", "")), v.get("kind"), v.get("status")
        if not cid:
            raise InputError(f"verdicts[{i}].id", "criterion id missing")
        if cid in seen:
            raise InputError(f"verdicts[{i}].id", f"criterion {cid} appears twice")
        if kind not in KINDS:
            raise InputError(f"verdicts[{i}].kind", f"{kind!r} is not one of {KINDS}")
        if status not in STATUSES:
            raise InputError(f"verdicts[{i}].status", f"{status!r} is not one of {STATUSES}")
        seen.add(cid)
        entry = {
            "id": cid,
            "kind": kind,
            "status": status,
            "missing": [str(m) for m in v.get("missing", ())],
            "values": json.loads(json.dumps(dict(v.get("values", {})), default=str)),
        }
        entry["in_favour"] = in_favour(entry)
        out.append(entry)
    expected = [c.id for c in current_protocol().criteria]
    absent = [c for c in expected if c not in seen]
    if absent:
        raise InputError("verdicts", f"no verdict for criteria {', '.join(absent)}")
    return out


def _check_strata(values: Mapping[str, str | None]) -> dict[str, str]:
    config = current_config()
    known = {name: levels for name, levels in config.factors if name != SITE_FACTOR}
    out: dict[str, str] = {}
    for name, value in values.items():
        if name not in known:
            raise InputError(
                f"stratification.{name}", f"unknown factor; expected {', '.join(known)}"
            )
        levels = known[name]
        if value in (None, ""):
            continue
        if levels is not None and value not in levels:
            raise InputError(
                f"stratification.{name}", f"{value!r} is not one of {', '.join(levels)}"
            )
        out[name] = str(value)
    return out


@atomic_service
def screen(
    actor: Staff,
    screening_number: str,
    *,
    screened_on: dt.date | str,
    verdicts: Sequence[Mapping[str, Any]],
    stratification: Mapping[str, str | None],
    birth_date: dt.date | str | None = None,
    sex: str = "U",
) -> Screening:
    """Register (or re-screen) a patient at the actor's site with the eligibility verdicts."""
    require_unlocked()
    require_role(actor, ENTRY_ROLES, "screening")
    day = require_date(screened_on, "screened_on")
    not_future(day, "screened_on")
    born = require_date(birth_date, "birth_date") if birth_date is not None else None
    in_order(born, day, "birth_date", "screened_on")
    checked = _check_verdicts(verdicts)
    strata = _check_strata(stratification)
    config = current_config()
    patient = (
        Patient.objects.select_related("site").filter(screening_number=screening_number).first()
    )
    if patient is None:
        patient = Patient(
            site=actor.site,
            screening_number=screening_number,
            birth_date=born,
            sex=sex,
            stratification={},
        )
        clean(patient, "patient")
        patient.save()
        audit.append(
            actor,
            "create",
            patient,
            audit.changes_between(None, audit.snapshot(patient)),
            patient=patient,
        )
    else:
        require_entry(actor, patient, "screening")
        if (
            patient.status != PatientStatus.SCREENING
            and patient.status != PatientStatus.SCREEN_FAILED
        ):
            raise StateError(f"patient {screening_number} is {patient.status}; screening is closed")
    before = audit.snapshot(patient)
    patient.stratification = {**patient.stratification, **strata, SITE_FACTOR: patient.site.code}
    eligible = all(v["in_favour"] is True for v in checked)
    ineligible = any(v["in_favour"] is False for v in checked)
    patient.status = PatientStatus.SCREEN_FAILED if ineligible else PatientStatus.SCREENING
    if born is not None:
        patient.birth_date = born
    patient.save()
    change = audit.changes_between(before, audit.snapshot(patient))
    if change:
        audit.append(actor, "screen", patient, change, patient=patient)
    record = Screening.objects.create(
        patient=patient,
        screened_on=day,
        protocol_id=config.protocol_id,
        protocol_version=config.protocol_version,
        eligible=eligible,
        verdicts=checked,
    )
    audit.append(
        actor,
        "create",
        record,
        audit.changes_between(None, audit.snapshot(record)),
        patient=patient,
    )
    return record


@atomic_service
def record_consent(
    actor: Staff, screening_number: str, *, version: str, signed_on: dt.date | str
) -> Consent:
    """Record the signed informed consent (version, date, who obtained it)."""
    from oligotrial.edc.services.access import writable_patient

    require_unlocked()
    patient = writable_patient(actor, screening_number, "recording consent")
    day = require_date(signed_on, "signed_on")
    not_future(day, "signed_on")
    if patient.birth_date is not None:
        in_order(patient.birth_date, day, "birth_date", "signed_on")
    consent = Consent(patient=patient, version=version.strip(), signed_on=day, obtained_by=actor)
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
