"""Reading one data query, and closing a query by hand with a reason (data managers and
monitors).

Edit checks open and close queries themselves (:mod:`.edit_checks`); a data manager may also
close a query whose finding is accepted as it stands (e.g. a value confirmed at source),
with the reason in the audit trail (ICH E6(R3) 3.16.1: changes to data are explained).
"""

from __future__ import annotations

from typing import Any

from oligotrial.edc.models import DataQuery, Role, Staff
from oligotrial.edc.services import office_queries
from oligotrial.edc.services.access import (
    current_actor,
    visible_patients,
)
from oligotrial.edc.services.validation import require_int
from oligotrial.errors import InputError, PermissionDenied


def _visible(actor: Staff, query_id: object) -> DataQuery:
    staff = current_actor(actor)
    if staff.role == Role.STATISTICIAN:
        raise PermissionDenied("statisticians do not manage data queries")
    number = require_int(query_id, "query_id")
    query = (
        DataQuery.objects.select_related("site", "patient")
        .filter(pk=number, patient__in=visible_patients(staff))
        .first()
    )
    if query is None:
        raise InputError("query_id", f"no query {number} at your site(s)")
    return query


def describe(q: DataQuery) -> dict[str, Any]:
    return {
        "id": q.id,
        "site": q.site.code,
        "patient": q.patient.screening_number,
        "record": f"{q.model}#{q.object_id}",
        "field": q.field,
        "rule": q.rule,
        "message": q.message,
        "status": q.status,
        "opened_at": q.opened_at.isoformat(),
        "closed_at": q.closed_at.isoformat() if q.closed_at else None,
    }


def read_query(actor: Staff, query_id: int) -> dict[str, Any]:
    """One query the actor may see (another site's reads as unknown)."""
    return describe(_visible(actor, query_id))


def close_query(actor: Staff, query_id: int, *, reason: str) -> DataQuery:
    """Close an open query (data managers and monitors), the reason audited; the trial
    office's one closing path (:func:`oligotrial.edc.services.office_queries.close_query`),
    which also audits a refusal for want of the role."""
    return office_queries.close_query(actor, query_id, reason=reason)
