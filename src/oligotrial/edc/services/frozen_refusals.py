"""Auditing a refused change of frozen data (21 CFR 11.10(e); ICH E6(R3) 3.16.1).

The refused call rolls back, with every entry it had recorded; this step then writes one
``refused`` entry in a transaction of its own: who tried, which record and which of its
fields, and the refusal (what is frozen, since when, by whom and why) as the reason. A
refused creation is recorded on the patient, since the record it would have made does not
exist; the entry names its kind.
"""

from __future__ import annotations

from oligotrial.edc.models import Patient
from oligotrial.edc.services import audit
from oligotrial.edc.services.data_guard import Change, kind_name
from oligotrial.edc.services.transactions import atomic_service


@atomic_service
def record_frozen_refusal(change: Change, problem: str) -> None:
    """One ``refused`` entry for ``change``, refused because its data are frozen."""
    patient = Patient.objects.select_related("site").get(pk=change.patient.pk)
    instance = change.instance
    kind = kind_name(instance) or instance._meta.model_name
    exists = (
        change.action != "create"
        and type(instance)._default_manager.filter(pk=instance.pk).exists()
    )
    record = f"{kind} {instance.pk}" if exists else f"new {kind}"
    fields = sorted(f for f in change.fields if f != "id")
    audit.append(
        change.actor,
        "refused",
        instance if exists else patient,
        {"action": [None, f"{change.action} of {record}"], "fields": [None, fields]},
        reason=problem,
        patient=patient,
    )
