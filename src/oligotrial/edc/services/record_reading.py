"""Reading a patient's records for the API: record versions with their verdicts, visits, and
the records of one kind. Site isolation as everywhere (:func:`readable_patient`): another
site's patient reads exactly like one that does not exist."""

from __future__ import annotations

from typing import Any

from oligotrial.edc.models import LesionMeasurement, Staff
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import readable_patient
from oligotrial.edc.services.kinds import kind_of


def screening_verdicts(actor: Staff, screening_number: str) -> list[dict[str, Any]]:
    """Every stored record version of the patient (oldest first) with the engine's overall
    verdict and per-criterion verdicts."""
    patient = readable_patient(actor, screening_number)
    return [
        {
            "version": s.version,
            "origin": s.origin,
            "reason": s.reason,
            "screened_on": s.screened_on.isoformat(),
            "evaluated_at": s.evaluated_at.isoformat(),
            "overall": s.overall or ("eligible" if s.eligible else "ineligible"),
            "eligible": s.eligible,
            "protocol_id": s.protocol_id,
            "protocol_version": s.protocol_version,
            "strata": dict(s.strata),
            "verdicts": list(s.verdicts),
        }
        for s in patient.screenings.order_by("version")
    ]


def patient_visits(actor: Staff, screening_number: str) -> list[dict[str, Any]]:
    patient = readable_patient(actor, screening_number)
    return [
        {
            "number": v.number,
            "kind": v.kind,
            "due_date": v.due_date.isoformat() if v.due_date else None,
            "window_days": v.window_days,
            "visit_date": v.visit_date.isoformat() if v.visit_date else None,
            "status": v.status,
        }
        for v in patient.visits.order_by("number")
    ]


def patient_records(actor: Staff, screening_number: str, kind_name: str) -> list[dict[str, Any]]:
    """The patient's records of ``kind_name``, each with its id and every stored value
    (references by id, as in the audit trail)."""
    patient = readable_patient(actor, screening_number)
    kind = kind_of(kind_name)
    manager = kind.model._default_manager
    if kind.model is LesionMeasurement:
        rows = manager.filter(lesion__patient=patient)
    else:
        rows = manager.filter(patient=patient)
    return [{"id": row.pk, "values": audit.snapshot(row)} for row in rows.order_by("pk")]
