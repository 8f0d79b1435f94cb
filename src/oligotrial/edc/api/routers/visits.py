"""Visits: scheduled from the randomization date, then recorded as done or missed."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from oligotrial.edc import services
from oligotrial.edc.api.auth import actor
from oligotrial.edc.api.errors import error_responses
from oligotrial.edc.api.schemas import ScheduleIn, ScreeningNumber, VisitIn, VisitOut
from oligotrial.edc.models import Visit
from oligotrial.edc.services.record_reading import patient_visits

router = Router(tags=["visits"])


def _out(v: Visit) -> dict[str, Any]:
    return {
        "number": v.number,
        "kind": v.kind,
        "due_date": v.due_date.isoformat() if v.due_date else None,
        "window_days": v.window_days,
        "visit_date": v.visit_date.isoformat() if v.visit_date else None,
        "status": v.status,
    }


@router.get(
    "/patients/{screening_number}/visits", response={200: list[VisitOut], **error_responses()}
)
def visits(request: HttpRequest, screening_number: ScreeningNumber) -> Any:
    return patient_visits(actor(request), screening_number)


@router.post(
    "/patients/{screening_number}/visits/schedule",
    response={201: list[VisitOut], **error_responses()},
)
def schedule(request: HttpRequest, screening_number: ScreeningNumber, payload: ScheduleIn) -> Any:
    """Schedule the baseline and every assessment within ``horizon_weeks`` (the visits
    created; a repeated call creates none)."""
    created = services.schedule_visits(
        actor(request), screening_number, horizon_weeks=payload.horizon_weeks
    )
    return Status(201, [_out(v) for v in created])


@router.post(
    "/patients/{screening_number}/visits/{visit_number}",
    response={200: VisitOut, **error_responses()},
)
def record_visit(
    request: HttpRequest, screening_number: ScreeningNumber, visit_number: int, payload: VisitIn
) -> Any:
    """Record a visit as done on ``visit_date``, or as missed."""
    visit = services.record_visit(
        actor(request),
        screening_number,
        visit_number,
        visit_date=payload.visit_date,
        missed=payload.missed,
    )
    return _out(visit)
