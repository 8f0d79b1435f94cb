"""Screening drafts: a record entered over several sittings, and its submission.

A draft keeps the form's fields as typed (dotted record path -> text), valid or not, at the
actor's site; a screening number has one draft trial-wide, and a number that belongs to
another site's patient reads as unknown (no patient at your site). Saving is audited like
every write. Submitting validates the whole record, stores it through :func:`screen` (the
one engine derives every verdict) and marks the draft with the version it became.

A repeated submission creates nothing: the draft row is locked first (created if need be,
so two first submissions of a new number queue on its unique number), and a record equal
to the version in force is answered with that version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from oligotrial.edc.models import Patient, Screening, ScreeningDraft, Staff
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import (
    ENTRY_ROLES,
    current_actor,
    no_such_patient,
    require_role,
    require_unlocked,
)
from oligotrial.edc.services.screening import screen
from oligotrial.edc.services.screening_engine import evaluate_record, latest_screening
from oligotrial.edc.services.screening_state import OPEN_STATUSES
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import require_text
from oligotrial.errors import InputError, StateError

#: most fields a draft may hold, and the longest text of one field
MAX_FIELDS = 2000
MAX_TEXT = 500
NUMBER_FIELD = "patient_id"


@dataclass(frozen=True)
class Submitted:
    """The record version a submission stored (or found already stored)."""

    screening: Screening
    repeated: bool


def _number(number: object) -> str:
    text = require_text(number, NUMBER_FIELD, max_length=32, blank=False).strip()
    if not text:
        raise InputError(NUMBER_FIELD, "is required")
    return text


def _values(values: Mapping[str, object]) -> dict[str, str]:
    if len(values) > MAX_FIELDS:
        raise InputError("draft", f"has {len(values)} fields; at most {MAX_FIELDS}")
    checked: dict[str, str] = {}
    for path, value in values.items():
        require_text(path, "draft", max_length=200)
        checked[path] = require_text(value, path, max_length=MAX_TEXT)
    return checked


def _ehr_sources(sources: Mapping[str, object]) -> dict[str, dict[str, Any]]:
    """``{record path: {"resources": [refs], "filled": {form field: text}}}``, checked."""
    checked: dict[str, dict[str, Any]] = {}
    for path, entry in sources.items():
        require_text(path, "ehr_sources", max_length=200)
        if not isinstance(entry, Mapping) or set(entry) != {"resources", "filled"}:
            raise InputError(f"ehr_sources.{path}", "expected resources and filled")
        refs, filled = entry["resources"], entry["filled"]
        if not isinstance(refs, list) or not refs:
            raise InputError(f"ehr_sources.{path}.resources", "expected a list of references")
        if not isinstance(filled, Mapping) or not filled:
            raise InputError(f"ehr_sources.{path}.filled", "expected the fields filled")
        checked[path] = {
            "resources": [require_text(r, f"ehr_sources.{path}", max_length=200) for r in refs],
            "filled": _values(filled),
        }
    return checked


def _still_filled(
    sources: Mapping[str, Any], values: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    """The entries whose fields still hold the text the EHR filled in."""
    return {
        path: entry
        for path, entry in sources.items()
        if all(values.get(k) == v for k, v in entry["filled"].items())
    }


def _check_patient(actor: Staff, number: str) -> Patient | None:
    """The patient of ``number`` at the actor's site, if any, while screening is open."""
    patient = Patient.objects.filter(screening_number=number).first()
    if patient is None:
        return None
    if patient.site_id != actor.site_id:
        raise no_such_patient(number)
    if patient.status not in OPEN_STATUSES:
        raise StateError(
            f"patient {number} is {patient.status}; screening is closed "
            "(correct the stored record instead)"
        )
    return patient


def _locked_draft(actor: Staff, number: str, values: dict[str, str]) -> tuple[ScreeningDraft, bool]:
    """The draft of ``number``, row locked; made (not yet audited) when there is none."""
    drafts = ScreeningDraft.objects.select_for_update()
    draft = drafts.filter(screening_number=number).first()
    if draft is None:
        draft = ScreeningDraft(
            site=actor.site, screening_number=number, values=values, created_by=actor
        )
        draft.updated_by = actor
        try:
            with transaction.atomic():
                draft.save()
        except IntegrityError:  # made by a concurrent call: wait for it, then use it
            draft = drafts.get(screening_number=number)
        else:
            return draft, True
    if draft.site_id != actor.site_id:
        raise no_such_patient(number)
    return draft, False


def _write(
    actor: Staff,
    draft: ScreeningDraft,
    created: bool,
    values: dict[str, str],
    submitted: Screening | None,
    reason: str,
    ehr_sources: Mapping[str, Any] | None = None,
) -> None:
    before = None if created else audit.snapshot(draft)
    draft.ehr_sources = _still_filled({**draft.ehr_sources, **(ehr_sources or {})}, values)
    draft.values = values
    draft.updated_by = actor
    draft.submitted = submitted
    draft.save()
    after = audit.snapshot(draft)
    for volatile in ("updated_at", "created_at"):
        after.pop(volatile, None)
        if before is not None:
            before.pop(volatile, None)
    changes = audit.changes_between(before, after)
    if created:
        audit.append(actor, "create", draft, changes)
    elif changes:
        audit.append(actor, "update", draft, changes, reason=reason)


@atomic_service
def save_draft(
    actor: Staff,
    screening_number: str,
    values: Mapping[str, object],
    ehr_sources: Mapping[str, object] | None = None,
) -> ScreeningDraft:
    """Save (or update) the draft of ``screening_number`` at the actor's site;
    ``ehr_sources`` names the EHR resources behind fields just filled from a FHIR Bundle
    (kept with the draft while those fields hold what was filled)."""
    actor = current_actor(actor)
    require_unlocked()
    require_role(actor, ENTRY_ROLES, "saving a screening draft")
    number = _number(screening_number)
    checked = _values(values)
    sources = _ehr_sources(ehr_sources or {})
    _check_patient(actor, number)
    draft, created = _locked_draft(actor, number, checked)
    _write(actor, draft, created, checked, None, "draft saved", sources)
    return draft


def read_draft(actor: Staff, screening_number: str) -> ScreeningDraft | None:
    """The draft of ``screening_number`` if it is at the actor's site (else None)."""
    actor = current_actor(actor)
    if actor.site_id is None:
        return None
    return (
        ScreeningDraft.objects.filter(screening_number=screening_number, site=actor.site_id)
        .select_related("updated_by")
        .first()
    )


def draft_elsewhere(actor: Staff, screening_number: str) -> bool:
    """Whether another site holds a draft of ``screening_number`` (it reads as unknown)."""
    actor = current_actor(actor)
    drafts = ScreeningDraft.objects.filter(screening_number=screening_number)
    if actor.site_id is not None:
        drafts = drafts.exclude(site=actor.site_id)
    return drafts.exists()


def open_drafts(actor: Staff) -> list[ScreeningDraft]:
    """The actor's site's drafts not yet submitted, newest first."""
    actor = current_actor(actor)
    if actor.site_id is None:
        return []
    return list(
        ScreeningDraft.objects.filter(site_id=actor.site_id, submitted__isnull=True)
        .select_related("updated_by")
        .order_by("-updated_at", "screening_number")
    )


@atomic_service
def submit(
    actor: Staff, record: Mapping[str, Any], values: Mapping[str, object] | None = None
) -> Submitted:
    """Store ``record`` (validated whole; nothing written when it is not) as the patient's
    new record version through :func:`screen`; ``values`` is the form as typed, kept with
    the draft. Submitting the same record again returns the version already stored."""
    actor = current_actor(actor)
    require_unlocked()
    require_role(actor, ENTRY_ROLES, "screening")
    evaluation = evaluate_record(record)
    number = evaluation.record.patient_id
    checked = _values(values or {})
    draft, created = _locked_draft(actor, number, checked)
    patient = _check_patient(actor, number)
    latest = latest_screening(patient) if patient is not None else None
    if latest is not None and latest.record == evaluation.data:
        if draft.submitted_id != latest.id or created:
            _write(actor, draft, created, checked, latest, "record submitted")
        return Submitted(latest, True)
    screening = screen(actor, evaluation.record)
    _write(actor, draft, created, checked, screening, "record submitted")
    return Submitted(screening, False)
