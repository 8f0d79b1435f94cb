"""The database lock for analysis, its pre-lock checklist, and unlocking (data managers).

The lock is refused while the checklist has open items: queries not closed, randomized
patients whose casebook has no signature in force, overdue visits (window passed, follow-up
not ended) and, once source data verification is in use (any verification recorded),
records not verified or changed since. A refused lock is audited with what was open.
Unlocking needs a reason and is audited. Every change refuses once locked
(services.access.require_unlocked).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from oligotrial.edc.models import (
    DataQuery,
    Death,
    LesionMeasurement,
    Patient,
    Role,
    Signature,
    SourceVerification,
    Staff,
    TrialState,
    Visit,
    VisitStatus,
    Withdrawal,
)
from oligotrial.edc.schedule import window_closed
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import current_actor, require_role
from oligotrial.edc.services.kinds import KINDS
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import require_text
from oligotrial.errors import InputError, StateError

LOCKERS = frozenset({Role.DATA_MANAGER})
CATEGORIES = ("open_query", "unsigned_casebook", "unverified_form", "overdue_visit")


@dataclass(frozen=True)
class OpenItem:
    category: str  # one of CATEGORIES
    patient: str  # screening number
    detail: str
    visit_number: int | None = None  # of an overdue visit


@dataclass(frozen=True)
class Checklist:
    items: tuple[OpenItem, ...]
    #: whether source data verification is in use (its table exists and has rows)
    sdv_in_use: bool

    @property
    def clear(self) -> bool:
        return not self.items

    def count(self, category: str) -> int:
        return sum(1 for item in self.items if item.category == category)

    def summary(self) -> str:
        parts = [f"{self.count(c)} {c.replace('_', ' ')}" for c in CATEGORIES if self.count(c)]
        return ", ".join(parts)


class LockRefused(StateError):
    """The lock was refused: the checklist has open items (``checklist``)."""

    def __init__(self, checklist: Checklist) -> None:
        self.checklist = checklist
        super().__init__(
            f"the database cannot be locked while items are open: {checklist.summary()}"
        )


def _open_queries() -> list[OpenItem]:
    rows = DataQuery.objects.exclude(status="closed").select_related("patient")
    return [
        OpenItem("open_query", q.patient.screening_number, f"{q.model} {q.object_id} {q.field}")
        for q in rows.order_by("patient__screening_number", "id")
    ]


def _randomized() -> list[Patient]:
    rows = Patient.objects.exclude(randomization_number=None)
    return list(rows.order_by("screening_number"))


def _unsigned(patients: list[Patient]) -> list[OpenItem]:
    signed = set(
        Signature.objects.filter(visit=None, voided_at=None).values_list("patient_id", flat=True)
    )
    return [
        OpenItem("unsigned_casebook", p.screening_number, "casebook not signed")
        for p in patients
        if p.pk not in signed
    ]


def _overdue(today: dt.date) -> list[OpenItem]:
    ended = set(Death.objects.values_list("patient_id", flat=True))
    ended |= set(Withdrawal.objects.values_list("patient_id", flat=True))
    rows = Visit.objects.filter(status=VisitStatus.SCHEDULED, due_date__lt=today)
    items = []
    for v in rows.select_related("patient").order_by("patient__screening_number", "number"):
        assert v.due_date is not None
        if window_closed(v.kind, v.due_date, v.window_days, today) and v.patient_id not in ended:
            sn = v.patient.screening_number
            items.append(OpenItem("overdue_visit", sn, f"visit {v.number}", v.number))
    return items


def _unverified(patients: list[Patient]) -> tuple[bool, list[OpenItem]]:
    """Records of randomized patients not verified (or changed since), when SDV is in use."""
    rows = list(SourceVerification.objects.values_list("kind", "object_id", "state"))
    if not rows:
        return False, []
    verified = {(k, o) for k, o, s in rows if s == "verified"}
    verified -= {(k, o) for k, o, s in rows if s != "verified"}
    by_pk = {p.pk: p.screening_number for p in patients}
    items = []
    for name, kind in sorted(KINDS.items()):
        owner = "lesion__patient_id" if kind.model is LesionMeasurement else "patient_id"
        records = kind.model._default_manager.filter(**{f"{owner}__in": list(by_pk)})
        for pk, patient_id in records.values_list("pk", owner).order_by(owner, "pk"):
            if (name, str(pk)) not in verified:
                items.append(OpenItem("unverified_form", by_pk[patient_id], f"{name} {pk}"))
    return True, items


def prelock_checklist(today: dt.date | None = None) -> Checklist:
    """What must be closed before the database may be locked."""
    day = today or timezone.localdate()
    patients = _randomized()
    sdv, unverified = _unverified(patients)
    items = [*_open_queries(), *_unsigned(patients), *unverified, *_overdue(day)]
    return Checklist(tuple(items), sdv)


def checklist_for(actor: Staff) -> Checklist:
    """The checklist, for the data managers who lock."""
    require_role(actor, LOCKERS, "reading the pre-lock checklist")
    return prelock_checklist()


def _reason(reason: object, action: str) -> str:
    text = require_text(reason, "reason", max_length=2000)
    if not text.strip():
        raise InputError("reason", f"a reason is required to {action} the database")
    return text.strip()


def lock_database(actor: Staff, *, reason: str) -> TrialState:
    """Lock the database for analysis (data managers), refused (and the refusal audited)
    while the pre-lock checklist has open items."""
    try:
        return _lock(actor, reason)
    except LockRefused as refused:
        _record_refusal(actor, reason, refused.checklist)
        raise


@atomic_service
def _lock(actor: Staff, reason: str) -> TrialState:
    actor = current_actor(actor)
    require_role(actor, LOCKERS, "locking the database")
    why = _reason(reason, "lock")
    state = TrialState.objects.select_for_update().get(id=1)
    if state.locked:
        raise StateError("the database is already locked")
    checklist = prelock_checklist()
    if not checklist.clear:
        raise LockRefused(checklist)
    before = audit.snapshot(state)
    state.locked, state.locked_at, state.locked_by = True, timezone.now(), actor.username
    state.save()
    changes = audit.changes_between(before, audit.snapshot(state))
    audit.append(actor, "lock", state, changes, reason=why)
    return state


@atomic_service
def _record_refusal(actor: Staff, reason: str, checklist: Checklist) -> None:
    state = TrialState.objects.get(id=1)
    open_items = {c: checklist.count(c) for c in CATEGORIES}
    audit.append(
        actor,
        "lock_refused",
        state,
        {"open_items": [None, open_items]},
        reason=f"{reason.strip()} (refused: {checklist.summary()})",
    )


@atomic_service
def unlock_database(actor: Staff, *, reason: str) -> TrialState:
    """Unlock the database (data managers); the reason is required and audited."""
    actor = current_actor(actor)
    require_role(actor, LOCKERS, "unlocking the database")
    why = _reason(reason, "unlock")
    state = TrialState.objects.select_for_update().get(id=1)
    if not state.locked:
        raise StateError("the database is not locked")
    before = audit.snapshot(state)
    state.locked = False
    state.unlocked_at, state.unlocked_by, state.unlock_reason = timezone.now(), actor.username, why
    state.save()
    changes = audit.changes_between(before, audit.snapshot(state))
    audit.append(actor, "unlock", state, changes, reason=why)
    return state
