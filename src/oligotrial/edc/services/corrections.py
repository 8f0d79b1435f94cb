"""Correcting a value, or several of one record together: reason required, same checks as
at entry, audited old → new.

The patient's row and then the record's row are locked before the record is read, so two
corrections (or a correction and a visit being recorded) run one after the other: the
second sees the first's value as the old value, and nothing is overwritten unseen.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from oligotrial.edc.models import Lesion, Patient, Staff, Visit
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import (
    current_actor,
    lock_patient,
    require_entry,
    require_unlocked,
    visible_patients,
)
from oligotrial.edc.services.edit_checks import run_edit_checks
from oligotrial.edc.services.kinds import kind_of, patient_of
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import (
    clean,
    field_value,
    require_int,
    require_text,
    require_unique,
)
from oligotrial.edc.services.verification import unverify_changed
from oligotrial.errors import InputError

MAX_REASON = 2000


def _link(patient: Patient, field: models.Field[Any, Any], value: object, path: str) -> Any:
    """A reference corrected by its name within the patient: a lesion code, a visit number."""
    if value is None and field.null:
        return None
    if field.related_model is Lesion:
        code = require_text(value, path, max_length=16)
        found: Any = Lesion.objects.filter(patient=patient, code=code).first()
    elif field.related_model is Visit:
        found = Visit.objects.filter(patient=patient, number=require_int(value, path)).first()
    else:
        raise InputError(path, "cannot be corrected")
    if found is None:
        raise InputError(path, f"patient {patient.screening_number} has no such record {value!r}")
    return found


@atomic_service
def correct_value(
    actor: Staff, kind_name: str, record_id: int, field: str, value: Any, *, reason: str
) -> models.Model:
    """Change one field of one record; refused without a reason.

    A reference (an RT course's lesion) is given by its code within the same patient."""
    if not isinstance(field, str):  # not a key of the one-field change: refused by name
        current_actor(actor)
        require_text(field, "field", max_length=60)
    return correct_values(actor, kind_name, record_id, {field: value}, reason=reason)


@atomic_service
def correct_values(
    actor: Staff, kind_name: str, record_id: int, values: dict[str, Any], *, reason: str
) -> models.Model:
    """Change several fields of one record together, checked as one record (an adverse
    event made serious with its seriousness criterion, a grade 5 with its fatal outcome);
    one audit entry lists every change, all under the one reason."""
    actor = current_actor(actor)
    require_unlocked()
    reason = require_text(reason, "reason", max_length=MAX_REASON, blank=False)
    kind = kind_of(kind_name)
    require_int(record_id, "record_id")
    if not isinstance(values, dict) or not values:
        raise InputError("values", "give at least one field and its new value")
    for name in values:
        require_text(name, "field", max_length=60)
    found = kind.model._default_manager.filter(pk=record_id).first()
    patient = patient_of(found) if found is not None else None
    if (
        found is None
        or patient is None
        or not visible_patients(actor).filter(pk=patient.pk).exists()
    ):
        raise InputError("record_id", f"no {kind_name} {record_id} at your site(s)")
    require_entry(actor, patient, f"correcting a {kind_name}")
    patient = lock_patient(patient)
    instance = kind.model._default_manager.select_for_update().get(pk=record_id)
    names = {f.name: f for f in kind.model._meta.concrete_fields}
    before = audit.snapshot(instance)
    for field, value in values.items():
        if field not in names or field in kind.fixed:
            raise InputError("field", f"{field!r} cannot be corrected on a {kind_name}")
        path = f"{kind_name}.{field}"
        target = names[field]
        if target.is_relation:
            setattr(instance, field, _link(patient, target, value, path))
        else:
            setattr(instance, field, field_value(target, value, path))
    kind.check(instance, patient)
    clean(instance, kind_name)
    require_unique(instance, kind_name)
    change = audit.changes_between(before, audit.snapshot(instance))
    if not change:
        raise InputError(
            f"{kind_name}.{next(iter(values))}", "the new value equals the recorded one"
        )
    instance.save()
    audit.append(actor, "update", instance, change, reason=reason, patient=patient)
    unverify_changed(actor, patient, instance, change, reason)
    run_edit_checks(actor, patient, instance)
    return instance
