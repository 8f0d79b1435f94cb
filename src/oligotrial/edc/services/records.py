"""Entering clinical records: labs, lesions and measurements, RT, exposure, AEs, samples,
new anticancer therapy, death, withdrawal. One transaction each; nothing written on error."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, models

from oligotrial.edc.models import Lesion, LesionMeasurement, PatientStatus, Staff, Visit
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import require_unlocked, writable_patient
from oligotrial.edc.services.edit_checks import run_edit_checks
from oligotrial.edc.services.kinds import kind_of
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import clean, require_date
from oligotrial.errors import InputError, StateError


def _coerce_dates(model: type[models.Model], values: dict[str, Any], prefix: str) -> None:
    for field in model._meta.concrete_fields:
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            value = values.get(field.name)
            if value is not None:
                values[field.name] = require_date(value, f"{prefix}.{field.name}")


def _build(kind_name: str, values: dict[str, Any], **links: Any) -> models.Model:
    kind = kind_of(kind_name)
    allowed = {f.name for f in kind.model._meta.concrete_fields} - set(kind.fixed) - set(links)
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise InputError(
            f"{kind_name}.{unknown[0]}",
            f"not a field of {kind_name}; fields: {', '.join(sorted(allowed))}",
        )
    values = dict(values)
    _coerce_dates(kind.model, values, kind_name)
    return kind.model(**values, **links)


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
    """Enter one record of ``kind_name`` for a patient; returns the saved record."""
    require_unlocked()
    patient = writable_patient(actor, screening_number, f"entering a {kind_name}")
    if patient.status == PatientStatus.SCREEN_FAILED and kind_name != "withdrawal":
        raise StateError(f"patient {screening_number} failed screening; no data can be entered")
    kind = kind_of(kind_name)
    links: dict[str, Any] = {}
    if kind.model is LesionMeasurement:
        links["lesion"] = _lesion(patient, lesion_code)
        links["visit"] = _visit(patient, visit_number)
    else:
        links["patient"] = patient
        if visit_number is not None and "visit" in {f.name for f in kind.model._meta.fields}:
            links["visit"] = _visit(patient, visit_number)
    instance = _build(kind_name, values, **links)
    kind.check(instance, patient)
    clean(instance, kind_name)
    try:
        instance.save()
    except IntegrityError:
        raise InputError(
            kind_name,
            "this record already exists (same patient and "
            "identifier); correct the existing one instead",
        ) from None
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


def _lesion(patient: Any, code: str | None) -> Lesion:
    lesion = Lesion.objects.filter(patient=patient, code=code or "").first()
    if lesion is None:
        raise InputError(
            "lesion_code",
            f"patient {patient.screening_number} has no lesion {code!r}; record the lesion first",
        )
    return lesion


def _visit(patient: Any, number: int | None) -> Visit:
    if number is None:
        raise InputError("visit_number", "the visit number is required")
    visit = Visit.objects.filter(patient=patient, number=number).first()
    if visit is None:
        raise InputError(
            "visit_number",
            f"patient {patient.screening_number} has no visit "
            f"{number}; schedule visits after randomization",
        )
    return visit


def _after_record(actor: Staff, patient: Any, kind_name: str, instance: Any) -> None:
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
    from oligotrial.edc.models import Exposure

    require_unlocked()
    patient = writable_patient(actor, screening_number, "changing a dose")
    if not reason.strip():
        raise InputError("reason", "a reason for the dose change is required")
    current = Exposure.objects.select_for_update().filter(pk=exposure_id, patient=patient).first()
    if current is None:
        raise InputError("exposure_id", f"patient {screening_number} has no exposure {exposure_id}")
    if current.stop_date is not None:
        raise StateError(f"exposure {exposure_id} already stopped on {current.stop_date}")
    day = require_date(on, "on")
    if day <= current.start_date:
        raise InputError("on", f"{day} is not after the period's start {current.start_date}")
    before = audit.snapshot(current)
    current.stop_date = day - dt.timedelta(days=1)
    current.save(update_fields=["stop_date"])
    audit.append(
        actor,
        "update",
        current,
        audit.changes_between(before, audit.snapshot(current)),
        reason=f"dose change: {reason.strip()}",
        patient=patient,
    )
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
