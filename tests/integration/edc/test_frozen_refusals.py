"""A refused change of frozen data is audited (who, which record and field, why) in a step
of its own after the call rolled back; nothing of the data changes and the chain holds."""

from __future__ import annotations

import json

import pytest
from edc_support import TODAY, TrialDb, randomized_patients
from typer.testing import CliRunner

from oligotrial.cli import app
from oligotrial.edc import services
from oligotrial.edc.audit_reconcile import reconcile
from oligotrial.edc.models import AuditEntry, LabResult
from oligotrial.errors import StateError

LAB = {"analyte": "albumin", "value": 38.0, "unit": "g/L", "sampled_on": TODAY}


def _last_seq() -> int:
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_a_refused_correction_of_a_frozen_form_leaves_one_refusal_entry(
    trial_db: TrialDb,
) -> None:
    t = randomized_patients(1)
    c = t.coord["S01"]
    lab = services.record(c, "S01-000", "lab", LAB)
    services.freeze(t.dm, "S01-000", scope="form", kind="lab", record_id=lab.pk, reason="SDV done")
    before = _last_seq()
    with pytest.raises(StateError, match=f"lab {lab.pk} of patient S01-000 is frozen"):
        services.correct_value(c, "lab", lab.pk, "value", 39.0, reason="typo")
    assert LabResult.objects.get(pk=lab.pk).value == 38.0
    entries = list(AuditEntry.objects.filter(seq__gt=before))
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.actor, entry.role, entry.action) == ("coord-S01", "coordinator", "refused")
    assert (entry.model, entry.object_id) == ("edc.LabResult", str(lab.pk))
    assert entry.patient == "S01-000"
    assert json.loads(entry.changes) == {
        "action": [None, f"update of lab {lab.pk}"],
        "fields": [None, ["value"]],
    }
    assert entry.reason.startswith(f"lab {lab.pk} of patient S01-000 is frozen")
    assert "by dm: SDV done" in entry.reason
    assert services.verify_chain().ok
    sqlite = trial_db.vendor == "sqlite"
    extra = ["--data-dir", trial_db.env["OLIGOTRIAL_DATA_DIR"]] if sqlite else []
    result = CliRunner().invoke(app, ["audit", "verify", *extra], env=trial_db.env)
    assert result.exit_code == 0 and json.loads(result.stdout)["ok"] is True
    assert reconcile().ok  # the refusal adds no row and changes no value in the replay


def test_a_refusal_inside_a_frozen_patient_names_the_new_record_it_would_have_made(
    trial_db: TrialDb,
) -> None:
    t = randomized_patients(1)
    services.freeze(t.dm, "S01-000", scope="patient", reason="patient complete")
    before = _last_seq()
    with pytest.raises(StateError, match="patient S01-000 is frozen"):
        services.record(t.coord["S01"], "S01-000", "lab", LAB)
    assert not LabResult.objects.exists()
    entry = AuditEntry.objects.get(seq__gt=before)
    assert (entry.action, entry.model, entry.patient) == ("refused", "edc.Patient", "S01-000")
    changes = json.loads(entry.changes)
    assert changes["action"] == [None, "create of new lab"]
    assert "value" in changes["fields"][1] and "analyte" in changes["fields"][1]
    assert services.verify_chain().ok and reconcile().ok
