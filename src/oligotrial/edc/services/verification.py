"""Source data verification (SDV) by monitors: one field, one form (every field of one
record) or one visit (the visit and every record taken at it) in one action.

A verification is audited (``sdv``); a later change of a verified value (a correction, a
dose change) turns its verification to *changed* in the same transaction, with the change's
reason, so the value reads as unverified where it is shown until a monitor verifies it again
(ICH E6(R3) 3.11.4: monitoring confirms data against the source; REDCap's monitors cannot
verify a whole form at once). A monitor bound to a site verifies only its patients.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count
from django.utils import timezone

from oligotrial.edc.models import (
    Patient,
    Role,
    SourceVerification,
    Staff,
    VerificationState,
    Visit,
    VisitStatus,
)
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import (
    current_actor,
    lock_patient,
    readable_patient,
    require_role,
    require_unlocked,
    visible_patients,
)
from oligotrial.edc.services.kinds import KINDS, Kind, kind_of, patient_of
from oligotrial.edc.services.refusals import record_refusal
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import require_int, require_text
from oligotrial.errors import InputError, OligotrialError, PermissionDenied

MONITORS = frozenset({Role.MONITOR})
#: Kinds recorded at a visit, by the name of their link to it.
AT_VISIT = {"lab": "visit", "measurement": "visit"}


def verifiable_fields(kind: Kind) -> tuple[str, ...]:
    """The values of a kind a monitor checks at source: entered values, not links, keys,
    derived values (``fixed``) or times the database stamps."""
    return tuple(
        f.name
        for f in kind.model._meta.concrete_fields
        if not f.primary_key
        and not f.is_relation
        and f.editable
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
        and f.name not in kind.fixed
    )


def _patient_link(kind: Kind) -> str:
    return "lesion__patient" if kind.name == "measurement" else "patient"


def recorded(kind: Kind) -> models.QuerySet[Any]:
    """The records of a kind that hold data (a visit only once done or missed)."""
    qs = kind.model._default_manager.all()
    if kind.name == "visit":
        qs = qs.exclude(status=VisitStatus.SCHEDULED)
    return qs


@dataclass(frozen=True)
class Verified:
    """What one action verified: how many fields, newly or again."""

    fields: int


def _record(actor: Staff, kind_name: str, record_id: object) -> tuple[Kind, Any, Patient]:
    kind = kind_of(kind_name)
    number = require_int(record_id, "record_id")
    found = recorded(kind).filter(pk=number).first()
    patient = patient_of(found) if found is not None else None
    if patient is None or not visible_patients(actor).filter(pk=patient.pk).exists():
        raise InputError("record_id", f"no {kind_name} {record_id} at your site(s)")
    return kind, found, patient


def _mark(actor: Staff, patient: Patient, kind: Kind, record: Any, names: Iterable[str]) -> int:
    """Verify ``names`` of ``record`` (already verified ones are left as they are)."""
    now = timezone.now()
    rows = {
        v.field: v
        for v in SourceVerification.objects.select_for_update().filter(
            kind=kind.name, object_id=str(record.pk)
        )
    }
    done = 0
    for name in names:
        row = rows.get(name)
        if row is not None and row.state == VerificationState.VERIFIED:
            continue
        before = audit.snapshot(row) if row is not None else None
        if row is None:
            row = SourceVerification(
                site=patient.site,
                patient=patient,
                kind=kind.name,
                object_id=str(record.pk),
                field=name,
            )
        row.state, row.verified_by, row.verified_at = VerificationState.VERIFIED, actor, now
        row.changed_at, row.change_reason = None, ""
        row.save()
        audit.append(
            actor, "sdv", row, audit.changes_between(before, audit.snapshot(row)), patient=patient
        )
        done += 1
    return done


def verify(
    actor: Staff,
    kind_name: str,
    record_id: int,
    field: str | None = None,
    *,
    of_patient: str | None = None,
) -> Verified:
    """Verify one field of a record, or (``field`` None) every field of it: the whole form
    (``of_patient``: refused unless the record is that patient's). A refusal for want of
    the monitor's role is audited on the record."""
    try:
        return _verify(actor, kind_name, record_id, field, of_patient)
    except PermissionDenied as exc:
        kind = KINDS.get(kind_name) if isinstance(kind_name, str) else None
        number = record_id if type(record_id) is int else None
        found = kind.model._default_manager.filter(pk=number).first() if kind else None
        if found is not None:
            with contextlib.suppress(OligotrialError):
                record_refusal(actor, found, patient_of(found), "sdv", str(exc))
        raise


@atomic_service
def _verify(
    actor: Staff, kind_name: str, record_id: int, field: str | None, of_patient: str | None
) -> Verified:
    actor = current_actor(actor)
    require_unlocked()
    require_role(actor, MONITORS, "source data verification")
    kind, record, patient = _record(actor, kind_name, record_id)
    if of_patient is not None and patient.screening_number != of_patient:
        raise InputError("record_id", f"patient {of_patient} has no {kind_name} {record_id}")
    names = verifiable_fields(kind)
    if field is not None:
        require_text(field, "field", max_length=60)
        if field not in names:
            raise InputError("field", f"{field!r} is not a verifiable value of a {kind.name}")
        names = (field,)
    lock_patient(patient)
    return Verified(_mark(actor, patient, kind, record, names))


def verify_visit(actor: Staff, screening_number: str, visit_number: int) -> Verified:
    """Verify a visit and every record taken at it (its labs and lesion measurements). A
    refusal for want of the monitor's role is audited on the visit."""
    try:
        return _verify_visit(actor, screening_number, visit_number)
    except PermissionDenied as exc:
        visit = (
            Visit.objects.select_related("patient__site")
            .filter(patient__screening_number=screening_number, number=visit_number)
            .first()
            if isinstance(screening_number, str) and type(visit_number) is int
            else None
        )
        if visit is not None:
            with contextlib.suppress(OligotrialError):
                record_refusal(actor, visit, visit.patient, "sdv", str(exc))
        raise


@atomic_service
def _verify_visit(actor: Staff, screening_number: str, visit_number: int) -> Verified:
    actor = current_actor(actor)
    require_unlocked()
    require_role(actor, MONITORS, "source data verification")
    patient = readable_patient(actor, screening_number)
    number = require_int(visit_number, "visit_number")
    visit = recorded(KINDS["visit"]).filter(patient=patient, number=number).first()
    if visit is None:
        raise InputError(
            "visit_number", f"patient {screening_number} has no recorded visit {number}"
        )
    patient = lock_patient(patient)
    total = _mark(actor, patient, KINDS["visit"], visit, verifiable_fields(KINDS["visit"]))
    for kind_name, link in AT_VISIT.items():
        kind = KINDS[kind_name]
        for record in kind.model._default_manager.filter(**{link: visit}).order_by("pk"):
            total += _mark(actor, patient, kind, record, verifiable_fields(kind))
    return Verified(total)


def unverify_changed(
    actor: Staff, patient: Patient, instance: models.Model, changes: dict[str, Any], reason: str
) -> None:
    """Within the changing service's transaction: every verified field among ``changes`` of
    ``instance`` turns to *changed* (audited), its reason the change's."""
    kind = next((k for k in KINDS.values() if k.model is type(instance)), None)
    if kind is None or not changes:
        return
    rows = SourceVerification.objects.select_for_update().filter(
        kind=kind.name,
        object_id=str(instance.pk),
        field__in=list(changes),
        state=VerificationState.VERIFIED,
    )
    now = timezone.now()
    for row in rows:
        before = audit.snapshot(row)
        row.state, row.changed_at, row.change_reason = VerificationState.CHANGED, now, reason
        row.save(update_fields=["state", "changed_at", "change_reason"])
        audit.append(
            actor,
            "sdv-void",
            row,
            audit.changes_between(before, audit.snapshot(row)),
            reason=reason,
            patient=patient,
        )


def field_states(patient: Patient) -> dict[tuple[str, str, str], SourceVerification]:
    """The patient's verifications by (kind, record id, field): one query."""
    rows = SourceVerification.objects.filter(patient=patient).select_related("verified_by")
    return {(r.kind, r.object_id, r.field): r for r in rows}


@dataclass(frozen=True)
class Progress:
    """Values recorded, verified and changed since verification, of a site or a patient."""

    name: str
    fields: int
    verified: int
    changed: int

    @property
    def left(self) -> int:
        return self.fields - self.verified


def _progress(patients: models.QuerySet[Patient], by: str) -> list[Progress]:
    """Grouped by ``by`` (a path from the patient): one aggregate query per kind, one for
    the verifications, whatever the number of patients."""
    fields: dict[str, int] = {}
    for kind in KINDS.values():
        link = _patient_link(kind)
        per_group = (
            recorded(kind)
            .filter(**{f"{link}__in": patients})
            .values(f"{link}__{by}")
            .annotate(n=Count("pk"))
        )
        width = len(verifiable_fields(kind))
        for row in per_group:
            name = row[f"{link}__{by}"]
            fields[name] = fields.get(name, 0) + row["n"] * width
    counts = (
        SourceVerification.objects.filter(patient__in=patients)
        .values(f"patient__{by}", "state")
        .annotate(n=Count("pk"))
    )
    done = {(r[f"patient__{by}"], r["state"]): r["n"] for r in counts}
    return [
        Progress(
            name,
            fields[name],
            done.get((name, VerificationState.VERIFIED), 0),
            done.get((name, VerificationState.CHANGED), 0),
        )
        for name in sorted(fields)
    ]


def _reader(actor: Staff) -> Staff:
    staff = current_actor(actor)
    require_role(staff, frozenset({Role.MONITOR, Role.DATA_MANAGER}), "reading SDV progress")
    return staff


def progress_by_site(actor: Staff) -> list[Progress]:
    """What is left to verify at each site the actor sees."""
    return _progress(visible_patients(_reader(actor)), "site__code")


def progress_by_patient(actor: Staff, site: str) -> list[Progress]:
    """What is left to verify of each patient of one site the actor sees."""
    code = require_text(site, "site", max_length=16)
    patients = visible_patients(_reader(actor)).filter(site__code=code)
    return _progress(patients, "screening_number")


def left_for_patient(actor: Staff, screening_number: str) -> list[dict[str, Any]]:
    """The patient's forms (records), each with its values and their verification state:
    what a monitor works through. A fixed number of queries (one per kind, one for SDV)."""
    patient = readable_patient(_reader(actor), screening_number)
    states = field_states(patient)
    forms: list[dict[str, Any]] = []
    for kind in KINDS.values():
        names = verifiable_fields(kind)
        records = recorded(kind).filter(**{_patient_link(kind): patient}).order_by("pk")
        if kind.name in AT_VISIT:
            records = records.select_related("visit")
        for record in records:
            values = []
            for name in names:
                row = states.get((kind.name, str(record.pk), name))
                values.append({"name": name, "value": getattr(record, name), "sdv": row})
            forms.append(
                {
                    "kind": kind.name,
                    "record": record,
                    "values": values,
                    "left": sum(
                        1 for v in values if v["sdv"] is None or v["sdv"].state != "verified"
                    ),
                    "visit": _visit_number(kind, record),
                }
            )
    return forms


def _visit_number(kind: Kind, record: Any) -> int | None:
    if kind.name == "visit":
        return int(record.number)
    visit = getattr(record, "visit", None) if kind.name in AT_VISIT else None
    return int(visit.number) if isinstance(visit, Visit) else None
