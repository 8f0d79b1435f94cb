"""The "recorded value" of a template: a saved value with its history one click away, a
link to correct it (site staff who enter data) and a badge per open query at the field.

Usage (``{% load recorded %}``)::

    {% recorded ae "grade" notes p.screening_number %}

``notes`` is :func:`oligotrial.edc.web.history.reading.open_queries` of the patient, read
once per page.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from oligotrial.edc.models import Role
from oligotrial.edc.web.history.reading import KIND_OF_MODEL, FieldNotes
from oligotrial.edc.web.history.values import label_of, shown

ENTRY = {Role.INVESTIGATOR, Role.COORDINATOR}


def recorded_context(
    context: Any, record: models.Model, name: str, notes: FieldNotes | None, screening_number: str
) -> dict[str, Any]:
    staff = context.get("staff")
    return {
        "value": shown(getattr(record, name)),
        "label": label_of(name),
        "kind": KIND_OF_MODEL[type(record)],
        "record": record,
        "name": name,
        "screening_number": screening_number,
        "queries": notes.at(record, name) if notes is not None else [],
        "can_correct": staff is not None and staff.role in ENTRY,
        "can_read_history": staff is not None and staff.role != Role.STATISTICIAN,
    }
