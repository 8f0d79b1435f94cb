"""Reading: a patient's summary, the query list of a site, a patient's audit history."""

from __future__ import annotations

import json
from typing import Any

from oligotrial.edc.models import AuditEntry, DataQuery, Role, Staff
from oligotrial.edc.services.access import current_actor, readable_patient, visible_patients
from oligotrial.errors import InputError, PermissionDenied


def patient_summary(actor: Staff, screening_number: str) -> dict[str, Any]:
    """Status, stratification and (once made) the allocation; never the list."""
    p = readable_patient(actor, screening_number)
    allocation = getattr(p, "allocation", None)
    return {
        "screening_number": p.screening_number,
        "site": p.site.code,
        "status": p.status,
        "stratification": p.stratification,
        "randomization_number": p.randomization_number,
        "arm": allocation.arm if allocation else None,
        "randomized_on": allocation.randomized_on.isoformat() if allocation else None,
        "open_queries": p.queries.filter(status="open").count(),
    }


def list_patients(actor: Staff) -> list[dict[str, Any]]:
    """Every patient ``actor`` may read, with status and (once made) the arm."""
    patients = (
        visible_patients(actor)
        .select_related("allocation")
        .order_by("site__code", "screening_number")
    )
    return [
        {
            "screening_number": p.screening_number,
            "site": p.site.code,
            "status": p.status,
            "randomization_number": p.randomization_number,
            "arm": p.allocation.arm if hasattr(p, "allocation") else None,
        }
        for p in patients
    ]


def list_queries(
    actor: Staff, site_code: str | None = None, status: str | None = "open"
) -> list[dict[str, Any]]:
    """Queries of the sites ``actor`` sees (optionally one site; ``status`` None: all)."""
    actor = current_actor(actor)
    if actor.role == Role.STATISTICIAN:
        raise PermissionDenied("statisticians do not manage data queries")
    patients = visible_patients(actor)
    qs = DataQuery.objects.filter(patient__in=patients).select_related("site", "patient")
    if site_code:
        qs = qs.filter(site__code=site_code)
    if status:
        qs = qs.filter(status=status)
    return [
        {
            "id": q.id,
            "site": q.site.code,
            "patient": q.patient.screening_number,
            "record": f"{q.model}#{q.object_id}",
            "field": q.field,
            "rule": q.rule,
            "message": q.message,
            "status": q.status,
            "opened_at": q.opened_at.isoformat(),
        }
        for q in qs
    ]


def require_history_reader(actor: Staff) -> None:
    """Audit history and data queries are for site staff, monitors and data managers."""
    if current_actor(actor).role == Role.STATISTICIAN:
        raise PermissionDenied("the patient history is for site staff, monitors and data managers")


def patient_history(actor: Staff, screening_number: str) -> list[dict[str, Any]]:
    """Every audit entry of the patient, oldest first (monitors and data managers included)."""
    require_history_reader(actor)
    patient = readable_patient(actor, screening_number)
    entries = AuditEntry.objects.filter(patient=patient.screening_number).order_by("seq")
    if not entries.exists():
        raise InputError("patient", f"no history for {screening_number}")
    return [
        {
            "seq": e.seq,
            "at": e.at.isoformat(),
            "actor": e.actor,
            "role": e.role,
            "action": e.action,
            "record": f"{e.model}#{e.object_id}",
            "changes": json.loads(e.changes),
            "reason": e.reason,
            "hash": e.hash,
        }
        for e in entries
    ]
