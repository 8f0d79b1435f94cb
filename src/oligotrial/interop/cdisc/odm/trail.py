"""The audit trail of the patients a reader may see, as typed entries for the ODM export.

Every change to a patient's data is one hash-chained audit entry (who, role, when, site,
what: ``{field: [old, new]}``, why). Read-only; statistician, data manager or monitor,
with the site isolation of every other read.
"""

from __future__ import annotations

import json

from oligotrial.edc.export import READERS
from oligotrial.edc.models import AuditEntry, Site, Staff
from oligotrial.edc.services.access import require_role, visible_patients
from oligotrial.edc.trial_config import current_config, current_protocol
from oligotrial.interop.cdisc.odm.model import Trail, TrailEntry


def audit_trail(actor: Staff) -> Trail:
    """Every audit entry of the patients ``actor`` may read, in chain order."""
    require_role(actor, READERS, "exporting the clinical data")
    config = current_config()
    numbers = set(visible_patients(actor).values_list("screening_number", flat=True))
    rows = AuditEntry.objects.exclude(patient="").order_by("seq")
    entries = tuple(
        TrailEntry(
            e.seq,
            e.at,
            e.actor,
            e.action,
            e.model,
            e.object_id,
            e.patient,
            e.site,
            {k: (v[0], v[1]) for k, v in json.loads(e.changes).items()},
            e.reason,
        )
        for e in rows
        if e.patient in numbers
    )
    return Trail(
        config.protocol_id,
        current_protocol().title,
        config.protocol_version,
        dict(Site.objects.values_list("code", "name")),
        entries,
    )
