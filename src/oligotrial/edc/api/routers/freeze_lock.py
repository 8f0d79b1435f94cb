"""Freezing and releasing a patient, visit or form, and the database lock with its pre-lock
checklist (data managers), over ``services.freeze`` and ``services.lock``.

Same roles as the web pages: only data managers read and change freezes and the lock. A lock
refused for open checklist items answers 409 in the error shape with the open items listed
(``open_items``); the refusal is audited by the service.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from oligotrial.edc.api.auth import actor
from oligotrial.edc.api.errors import error_responses
from oligotrial.edc.api.office_schemas import (
    FreezeIn,
    FreezeOut,
    LockIn,
    LockRefusedOut,
    LockStateOut,
    ReleaseIn,
)
from oligotrial.edc.api.schemas import ScreeningNumber
from oligotrial.edc.models import Freeze, Staff, TrialState
from oligotrial.edc.services.access import readable_patient, require_role
from oligotrial.edc.services.freeze import FREEZERS, freeze, freezes_of, unfreeze
from oligotrial.edc.services.lock import (
    CATEGORIES,
    Checklist,
    LockRefused,
    OpenItem,
    checklist_for,
    lock_database,
    unlock_database,
)

router = Router(tags=["freeze and lock"])


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def freeze_out(row: Freeze) -> dict[str, Any]:
    return {
        "id": row.pk,
        "patient": row.patient.screening_number,
        "scope": row.scope,
        "visit_number": row.visit.number if row.visit is not None else None,
        "kind": row.kind,
        "record_id": int(row.object_id) if row.object_id else None,
        "frozen_by": row.frozen_by.username,
        "frozen_at": row.frozen_at.isoformat(),
        "reason": row.reason,
        "in_force": row.released_at is None,
        "released_by": row.released_by.username if row.released_by else None,
        "released_at": _when(row.released_at),
        "release_reason": row.release_reason,
    }


def _freeze(pk: int) -> Freeze:
    related = ("patient", "visit", "frozen_by", "released_by")
    return Freeze.objects.select_related(*related).get(pk=pk)


def _freezer(request: HttpRequest, screening_number: str, action: str) -> Staff:
    """The data manager acting; another site's patient (for a site's staff) reads 404
    before the role is checked, as a missing one does."""
    staff = actor(request)
    readable_patient(staff, screening_number)
    require_role(staff, FREEZERS, action)
    return staff


@router.get(
    "/patients/{screening_number}/freezes", response={200: list[FreezeOut], **error_responses()}
)
def freezes(request: HttpRequest, screening_number: ScreeningNumber) -> Any:
    """The patient's freezes, those in force first (data managers)."""
    staff = _freezer(request, screening_number, "reading freezes")
    return [freeze_out(_freeze(f.pk)) for f in freezes_of(staff, screening_number)]


@router.post("/patients/{screening_number}/freezes", response={201: FreezeOut, **error_responses()})
def freeze_data(request: HttpRequest, screening_number: ScreeningNumber, payload: FreezeIn) -> Any:
    """Freeze the patient, a visit or a form, with the reason: every change of it is then
    refused until released (data managers; audited)."""
    staff = _freezer(request, screening_number, "freezing data")
    row = freeze(
        staff,
        screening_number,
        scope=payload.scope,
        reason=payload.reason,
        visit_number=payload.visit_number,
        kind=payload.kind or "",
        record_id=payload.record_id,
    )
    return Status(201, freeze_out(_freeze(row.pk)))


@router.post(
    "/patients/{screening_number}/freezes/{freeze_id}/release",
    response={200: FreezeOut, **error_responses()},
)
def release(
    request: HttpRequest, screening_number: ScreeningNumber, freeze_id: int, payload: ReleaseIn
) -> Any:
    """Release (unfreeze) one of the patient's freezes, with the reason (data managers)."""
    staff = _freezer(request, screening_number, "unfreezing data")
    row = unfreeze(staff, freeze_id, reason=payload.reason, of_patient=screening_number)
    return freeze_out(_freeze(row.pk))


def _item(item: OpenItem) -> dict[str, Any]:
    return {
        "category": item.category,
        "patient": item.patient,
        "detail": item.detail,
        "visit_number": item.visit_number,
    }


def _state(checklist: Checklist) -> dict[str, Any]:
    state = TrialState.objects.get(id=1)
    return {
        "locked": state.locked,
        "locked_at": _when(state.locked_at),
        "locked_by": state.locked_by,
        "unlocked_at": _when(state.unlocked_at),
        "unlocked_by": state.unlocked_by,
        "unlock_reason": state.unlock_reason,
        "checklist": {
            "clear": checklist.clear,
            "sdv_in_use": checklist.sdv_in_use,
            "counts": {c: checklist.count(c) for c in CATEGORIES},
            "items": [_item(i) for i in checklist.items],
        },
    }


@router.get("/database-lock", response={200: LockStateOut, **error_responses()})
def lock_state(request: HttpRequest) -> Any:
    """Whether the database is locked, and the pre-lock checklist now (data managers)."""
    return _state(checklist_for(actor(request)))


@router.post(
    "/database-lock",
    response={200: LockStateOut, **error_responses(), 409: LockRefusedOut},
)
def lock(request: HttpRequest, payload: LockIn) -> Any:
    """Lock the database for analysis, with the reason (data managers): refused (409, the
    open items listed, the refusal audited) while the pre-lock checklist has open items."""
    staff = actor(request)
    try:
        lock_database(staff, reason=payload.reason)
    except LockRefused as refused:
        items = [_item(i) for i in refused.checklist.items]
        body = {"field": "checklist", "problem": str(refused), "open_items": items}
        return Status(409, body)
    return _state(checklist_for(staff))


@router.post("/database-lock/unlock", response={200: LockStateOut, **error_responses()})
def unlock(request: HttpRequest, payload: LockIn) -> Any:
    """Unlock the database, with the reason (data managers; audited)."""
    staff = actor(request)
    unlock_database(staff, reason=payload.reason)
    return _state(checklist_for(staff))
