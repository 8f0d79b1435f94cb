"""The audit trail: hash chain verification, append-only triggers, reasons, export, crashes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, connections, transaction
from edc_support import TODAY, TrialDb, build_trial, enrol, randomized_patients

from oligotrial.edc import services
from oligotrial.edc.models import (
    Allocation,
    AllocationSlot,
    AuditEntry,
    Consent,
    LabResult,
    Patient,
    Screening,
    Visit,
)
from oligotrial.errors import InputError

HERE = Path(__file__).parent
SRC = HERE.parents[2] / "src"


def _bypass_append_only(db: TrialDb) -> None:
    """What an attacker with database-owner rights would do first."""
    with connection.cursor() as cur:
        if db.vendor == "postgresql":
            cur.execute("ALTER TABLE edc_auditentry DISABLE TRIGGER USER")
        else:
            cur.execute("DROP TRIGGER edc_auditentry_no_update")
            cur.execute("DROP TRIGGER edc_auditentry_no_delete")


def test_untouched_chain_verifies(trial_db: TrialDb) -> None:
    randomized_patients()
    report = services.verify_chain()
    assert report.ok and report.entries == report.head_seq > 10


def test_audit_rows_refuse_update_and_delete(trial_db: TrialDb) -> None:
    randomized_patients()
    for statement in (
        "UPDATE edc_auditentry SET reason = 'x' WHERE seq = 2",
        "DELETE FROM edc_auditentry WHERE seq = 2",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(statement)
    assert services.verify_chain().ok


def test_edited_row_is_detected(trial_db: TrialDb) -> None:
    randomized_patients()
    _bypass_append_only(trial_db)
    target = AuditEntry.objects.filter(model="edc.Allocation").order_by("seq").first()
    assert target is not None
    AuditEntry.objects.filter(pk=target.pk).update(
        changes=target.changes.replace('"A"', '"B"')
        if '"A"' in target.changes
        else target.changes.replace('"B"', '"A"')
    )
    report = services.verify_chain()
    assert not report.ok
    assert (target.seq, "content does not match its hash (edited)") in report.problems


@pytest.mark.parametrize("where", ["middle", "tail"])
def test_deleted_row_is_detected(trial_db: TrialDb, where: str) -> None:
    randomized_patients()
    _bypass_append_only(trial_db)
    last = AuditEntry.objects.order_by("-seq").first()
    assert last is not None
    seq = 5 if where == "middle" else last.seq
    AuditEntry.objects.filter(seq=seq).delete()
    report = services.verify_chain()
    assert not report.ok
    assert any(s == seq or "removed at the end" in p for s, p in report.problems)


def test_correction_needs_a_reason_and_is_recorded(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001")
    lab = services.record(
        c,
        "S01-001",
        "lab",
        {"analyte": "albumin", "value": 3.5, "unit": "g/L", "sampled_on": TODAY},
    )
    before = AuditEntry.objects.count()
    with pytest.raises(InputError, match="reason"):
        services.correct_value(c, "lab", lab.pk, "value", 35.0, reason=" ")
    assert AuditEntry.objects.count() == before
    services.correct_value(c, "lab", lab.pk, "value", 35.0, reason="entered in g/dL by mistake")
    history = services.patient_history(c, "S01-001")
    update = [h for h in history if h["action"] == "update"][-1]
    assert update["changes"] == {"value": [3.5, 35.0]}
    assert update["reason"] == "entered in g/dL by mistake" and update["actor"] == "coord-S01"
    assert history[0]["action"] == "create" and history[0]["record"].startswith("edc.Patient")
    assert services.verify_chain().ok


def _run_and_kill(db: TrialDb, prefix: str, pause: float) -> int:
    env = {**os.environ, **db.env, "PYTHONPATH": os.pathsep.join([str(SRC), str(HERE)])}
    child = subprocess.Popen(
        [sys.executable, str(HERE / "crash_writer.py"), prefix],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    done = 0
    deadline = time.monotonic() + 60
    while done < 4 and time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        done += line.startswith("done ")
    assert done >= 4, child.stderr.read() if child.stderr else ""
    time.sleep(pause)  # land somewhere inside a later step's transactions
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    connections.close_all()
    return done


def _assert_whole_transactions(done: int) -> None:
    report = services.verify_chain()
    assert report.ok, report.problems
    for model in (Patient, Screening, Consent, Allocation, Visit, LabResult):
        created = AuditEntry.objects.filter(
            model=model._meta.label, action__in=["create", "randomize"]
        ).exclude(model="edc.Patient", action="randomize")
        assert set(created.values_list("object_id", flat=True)) == {
            str(pk) for pk in model.objects.values_list("pk", flat=True)
        }, model.__name__
    allocations = Allocation.objects.count()
    assert AllocationSlot.objects.filter(patient__isnull=False).count() == allocations >= done
    # a patient has all scheduled visits or none: never half a schedule
    # (baseline, weeks 8..48, weeks 60..156 within the default 156-week horizon)
    for patient in Patient.objects.filter(status="randomized"):
        assert patient.visits.count() in {0, 1 + 6 + 9}


@pytest.mark.slow
def test_killed_writer_leaves_whole_transactions(trial_db: TrialDb) -> None:
    build_trial(slots_per_stratum=400)
    for k, pause in enumerate((0.05, 0.137, 0.31)):
        done = _run_and_kill(trial_db, f"K{k}", pause)
        _assert_whole_transactions(done)
    # and the database takes new work
    c = services.get_actor("coord-S01")
    enrol(c, "AFTER-1")
    services.randomize(c, "AFTER-1", randomized_on=TODAY)
    assert services.verify_chain().ok
