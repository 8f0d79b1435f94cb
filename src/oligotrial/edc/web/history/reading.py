"""Read-only queries behind corrections, field history and queries at the field.

A field's history is read from the audit trail (who, when, old, new, reason: 21 CFR
11.10(e)); the open queries of a page are read once per page and looked up per field, so a
page with many values costs a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Prefetch

from oligotrial.edc.models import (
    SERIOUSNESS_CRITERIA,
    AuditEntry,
    DataQuery,
    Patient,
    QueryAnswer,
    QueryMessage,
    Staff,
)
from oligotrial.edc.services.access import readable_patient
from oligotrial.edc.services.kinds import KINDS, patient_of
from oligotrial.errors import InputError

#: the records and fields a site may correct from the browser, per kind
CORRECTABLE: dict[str, tuple[str, ...]] = {
    "adverse_event": (
        "term",
        "grade",
        "onset_date",
        "resolved_date",
        "serious",
        *SERIOUSNESS_CRITERIA,
        "related_rt",
        "related_flst",
        "related_slst",
        "outcome",
    ),
    "lab": ("analyte", "value", "unit", "reference_low", "reference_high", "sampled_on"),
    "visit": ("visit_date",),
    "consent": ("version", "signed_on", "withdrawn_on"),
}
KIND_OF_MODEL = {KINDS[name].model: name for name in CORRECTABLE}


@dataclass(frozen=True)
class Change:
    at: dt.datetime
    actor: str
    role: str
    action: str
    old: Any
    new: Any
    reason: str


@dataclass
class FieldNotes:
    """The open queries of one patient, by (model label, record id, field)."""

    queries: dict[tuple[str, str, str], list[DataQuery]] = field(default_factory=dict)

    def at(self, record: models.Model, name: str) -> list[DataQuery]:
        return self.queries.get((record._meta.label, str(record.pk), name), [])

    @property
    def all(self) -> list[DataQuery]:
        return sorted((q for qs in self.queries.values() for q in qs), key=lambda q: q.pk)


def open_queries(patient: Patient) -> FieldNotes:
    """The patient's open queries with their conversation (three queries in all)."""
    answers = QueryAnswer.objects.select_related("answered_by").order_by("answered_at", "id")
    notes = QueryMessage.objects.select_related("author").order_by("written_at", "id")
    found: dict[tuple[str, str, str], list[DataQuery]] = defaultdict(list)
    for q in (
        DataQuery.objects.filter(patient=patient, status="open")
        .prefetch_related(
            Prefetch("answers", queryset=answers), Prefetch("messages", queryset=notes)
        )
        .order_by("opened_at", "id")
    ):
        found[(q.model, q.object_id, q.field)].append(q)
    return FieldNotes(dict(found))


def correctable(kind_name: str, name: str) -> models.Field[Any, Any]:
    """The model field ``name`` of ``kind_name`` if the browser may correct it."""
    if name not in CORRECTABLE.get(kind_name, ()):
        raise InputError("field", f"{name!r} of a {kind_name} is not corrected here")
    return KINDS[kind_name].model._meta.get_field(name)  # type: ignore[return-value]


def record_of(actor: Staff, screening_number: str, kind_name: str, record_id: int) -> Any:
    """The record of a patient ``actor`` may read (another site's reads as unknown)."""
    patient = readable_patient(actor, screening_number)
    if kind_name not in CORRECTABLE:
        raise InputError("kind", f"unknown record kind {kind_name!r}")
    record = KINDS[kind_name].model._default_manager.filter(pk=record_id).first()
    if record is None or patient_of(record).pk != patient.pk:
        raise InputError("record_id", f"patient {screening_number} has no {kind_name} {record_id}")
    return record


def field_history(record: models.Model, name: str, screening_number: str) -> list[Change]:
    """Every entry of the audit trail that set or changed the field, oldest first."""
    attname = record._meta.get_field(name).attname  # type: ignore[union-attr]
    out = []
    entries = AuditEntry.objects.filter(
        patient=screening_number, model=record._meta.label, object_id=str(record.pk)
    )
    for e in entries.order_by("seq"):
        changes = json.loads(e.changes)
        if attname in changes:
            old, new = changes[attname]
            out.append(Change(e.at, e.actor, e.role, e.action, old, new, e.reason))
    return out


def patient_records(patient: Patient) -> dict[str, Any]:
    """The values a site corrects from the browser and the patient's open queries, in a
    fixed number of queries: consents, visits held or missed, labs, adverse events."""
    from oligotrial.edc.models import AdverseEvent, Consent, LabResult, Visit, VisitStatus

    return {
        "notes": open_queries(patient),
        "consents": list(Consent.objects.filter(patient=patient).order_by("signed_on", "id")),
        "visits": list(
            Visit.objects.filter(
                patient=patient, status__in=(VisitStatus.DONE, VisitStatus.MISSED)
            ).order_by("number")
        ),
        "labs": list(
            LabResult.objects.filter(patient=patient).order_by("sampled_on", "analyte", "id")
        ),
        "adverse_events": list(
            AdverseEvent.objects.filter(patient=patient).order_by("onset_date", "id")
        ),
    }
