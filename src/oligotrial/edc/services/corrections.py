"""Correcting a value: reason required, same checks as at entry, audited old → new."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from oligotrial.edc.models import Staff
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import require_entry, require_unlocked, visible_patients
from oligotrial.edc.services.edit_checks import run_edit_checks
from oligotrial.edc.services.kinds import kind_of, patient_of
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import clean
from oligotrial.errors import InputError


@atomic_service
def correct_value(
    actor: Staff, kind_name: str, record_id: int, field: str, value: Any, *, reason: str
) -> models.Model:
    """Change one field of one record; refused without a reason."""
    require_unlocked()
    if not reason or not reason.strip():
        raise InputError("reason", "a reason is required to change a recorded value")
    kind = kind_of(kind_name)
    instance = kind.model._default_manager.select_for_update().filter(pk=record_id).first()
    patient = patient_of(instance) if instance is not None else None
    if (
        instance is None
        or patient is None
        or not visible_patients(actor).filter(pk=patient.pk).exists()
    ):
        raise InputError("record_id", f"no {kind_name} {record_id} at your site(s)")
    require_entry(actor, patient, f"correcting a {kind_name}")
    names = {f.name: f for f in kind.model._meta.concrete_fields}
    if field not in names or field in kind.fixed:
        raise InputError("field", f"{field!r} cannot be corrected on a {kind_name}")
    try:
        new = names[field].to_python(value)
    except ValidationError as exc:
        raise InputError(f"{kind_name}.{field}", " ".join(exc.messages)) from None
    before = audit.snapshot(instance)
    setattr(instance, field, new)
    kind.check(instance, patient)
    clean(instance, kind_name)
    instance.save()
    change = audit.changes_between(before, audit.snapshot(instance))
    if not change:
        raise InputError(f"{kind_name}.{field}", "the new value equals the recorded one")
    audit.append(actor, "update", instance, change, reason=reason, patient=patient)
    run_edit_checks(actor, patient, instance)
    return instance
