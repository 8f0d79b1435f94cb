"""Entering clinical records: labs, lesions and measurements, RT, exposure, AEs, samples,
new anticancer therapy, death, withdrawal. One transaction each; nothing written on error."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models

from oligotrial.edc.models import (
    Exposure,
    Lesion,
    LesionMeasurement,
    Patient,
    PatientStatus,
    Staff,
    Visit,
)
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import current_actor, require_unlocked, writable_patient
from oligotrial.edc.services.edit_checks import run_edit_checks
from oligotrial.edc.services.kinds import Kind, kind_of
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import (
    clean,
    field_value,
    require_int,
    require_number,
    require_past_date,
    require_text,
    require_unique,
)
from oligotrial.edc.services.verification import unverify_changed
from oligotrial.errors import InputError, StateError


def _values(kind: Kind, values: object, links: dict[str, Any]) -> dict[str, Any]:
    """The values, each checked against its field's type; every required field present."""
    if not isinstance(values, dict):
        raise InputError(kind.name, "the values are required as a mapping of field to value")
    fields = {f.name: f for f in kind.model._meta.concrete_fields}
    allowed = {
        name
        for name, f in fields.items()
        if name not in kind.fixed and name not in links and not f.is_relation
    }
    checked: dict[str, Any] = {}
    for name, value in values.items():
        if name not in allowed:
            shown = name if isinstance(name, str) else repr(name)
            hint = (
                "give it by lesion_code / visit_number"
                if name in fields and fields[name].is_relation
                else f"fields: {', '.join(sorted(allowed))}"
            )
            raise InputError(f"{kind.name}.{shown}", f"not a field to enter here; {hint}")
        checked[name] = field_value(fields[name], value, f"{kind.name}.{name}")
    for name in sorted(allowed - set(checked)):
        f = fields[name]
        if not f.blank and not f.has_default():
            raise InputError(f"{kind.name}.{name}", "is required")
    return checked


def _links(
    kind: Kind, patient: Patient, visit_number: object, lesion_code: object
) -> dict[str, Any]:
    """The records a new record refers to, each looked up within the patient."""
    names = {f.name for f in kind.model._meta.concrete_fields}
    links: dict[str, Any] = {}
    if kind.model is LesionMeasurement:
        return {"lesion": _lesion(patient, lesion_code), "visit": _visit(patient, visit_number)}
    links["patient"] = patient
    if visit_number is not None:
        if "visit" not in names:
            raise InputError("visit_number", f"a {kind.name} is not recorded at a visit")
        links["visit"] = _visit(patient, visit_number)
    if lesion_code is not None:
        if "lesion" not in names:
            raise InputError("lesion_code", f"a {kind.name} does not refer to a lesion")
        links["lesion"] = _lesion(patient, lesion_code)
    return links


@atomic_service
def record(
    actor: Staff,
    screening_number: str,
    kind_name: str,
    values: dict[str, Any],
    *,
    visit_number: int | None = None,
    lesion_code: str | None = None,
) -> models.Model:
    """Enter one record of ``kind_name`` for a patient; returns the saved record.

    Records it refers to are named within the patient (``visit_number``, ``lesion_code``:
    a lesion of an RT course or a measurement), never passed in as objects."""
    actor = current_actor(actor)
    require_unlocked()
    kind = kind_of(kind_name)
    if kind.name == "visit":
        raise InputError("kind", "visits are scheduled from the randomization date, not entered")
    if kind.name == "consent":
        raise InputError("kind", "consent is recorded with its own form (record_consent)")
    patient = writable_patient(actor, screening_number, f"entering a {kind_name}")
    if patient.status == PatientStatus.SCREEN_FAILED and kind_name != "withdrawal":
        raise StateError(f"patient {screening_number} failed screening; no data can be entered")
    links = _links(kind, patient, visit_number, lesion_code)
    instance = kind.model(**_values(kind, values, links), **links)
    kind.check(instance, patient)
    clean(instance, kind_name)
    require_unique(instance, kind_name)
    instance.save()
    audit.append(
        actor,
        "create",
        instance,
        audit.changes_between(None, audit.snapshot(instance)),
        patient=patient,
    )
    _after_record(actor, patient, kind_name, instance)
    run_edit_checks(actor, patient, instance)
    return instance


def _lesion(patient: Patient, code: object) -> Lesion:
    if code is None:
        raise InputError("lesion_code", "the lesion code is required")
    require_text(code, "lesion_code", max_length=16)
    lesion = Lesion.objects.filter(patient=patient, code=code).first()
    if lesion is None:
        raise InputError(
            "lesion_code",
            f"patient {patient.screening_number} has no lesion {code!r}; record the lesion first",
        )
    return lesion


def _visit(patient: Patient, number: object) -> Visit:
    if number is None:
        raise InputError("visit_number", "the visit number is required")
    visit = Visit.objects.filter(
        patient=patient, number=require_int(number, "visit_number")
    ).first()
    if visit is None:
        raise InputError(
            "visit_number",
            f"patient {patient.screening_number} has no visit "
            f"{number}; schedule visits after randomization",
        )
    return visit


def _after_record(actor: Staff, patient: Patient, kind_name: str, instance: Any) -> None:
    """Status changes that follow from a death or a withdrawal."""
    new_status = {"death": PatientStatus.DIED}.get(kind_name)
    if kind_name == "withdrawal":
        new_status = PatientStatus.LOST if instance.kind == "lost" else PatientStatus.WITHDRAWN
    if new_status is None:
        return
    before = audit.snapshot(patient)
    patient.status = new_status
    patient.save(update_fields=["status"])
    audit.append(
        actor,
        "status",
        patient,
        audit.changes_between(before, audit.snapshot(patient)),
        patient=patient,
    )


@atomic_service
def change_dose(
    actor: Staff, screening_number: str, exposure_id: int, *, new_dose: float, on: Any, reason: str
) -> models.Model:
    """Close the current exposure period the day before ``on`` and open one at the new dose."""
    actor = current_actor(actor)
    require_unlocked()
    require_int(exposure_id, "exposure_id")
    require_number(new_dose, "new_dose")
    reason = require_text(reason, "reason", max_length=180, blank=False)
    day = require_past_date(on, "on")
    patient = writable_patient(actor, screening_number, "changing a dose")
    current = Exposure.objects.select_for_update().filter(pk=exposure_id, patient=patient).first()
    if current is None:
        raise InputError("exposure_id", f"patient {screening_number} has no exposure {exposure_id}")
    if current.stop_date is not None:
        raise StateError(f"exposure {exposure_id} already stopped on {current.stop_date}")
    if day <= current.start_date:
        raise InputError("on", f"{day} is not after the period's start {current.start_date}")
    before = audit.snapshot(current)
    current.stop_date = day - dt.timedelta(days=1)
    current.save(update_fields=["stop_date"])
    change = audit.changes_between(before, audit.snapshot(current))
    why = f"dose change: {reason.strip()}"
    audit.append(actor, "update", current, change, reason=why, patient=patient)
    unverify_changed(actor, patient, current, change, why)
    return record(
        actor,
        screening_number,
        "exposure",
        {
            "line": current.line,
            "drug": current.drug,
            "dose": new_dose,
            "dose_unit": current.dose_unit,
            "start_date": day,
            "change_reason": reason.strip(),
        },
    )
