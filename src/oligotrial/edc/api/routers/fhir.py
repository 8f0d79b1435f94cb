"""A patient's FHIR Bundle (from the EHR) fills the blank fields of their screening draft.

The same path as the screening page's button (:mod:`oligotrial.edc.web.screening.ehr_fill`):
the Bundle is read with the pre-screening's mapping and fhir.resources validation, only
blank fields are filled, the draft is saved through the one draft service (audited) and
keeps the resource behind each field filled. The body is a FHIR R4 Bundle; its own
elements are checked strictly here (unknown elements refused), its resources by the reader.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from pydantic import Field, StrictInt, StrictStr

from oligotrial.edc.api.auth import actor
from oligotrial.edc.api.errors import error_responses
from oligotrial.edc.api.schemas import ScreeningNumber, StrictIn
from oligotrial.edc.services.access import no_such_patient
from oligotrial.edc.web.screening.ehr_fill import fill_from_bundle

router = Router(tags=["screening"])

#: most entries a patient's Bundle may hold (the API's body limit bounds it too)
MAX_ENTRIES = 5000

Element = dict[str, Any]


#: FHIR R4 ``Bundle.type`` (http://hl7.org/fhir/bundle-type)
BundleType = Literal[
    "document",
    "message",
    "transaction",
    "transaction-response",
    "batch",
    "batch-response",
    "history",
    "searchset",
    "collection",
]


class BundleEntryIn(StrictIn):
    """``Bundle.entry``: the resource is read (and validated) by the FHIR reader."""

    id: StrictStr | None = None
    extension: list[Element] | None = None
    modifierExtension: list[Element] | None = None
    link: list[Element] | None = None
    fullUrl: StrictStr | None = None
    resource: Element | None = None
    search: Element | None = None
    request: Element | None = None
    response: Element | None = None


class BundleIn(StrictIn):
    """A FHIR R4 Bundle of one patient (e.g. the answer of ``Patient/$everything``)."""

    resourceType: Literal["Bundle"]
    id: StrictStr | None = None
    meta: Element | None = None
    implicitRules: StrictStr | None = None
    language: StrictStr | None = None
    identifier: Element | None = None
    type: BundleType
    timestamp: StrictStr | None = None
    total: Annotated[StrictInt, Field(ge=0)] | None = None
    link: list[Element] | None = None
    entry: Annotated[list[BundleEntryIn], Field(max_length=MAX_ENTRIES, default_factory=list)]
    signature: Element | None = None


class FilledField(Schema):
    field: str
    value: str
    resources: list[str]


class EhrFillOut(Schema):
    screening_number: str
    filled: list[FilledField]
    not_used: list[str]


@router.post(
    "/patients/{screening_number}/screening-draft/fhir",
    response={200: EhrFillOut, **error_responses()},
)
def fill_draft(request: HttpRequest, screening_number: ScreeningNumber, payload: BundleIn) -> Any:
    """Fill the blank fields of the patient's screening draft from their FHIR Bundle; answer
    each field filled with the resources it came from, and the entries not used. What is
    already in the draft is never replaced; a Bundle that cannot be read writes nothing."""
    staff = actor(request)
    body = payload.model_dump_json(exclude_none=True)
    try:
        done = fill_from_bundle(staff, screening_number, body, dt.date.today())
    except Http404:
        raise no_such_patient(screening_number) from None
    resources = {
        key: entry["resources"] for entry in done.sources.values() for key in entry["filled"]
    }
    filled = [
        {"field": key, "value": value, "resources": resources.get(key, [])}
        for key, value in sorted(done.filled.items())
    ]
    return {"screening_number": screening_number, "filled": filled, "not_used": done.not_used}
