"""Typed shapes of the Bulk FHIR resources the pre-screening reads (msgspec structs).

Only the elements the mapping uses are declared; msgspec skips the rest while decoding,
which is what makes a hospital-sized NDJSON export fast to read. The union is tagged by
``resourceType``; a resource of another type fails the union and is then looked at
through :class:`Header` (a FHIR type not read is counted, an unknown type reported).
"""

from __future__ import annotations

from msgspec import Struct


class Coding(Struct, frozen=True):
    system: str | None = None
    code: str | None = None
    display: str | None = None


class CodeableConcept(Struct, frozen=True):
    coding: list[Coding] = []
    text: str | None = None


class Reference(Struct, frozen=True):
    reference: str | None = None


class Quantity(Struct, frozen=True):
    value: float | None = None
    unit: str | None = None
    code: str | None = None


class ReferenceRange(Struct, frozen=True):
    low: Quantity | None = None
    high: Quantity | None = None


class Period(Struct, frozen=True):
    start: str | None = None


class Header(Struct, frozen=True):
    resourceType: str | None = None
    id: str | None = None


class Patient(Struct, frozen=True, tag_field="resourceType", tag="Patient"):
    id: str | None = None
    gender: str | None = None
    birthDate: str | None = None
    managingOrganization: Reference | None = None
    deceasedBoolean: bool | None = None
    deceasedDateTime: str | None = None


class Condition(Struct, frozen=True, tag_field="resourceType", tag="Condition"):
    id: str | None = None
    subject: Reference | None = None
    code: CodeableConcept | None = None
    clinicalStatus: CodeableConcept | None = None
    verificationStatus: CodeableConcept | None = None
    onsetDateTime: str | None = None
    recordedDate: str | None = None


class Observation(Struct, frozen=True, tag_field="resourceType", tag="Observation"):
    id: str | None = None
    status: str | None = None
    subject: Reference | None = None
    code: CodeableConcept | None = None
    effectiveDateTime: str | None = None
    valueQuantity: Quantity | None = None
    valueCodeableConcept: CodeableConcept | None = None
    valueInteger: int | None = None
    referenceRange: list[ReferenceRange] = []


class MedicationRequest(Struct, frozen=True, tag_field="resourceType", tag="MedicationRequest"):
    id: str | None = None
    status: str | None = None
    subject: Reference | None = None
    medicationCodeableConcept: CodeableConcept | None = None
    authoredOn: str | None = None


class MedicationStatement(Struct, frozen=True, tag_field="resourceType", tag="MedicationStatement"):
    id: str | None = None
    status: str | None = None
    subject: Reference | None = None
    medicationCodeableConcept: CodeableConcept | None = None
    effectiveDateTime: str | None = None
    effectivePeriod: Period | None = None


class Procedure(Struct, frozen=True, tag_field="resourceType", tag="Procedure"):
    id: str | None = None
    status: str | None = None
    subject: Reference | None = None
    code: CodeableConcept | None = None
    performedDateTime: str | None = None
    performedPeriod: Period | None = None
    bodySite: list[CodeableConcept] = []


class DiagnosticReport(Struct, frozen=True, tag_field="resourceType", tag="DiagnosticReport"):
    id: str | None = None
    status: str | None = None
    subject: Reference | None = None
    code: CodeableConcept | None = None
    effectiveDateTime: str | None = None
    conclusionCode: list[CodeableConcept] = []


Resource = (
    Patient
    | Condition
    | Observation
    | MedicationRequest
    | MedicationStatement
    | Procedure
    | DiagnosticReport
)
READ_TYPES = (
    "Patient",
    "Condition",
    "DiagnosticReport",
    "Observation",
    "MedicationRequest",
    "MedicationStatement",
    "Procedure",
)
