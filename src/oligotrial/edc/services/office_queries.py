"""Queries as the trial office works them: across sites, raised by hand on any value, a
conversation per query, closed by a data manager or a monitor.

A query's office state is *open* (waiting for the site), *answered* (the site wrote last)
or *closed*. Every write is one transaction with its audit entry; a refused close is itself
audited (``refused``), since a regulator asks who tried to close what (ICH E6(R3) 3.16.1;
21 CFR 11.10(e)). A query of a patient the actor may not see reads as one that does not exist.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from oligotrial.edc.models import DataQuery, QueryAnswer, QueryMessage, Role, Staff
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import (
    current_actor,
    lock_patient,
    require_role,
    require_unlocked,
    visible_patients,
)
from oligotrial.edc.services.kinds import kind_of, patient_of
from oligotrial.edc.services.refusals import record_refusal
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import require_int, require_text
from oligotrial.errors import InputError, OligotrialError, PermissionDenied, StateError

#: Who raises, follows up and closes queries.
OFFICE = frozenset({Role.DATA_MANAGER, Role.MONITOR})
STATES = ("open", "answered", "closed")
MAX_TEXT = 2000
MANUAL = "manual"


def _office(actor: Staff, action: str) -> Staff:
    staff = current_actor(actor)
    require_role(staff, OFFICE, action)
    return staff


def office_queries(
    actor: Staff,
    *,
    site: str | None = None,
    state: str | None = None,
    older_than_days: int | None = None,
) -> QuerySet[DataQuery]:
    """The queries of the sites the actor sees, newest first, each annotated with
    ``last_answer_at``, ``last_message_at`` and ``answered`` (one query to read them)."""
    staff = _office(actor, "reading the trial's queries")
    if state not in (None, "", *STATES):
        raise InputError("status", f"unknown status {state!r}; one of {', '.join(STATES)}")
    answers = QueryAnswer.objects.filter(query=OuterRef("pk")).order_by("-answered_at", "-id")
    notes = QueryMessage.objects.filter(query=OuterRef("pk")).order_by("-written_at", "-id")
    qs = (
        DataQuery.objects.filter(patient__in=visible_patients(staff))
        .select_related("site", "patient")
        .annotate(
            last_answer_at=Subquery(answers.values("answered_at")[:1]),
            last_message_at=Subquery(notes.values("written_at")[:1]),
        )
        .order_by("-opened_at", "-id")
    )
    answered = Q(status="open", last_answer_at__isnull=False) & (
        Q(last_message_at__isnull=True) | Q(last_answer_at__gt=F("last_message_at"))
    )
    if site:
        qs = qs.filter(site__code=require_text(site, "site", max_length=16))
    if state == "closed":
        qs = qs.filter(status="closed")
    elif state == "answered":
        qs = qs.filter(answered)
    elif state == "open":
        qs = qs.filter(status="open").exclude(answered)
    if older_than_days is not None:
        days = require_int(older_than_days, "age")
        if days < 0:
            raise InputError("age", "the age is a number of days, 0 or more")
        qs = qs.filter(opened_at__lte=timezone.now() - dt.timedelta(days=days))
    return qs


def state_of(q: Any) -> str:
    """open, answered or closed, from a query annotated by :func:`office_queries`."""
    if q.status == "closed":
        return "closed"
    answer, message = q.last_answer_at, q.last_message_at
    return "answered" if answer and (message is None or answer > message) else "open"


def visible_query(actor: Staff, query_id: object) -> DataQuery:
    """One query of the actor's sites (annotated as in the list); another site's is unknown."""
    number = require_int(query_id, "query_id")
    found = office_queries(actor).filter(pk=number).first()
    if found is None:
        raise InputError("query_id", f"no query {number} at your site(s)")
    return found


@dataclass(frozen=True)
class Entry:
    """One turn of a query's conversation."""

    at: dt.datetime
    author: Staff
    text: str
    side: str  # office | site


def conversation(query: DataQuery) -> list[Entry]:
    """The office's messages and the site's answers, oldest first (two queries)."""
    office = [
        Entry(m.written_at, m.author, m.text, "office")
        for m in query.messages.select_related("author").all()
    ]
    site = [
        Entry(a.answered_at, a.answered_by, a.text, "site")
        for a in query.answers.select_related("answered_by").all()
    ]
    return sorted(office + site, key=lambda e: e.at)


@atomic_service
def raise_query(actor: Staff, kind_name: str, record_id: int, field: str, text: str) -> DataQuery:
    """Open a query by hand on one value of one record (data managers, monitors)."""
    staff = _office(actor, "raising a query")
    require_unlocked()
    kind = kind_of(kind_name)
    number = require_int(record_id, "record_id")
    record = kind.model._default_manager.filter(pk=number).first()
    patient = patient_of(record) if record is not None else None
    if (
        record is None
        or patient is None
        or not visible_patients(staff).filter(pk=patient.pk).exists()
    ):
        raise InputError("record_id", f"no {kind_name} {record_id} at your site(s)")
    names = {f.name for f in kind.model._meta.concrete_fields if not f.primary_key}
    if require_text(field, "field", max_length=60) not in names:
        raise InputError("field", f"a {kind_name} has no value {field!r}")
    body = require_text(text, "text", max_length=MAX_TEXT, blank=False).strip()
    patient = lock_patient(patient)
    query = DataQuery.objects.create(
        site=patient.site,
        patient=patient,
        model=kind.model._meta.label,
        object_id=str(record.pk),
        field=field,
        rule=MANUAL,
        message=body if len(body) <= 300 else body[:299] + "…",
    )
    audit.append(
        staff,
        "query-open",
        query,
        audit.changes_between(None, audit.snapshot(query)),
        patient=patient,
    )
    _message(staff, query, body)
    return query


def _message(staff: Staff, query: DataQuery, body: str) -> QueryMessage:
    note = QueryMessage.objects.create(query=query, author=staff, text=body)
    audit.append(
        staff,
        "query-message",
        note,
        audit.changes_between(None, audit.snapshot(note)),
        patient=query.patient,
    )
    return note


@atomic_service
def post_message(actor: Staff, query_id: int, text: str) -> QueryMessage:
    """The office's follow-up on an open query (e.g. the site's answer does not suffice)."""
    staff = _office(actor, "writing on a query")
    require_unlocked()
    query = visible_query(staff, query_id)
    body = require_text(text, "text", max_length=MAX_TEXT, blank=False).strip()
    lock_patient(query.patient)
    query = DataQuery.objects.select_for_update().select_related("patient__site").get(pk=query.pk)
    if query.status != "open":
        raise StateError(f"query {query.pk} is closed; reopen it by raising a new one")
    return _message(staff, query, body)


@atomic_service
def _close(actor: Staff, query_id: object, reason: str) -> DataQuery:
    staff = current_actor(actor)
    require_unlocked()
    number = require_int(query_id, "query_id")
    query = (
        DataQuery.objects.select_related("patient__site")
        .filter(pk=number, patient__in=visible_patients(staff))
        .first()
    )
    if query is None:
        raise InputError("query_id", f"no query {number} at your site(s)")
    require_role(staff, OFFICE, "closing a query")
    why = require_text(reason, "reason", max_length=MAX_TEXT, blank=False).strip()
    patient = lock_patient(query.patient)
    query = DataQuery.objects.select_for_update().get(pk=query.pk)
    if query.status != "open":
        raise StateError(f"query {query.pk} is already {query.status}")
    before = audit.snapshot(query)
    query.status, query.closed_at = "closed", timezone.now()
    query.save(update_fields=["status", "closed_at"])
    audit.append(
        staff,
        "query-close",
        query,
        audit.changes_between(before, audit.snapshot(query)),
        reason=why,
        patient=patient,
    )
    return query


def close_query(actor: Staff, query_id: int, *, reason: str) -> DataQuery:
    """Close an open query with a reason (data managers and monitors); a refusal for want of
    the role is audited before it is reported."""
    try:
        return _close(actor, query_id, reason)
    except PermissionDenied as exc:
        with contextlib.suppress(OligotrialError):
            query = (
                DataQuery.objects.select_related("patient__site").filter(pk=query_id).first()
                if type(query_id) is int
                else None
            )
            if query is not None:
                record_refusal(actor, query, query.patient, "query-close", str(exc))
        raise
