"""Recording a refused action in the audit trail (``refused``: who tried what on which
record, the refusal as reason), in its own transaction after the refused call rolled back.

Only refusals for want of a role are recorded, on a record the actor can see: a record of
another site reads as unknown and leaves no trace (21 CFR 11.10(d), (e); ICH E6(R3) 3.16.1).
"""

from __future__ import annotations

from django.db import models

from oligotrial.edc.models import Patient, Staff
from oligotrial.edc.services import audit
from oligotrial.edc.services.access import current_actor, visible_patients
from oligotrial.edc.services.transactions import atomic_service


@atomic_service
def record_refusal(
    actor: Staff, instance: models.Model, patient: Patient, action: str, problem: str
) -> None:
    staff = current_actor(actor)
    if not visible_patients(staff).filter(pk=patient.pk).exists():
        return
    audit.append(
        staff, "refused", instance, {"action": [None, action]}, reason=problem, patient=patient
    )
