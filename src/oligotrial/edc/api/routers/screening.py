"""Screening records and the eligibility engine's verdicts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from oligotrial.edc import services
from oligotrial.edc.api.auth import actor
from oligotrial.edc.api.errors import error_responses
from oligotrial.edc.api.schemas import ScreeningCorrectionIn, ScreeningNumber, ScreeningOut
from oligotrial.edc.models import Screening
from oligotrial.edc.services.record_reading import screening_verdicts
from oligotrial.eligibility.record import ScreeningRecord

router = Router(tags=["screening"])


def _out(s: Screening) -> dict[str, Any]:
    return {
        "screening_number": s.patient.screening_number,
        "version": s.version,
        "origin": s.origin,
        "reason": s.reason,
        "screened_on": s.screened_on.isoformat(),
        "evaluated_at": s.evaluated_at.isoformat(),
        "overall": s.overall,
        "eligible": s.eligible,
        "protocol_id": s.protocol_id,
        "protocol_version": s.protocol_version,
        "strata": dict(s.strata),
        "verdicts": list(s.verdicts),
    }


@router.post("/screenings", response={201: ScreeningOut, **error_responses()})
def screen(request: HttpRequest, payload: ScreeningRecord) -> Any:
    """Submit a screening record (schema: ``oligotrial schema screening``); the engine's
    verdicts come back. A new patient is registered at your site; a known one gets a new
    record version."""
    return Status(201, _out(services.screen(actor(request), payload)))


@router.get(
    "/patients/{screening_number}/screenings",
    response={200: list[ScreeningOut], **error_responses()},
)
def verdicts(request: HttpRequest, screening_number: ScreeningNumber) -> Any:
    """Every record version of the patient with its verdicts, oldest first."""
    rows = screening_verdicts(actor(request), screening_number)
    return [{"screening_number": screening_number, **row} for row in rows]


@router.post(
    "/patients/{screening_number}/screening-corrections",
    response={201: ScreeningOut, **error_responses()},
)
def correct(
    request: HttpRequest, screening_number: ScreeningNumber, payload: ScreeningCorrectionIn
) -> Any:
    """Correct one field of the stored record (dotted ``path``), with a reason; the engine
    evaluates the new version."""
    screening = services.correct_screening_record(
        actor(request),
        screening_number,
        path=payload.path,
        value=payload.value,
        reason=payload.reason,
    )
    return Status(201, _out(screening))
