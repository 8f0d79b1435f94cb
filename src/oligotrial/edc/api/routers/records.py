"""Clinical records of every kind the record service knows, corrections with reasons, and
dose changes. One operation per kind, each with the kind's own strict schema."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from ninja import Router, Status

from oligotrial.edc import services
from oligotrial.edc.api.auth import actor
from oligotrial.edc.api.errors import error_responses
from oligotrial.edc.api.kinds import ENTERED, AnyKindName, kind_schema, split
from oligotrial.edc.api.schemas import (
    DoseChangeIn,
    Reason,
    RecordOut,
    ScreeningNumber,
    StrictIn,
)
from oligotrial.edc.services import audit
from oligotrial.edc.services.kinds import KINDS
from oligotrial.edc.services.record_reading import patient_records
from oligotrial.errors import InputError

router = Router(tags=["records"])


def _out(kind: str, row: models.Model) -> dict[str, Any]:
    return {"kind": kind, "id": row.pk, "values": audit.snapshot(row)}


def _add_entry(kind: str) -> None:
    schema = kind_schema(kind)

    def enter(request: HttpRequest, screening_number: ScreeningNumber, payload: Any) -> Any:
        values, links = split(payload)
        row = services.record(actor(request), screening_number, kind, values, **links)
        return Status(201, _out(kind, row))

    enter.__annotations__["payload"] = schema
    enter.__name__ = f"enter_{kind}"
    enter.__doc__ = f"Enter a {kind.replace('_', ' ')} record for the patient."
    router.post(
        f"/patients/{{screening_number}}/records/{kind}",
        response={201: RecordOut, **error_responses()},
        operation_id=f"enter_{kind}",
    )(enter)


def _add_listing(kind: str) -> None:
    def listing(request: HttpRequest, screening_number: ScreeningNumber) -> Any:
        rows = patient_records(actor(request), screening_number, kind)
        return [{"kind": kind, **row} for row in rows]

    listing.__name__ = f"list_{kind}"
    listing.__doc__ = f"The patient's {kind.replace('_', ' ')} records with their ids and values."
    router.get(
        f"/patients/{{screening_number}}/records/{kind}",
        response={200: list[RecordOut], **error_responses()},
        operation_id=f"list_{kind}",
    )(listing)


for _kind in KINDS:
    _add_listing(_kind)
    if _kind in ENTERED:
        _add_entry(_kind)


class CorrectionIn(StrictIn):
    kind: AnyKindName
    record_id: int
    field: str | None = None
    value: Any = None
    #: several fields of the record changed together, checked as one record
    values: dict[str, Any] | None = None
    reason: Reason


@router.post("/corrections", response={200: RecordOut, **error_responses()})
def correct(request: HttpRequest, payload: CorrectionIn) -> Any:
    """Change one field of one record (``field``, ``value``), or several together
    (``values``: e.g. an adverse event made serious with its seriousness criterion), with a
    reason (audited old → new); the values are checked as at entry (``"30"`` is not a
    number)."""
    if payload.field is not None and payload.values is None:
        values = {payload.field: payload.value}
    elif payload.field is None and payload.values is not None:
        values = payload.values
    else:
        raise InputError("field", "give either field and value, or values, not both")
    row = services.correct_values(
        actor(request), payload.kind, payload.record_id, values, reason=payload.reason
    )
    return _out(payload.kind, row)


@router.post(
    "/patients/{screening_number}/exposures/{exposure_id}/dose-change",
    response={201: RecordOut, **error_responses()},
)
def dose_change(
    request: HttpRequest, screening_number: ScreeningNumber, exposure_id: int, payload: DoseChangeIn
) -> Any:
    """Close the exposure period the day before ``on`` and open one at the new dose."""
    row = services.change_dose(
        actor(request),
        screening_number,
        exposure_id,
        new_dose=payload.new_dose,
        on=payload.on,
        reason=payload.reason,
    )
    return Status(201, _out("exposure", row))
