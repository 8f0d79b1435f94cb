"""What an investigator's signature covers, serialised canonically, and its SHA-256.

A casebook is the patient row, every version of the screening record and every record of
every kind (services.kinds) of the patient; a visit is the visit row with the laboratory
results and lesion measurements entered at it. Each record is its audit snapshot (every
stored field, JSON values); records are ordered by kind and id and written as canonical
JSON (sorted keys, no spaces), so the same data always hash alike (21 CFR 11.70: the
signature is linked to the exact record signed).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import models

from oligotrial.edc.audit_chain import canonical_json
from oligotrial.edc.models import LabResult, LesionMeasurement, Patient, Screening, Visit
from oligotrial.edc.services.audit import snapshot
from oligotrial.edc.services.kinds import KINDS


def _rows(name: str, queryset: models.QuerySet[Any]) -> list[list[Any]]:
    return [[name, snapshot(obj)] for obj in queryset.order_by("pk")]


def casebook_records(patient: Patient) -> list[list[Any]]:
    """``[kind, snapshot]`` of every record of the patient's casebook, in a fixed order."""
    rows = [["patient", snapshot(patient)]]
    rows += _rows("screening", Screening.objects.filter(patient=patient))
    for name, kind in sorted(KINDS.items()):
        if kind.model is LesionMeasurement:
            rows += _rows(name, LesionMeasurement.objects.filter(lesion__patient=patient))
        else:
            rows += _rows(name, kind.model._default_manager.filter(patient=patient))
    return rows


def visit_records(visit: Visit) -> list[list[Any]]:
    """``[kind, snapshot]`` of the visit and the records entered at it."""
    rows = [["visit", snapshot(visit)]]
    rows += _rows("lab", LabResult.objects.filter(visit=visit))
    rows += _rows("measurement", LesionMeasurement.objects.filter(visit=visit))
    return rows


def serialise(scope: str, records: list[list[Any]]) -> str:
    return canonical_json({"scope": scope, "records": records})


def content_hash(patient: Patient, visit: Visit | None) -> str:
    """SHA-256 (hex) of the canonical serialisation of the casebook, or of one visit."""
    if visit is None:
        text = serialise("casebook", casebook_records(patient))
    else:
        text = serialise("visit", visit_records(visit))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
