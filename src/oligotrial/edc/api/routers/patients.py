"""Patients: list, summary, consent, randomization and the audit history."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from oligotrial.edc import services
from oligotrial.edc.api.auth import actor
from oligotrial.edc.api.errors import error_responses
from oligotrial.edc.api.schemas import (
    AllocationOut,
    ConsentIn,
    ConsentOut,
    HistoryEntry,
    PatientOut,
    PatientRow,
    RandomizeIn,
    ScreeningNumber,
)
from oligotrial.edc.services.randomize import AllocationResult
from oligotrial.errors import InputError

router = Router(tags=["patients"])


def _allocation(result: AllocationResult) -> dict[str, Any]:
    return {
        "screening_number": result.screening_number,
        "randomization_number": result.randomization_number,
        "arm": result.arm,
        "randomized_on": result.randomized_on.isoformat(),
        "already_randomized": result.already_randomized,
    }


@router.get("/patients", response={200: list[PatientRow], **error_responses()})
def patients(request: HttpRequest) -> Any:
    """Every patient you may read, with status and (once randomized) the arm."""
    return services.list_patients(actor(request))


@router.get("/patients/{screening_number}", response={200: PatientOut, **error_responses()})
def patient(request: HttpRequest, screening_number: ScreeningNumber) -> Any:
    return services.patient_summary(actor(request), screening_number)


@router.post(
    "/patients/{screening_number}/consents", response={201: ConsentOut, **error_responses()}
)
def consent(request: HttpRequest, screening_number: ScreeningNumber, payload: ConsentIn) -> Any:
    """Record the signed informed consent."""
    row = services.record_consent(
        actor(request), screening_number, version=payload.version, signed_on=payload.signed_on
    )
    out = {
        "id": row.pk,
        "screening_number": screening_number,
        "version": row.version,
        "signed_on": row.signed_on.isoformat(),
    }
    return Status(201, out)


@router.post(
    "/patients/{screening_number}/randomization",
    response={200: AllocationOut, 201: AllocationOut, **error_responses()},
)
def randomize(request: HttpRequest, screening_number: ScreeningNumber, payload: RandomizeIn) -> Any:
    """Randomize the patient (201); a repeated request returns the same allocation (200)."""
    result = services.randomize(
        actor(request), screening_number, randomized_on=payload.randomized_on
    )
    return Status(200 if result.already_randomized else 201, _allocation(result))


@router.get(
    "/patients/{screening_number}/randomization",
    response={200: AllocationOut, **error_responses()},
)
def allocation(request: HttpRequest, screening_number: ScreeningNumber) -> Any:
    result = services.allocation_of(actor(request), screening_number)
    if result is None:
        raise InputError("randomization", f"no allocation: {screening_number} is not randomized")
    return _allocation(result)


@router.get(
    "/patients/{screening_number}/history",
    response={200: list[HistoryEntry], **error_responses()},
)
def history(request: HttpRequest, screening_number: ScreeningNumber) -> Any:
    """Every audit entry of the patient, oldest first."""
    return services.patient_history(actor(request), screening_number)
