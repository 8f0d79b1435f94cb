"""Freezing a form (one record), a visit or a patient (data managers), and releasing it.

Frozen data refuses every change in the service layer (services.data_guard), so the web
pages and the API refuse alike. Freezing and unfreezing need a reason and are audited.
"""

from __future__ import annotations

from django.utils import timezone

from oligotrial.edc.models import Freeze, FreezeScope, LesionMeasurement, Role, Staff, Visit
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import (
    current_actor,
    lock_patient,
    readable_patient,
    require_role,
    require_unlocked,
)
from oligotrial.edc.services.kinds import kind_of
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import require_int, require_text
from oligotrial.errors import InputError, StateError

FREEZERS = frozenset({Role.DATA_MANAGER})


def _reason(reason: object) -> str:
    text = require_text(reason, "reason", max_length=2000)
    if not text.strip():
        raise InputError("reason", "a reason is required")
    return text.strip()


@atomic_service
def freeze(
    actor: Staff,
    screening_number: str,
    *,
    scope: str,
    reason: str,
    visit_number: int | None = None,
    kind: str = "",
    record_id: int | None = None,
) -> Freeze:
    """Freeze the patient, one of its visits (``visit_number``) or one record (``kind``,
    ``record_id``)."""
    actor = current_actor(actor)
    require_role(actor, FREEZERS, "freezing data")
    require_unlocked()
    why = _reason(reason)
    if scope not in FreezeScope.values:
        raise InputError("scope", f"{scope!r} is not one of {', '.join(FreezeScope.values)}")
    patient = lock_patient(readable_patient(actor, screening_number))
    row = Freeze(patient=patient, scope=scope, frozen_by=actor, frozen_at=timezone.now())
    row.reason = why
    active = Freeze.objects.filter(patient=patient, scope=scope, released_at=None)
    if scope == FreezeScope.VISIT:
        number = require_int(visit_number, "visit_number")
        row.visit = Visit.objects.filter(patient=patient, number=number).first()
        if row.visit is None:
            raise InputError("visit_number", f"patient {screening_number} has no visit {number}")
        active = active.filter(visit=row.visit)
    elif scope == FreezeScope.FORM:
        model = kind_of(kind).model
        pk = require_int(record_id, "record_id")
        owner = {"lesion__patient": patient} if model is LesionMeasurement else {"patient": patient}
        if not model._default_manager.filter(pk=pk, **owner).exists():
            raise InputError("record_id", f"patient {screening_number} has no {kind} {pk}")
        row.kind, row.object_id = kind, str(pk)
        active = active.filter(kind=kind, object_id=str(pk))
    if active.exists():
        raise StateError(f"this {scope} of patient {screening_number} is already frozen")
    row.save()
    changes = audit.changes_between(None, audit.snapshot(row))
    audit.append(actor, "freeze", row, changes, reason=why, patient=patient)
    return row


@atomic_service
def unfreeze(actor: Staff, freeze_id: int, *, reason: str, of_patient: str | None = None) -> Freeze:
    """Release a freeze (data managers; a reason is required and audited); ``of_patient``:
    refused unless the freeze is that patient's."""
    actor = current_actor(actor)
    require_role(actor, FREEZERS, "unfreezing data")
    require_unlocked()
    why = _reason(reason)
    pk = require_int(freeze_id, "freeze_id")
    rows = Freeze.objects.select_for_update(of=("self",)).select_related("patient__site")
    row = rows.filter(pk=pk).first()
    if row is None or (of_patient is not None and row.patient.screening_number != of_patient):
        whose = f" of patient {of_patient}" if of_patient is not None else ""
        raise InputError("freeze_id", f"no freeze {pk}{whose}")
    if row.released_at is not None:
        raise StateError(f"freeze {pk} was already released on {row.released_at:%Y-%m-%d}")
    before = audit.snapshot(row)
    row.released_by, row.released_at, row.release_reason = actor, timezone.now(), why
    row.save(update_fields=["released_by", "released_at", "release_reason"])
    changes = audit.changes_between(before, audit.snapshot(row))
    audit.append(actor, "unfreeze", row, changes, reason=why, patient=row.patient)
    return row


def freezes_of(actor: Staff, screening_number: str) -> list[Freeze]:
    """The patient's freezes (in force first, then released), for any reader."""
    patient = readable_patient(actor, screening_number)
    rows = Freeze.objects.filter(patient=patient).select_related("visit", "frozen_by")
    return sorted(rows, key=lambda f: (f.released_at is not None, f.frozen_at))
