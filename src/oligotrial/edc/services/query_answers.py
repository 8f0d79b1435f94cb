"""Answering a data query: the site (coordinator or investigator) explains or confirms the
value; one transaction, audited (``query-answer``).

An answer does not close the query: an automatic query closes when the value is corrected
(:func:`oligotrial.edc.services.edit_checks.run_edit_checks`), so the record and the rule
stay the judge of the data (ICH E6(R3) 3.16.1: changes to data are made, explained and
audited at the data). A query of another site's patient reads as one that does not exist.
"""

from __future__ import annotations

from oligotrial.edc.models import DataQuery, QueryAnswer, Staff
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import (
    ENTRY_ROLES,
    current_actor,
    lock_patient,
    require_role,
    require_unlocked,
)
from oligotrial.edc.services.transactions import atomic_service
from oligotrial.edc.services.validation import require_int, require_text
from oligotrial.errors import InputError, StateError

MAX_ANSWER = 2000


@atomic_service
def answer_query(actor: Staff, query_id: int, text: str) -> QueryAnswer:
    """Record ``actor``'s answer to the open query ``query_id`` of a patient of their site."""
    actor = current_actor(actor)
    require_unlocked()
    require_role(actor, ENTRY_ROLES, "answering a query")
    number = require_int(query_id, "query_id")
    query = DataQuery.objects.select_related("patient__site").filter(pk=number).first()
    if query is None or query.patient.site_id != actor.site_id:
        raise InputError("query_id", f"no query {query_id} at your site")
    body = require_text(text, "text", max_length=MAX_ANSWER, blank=False).strip()
    patient = lock_patient(query.patient)
    query = DataQuery.objects.select_for_update().get(pk=query.pk)
    if query.status != "open":
        raise StateError(f"query {query_id} is closed; it needs no answer")
    answer = QueryAnswer.objects.create(query=query, answered_by=actor, text=body)
    audit.append(
        actor,
        "query-answer",
        answer,
        audit.changes_between(None, audit.snapshot(answer)),
        patient=patient,
    )
    return answer
