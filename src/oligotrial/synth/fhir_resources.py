"""FHIR R4 resources (plain JSON dicts) as a hospital system writes them.

Small builders shared by the synthetic hospital export: a Patient, a Condition, an
Observation (quantity, coded or integer), a MedicationRequest, a Procedure and a
DiagnosticReport, each with its ``subject`` reference and a dateTime in the hospital's
zone (+08:00).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from oligotrial.synth.fhir_codes import LOINC, UCUM, UCUM_CODES

Resource = dict[str, Any]


def when(day: dt.date, hour: int = 8) -> str:
    return f"{day.isoformat()}T{hour:02d}:30:00+08:00"


def concept(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    coding: dict[str, Any] = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding], **({"text": display} if display else {})}


def _subject(pid: str) -> dict[str, str]:
    return {"reference": f"Patient/{pid}"}


def patient(pid: str, sex: str, birth: dt.date, site: str) -> Resource:
    return {
        "resourceType": "Patient",
        "id": pid,
        "identifier": [{"system": f"urn:oid:2.16.156.{site}", "value": pid}],
        "gender": sex,
        "birthDate": birth.isoformat(),
        "managingOrganization": {"reference": f"Organization/{site}"},
    }


def condition(
    rid: str, pid: str, system: str, code: str, display: str, onset: dt.date, active: bool = True
) -> Resource:
    status = "active" if active else "resolved"
    return {
        "resourceType": "Condition",
        "id": rid,
        "clinicalStatus": concept(
            "http://terminology.hl7.org/CodeSystem/condition-clinical", status
        ),
        "verificationStatus": concept(
            "http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"
        ),
        "code": concept(system, code, display),
        "subject": _subject(pid),
        "onsetDateTime": when(onset),
        "recordedDate": when(onset, 10),
    }


def _quantity(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": UCUM, "code": UCUM_CODES.get(unit, unit)}


def observation(
    rid: str,
    pid: str,
    code: tuple[str, str],
    day: dt.date,
    *,
    quantity: tuple[float, str] | None = None,
    low: float | None = None,
    high: float | None = None,
    coded: tuple[str, str, str] | None = None,
    integer: int | None = None,
    category: str = "laboratory",
    status: str = "final",
) -> Resource:
    out: Resource = {
        "resourceType": "Observation",
        "id": rid,
        "status": status,
        "category": [
            concept("http://terminology.hl7.org/CodeSystem/observation-category", category)
        ],
        "code": concept(LOINC, *code),
        "subject": _subject(pid),
        "effectiveDateTime": when(day),
    }
    if quantity is not None:
        value, unit = quantity
        out["valueQuantity"] = _quantity(value, unit)
        bounds = {}
        if low is not None:
            bounds["low"] = _quantity(low, unit)
        if high is not None:
            bounds["high"] = _quantity(high, unit)
        if bounds:
            out["referenceRange"] = [bounds]
    elif coded is not None:
        out["valueCodeableConcept"] = concept(*coded)
    elif integer is not None:
        out["valueInteger"] = integer
    return out


def medication_request(
    rid: str, pid: str, drug: tuple[str, str], name: str, day: dt.date
) -> Resource:
    return {
        "resourceType": "MedicationRequest",
        "id": rid,
        "status": "active",
        "intent": "order",
        "medicationCodeableConcept": concept(drug[0], drug[1], name),
        "subject": _subject(pid),
        "authoredOn": when(day),
    }


def procedure(
    rid: str, pid: str, code: tuple[str, str, str], day: dt.date, site: str | None = None
) -> Resource:
    out: Resource = {
        "resourceType": "Procedure",
        "id": rid,
        "status": "completed",
        "code": concept(*code),
        "subject": _subject(pid),
        "performedDateTime": when(day),
    }
    if site:
        out["bodySite"] = [{"text": site}]
    return out


def diagnostic_report(
    rid: str, pid: str, code: tuple[str, str, str], day: dt.date, conclusion: tuple[str, str, str]
) -> Resource:
    return {
        "resourceType": "DiagnosticReport",
        "id": rid,
        "status": "final",
        "code": concept(*code),
        "subject": _subject(pid),
        "effectiveDateTime": when(day),
        "conclusionCode": [concept(*conclusion)],
    }
