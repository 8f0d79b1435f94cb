"""Freezing a form, a visit or a patient (writes refused in the service layer), and the
database lock with its pre-lock checklist, refusal (audited) and unlock with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from edc_support import TODAY, TrialDb, randomized_patients
from signing_support import investigator, sign_every_casebook

from oligotrial.edc import services
from oligotrial.edc.models import AuditEntry, Freeze, LabResult, TrialState
from oligotrial.edc.services.lock import LockRefused, prelock_checklist
from oligotrial.errors import InputError, PermissionDenied, StateError

LAB = {"analyte": "albumin", "value": 38.0, "unit": "g/L", "sampled_on": TODAY}


def _trial(n: int = 1):  # type: ignore[no-untyped-def]
    t = randomized_patients(n)
    for i in range(n):
        services.schedule_visits(t.coord["S01"], f"S01-{i:03d}", horizon_weeks=24)
    return t


def test_a_frozen_visit_refuses_changes_to_its_data_and_nothing_else(trial_db: TrialDb) -> None:
    t = _trial()
    c = t.coord["S01"]
    row = services.freeze(t.dm, "S01-000", scope="visit", visit_number=0, reason="cleaned")
    before_seq = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
    with pytest.raises(StateError, match=r"visit 0 of patient S01-000 is frozen .*by dm: cleaned"):
        services.record(c, "S01-000", "lab", LAB, visit_number=0)
    with pytest.raises(StateError, match="frozen"):
        services.record_visit(c, "S01-000", 0, visit_date=TODAY)
    assert not LabResult.objects.exists()
    refused = list(AuditEntry.objects.filter(seq__gt=before_seq).order_by("seq"))
    assert [(e.action, e.model, e.patient) for e in refused] == [
        ("refused", "edc.Patient", "S01-000"),  # the lab it would have made does not exist
        ("refused", "edc.Visit", "S01-000"),
    ]
    assert "create of new lab" in refused[0].changes and "visit 0 of patient" in refused[0].reason
    services.record(c, "S01-000", "lab", LAB, visit_number=1)  # another visit: open
    services.unfreeze(t.dm, row.pk, reason="late lab report to enter")
    services.record(c, "S01-000", "lab", LAB, visit_number=0)
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "freeze" in actions and "unfreeze" in actions
    unfreeze = AuditEntry.objects.get(action="unfreeze")
    assert unfreeze.reason == "late lab report to enter" and unfreeze.patient == "S01-000"


def test_a_frozen_form_and_a_frozen_patient(trial_db: TrialDb) -> None:
    t = _trial()
    c = t.coord["S01"]
    lab = services.record(c, "S01-000", "lab", LAB)
    other = services.record(c, "S01-000", "lab", {**LAB, "analyte": "bilirubin", "unit": "umol/L"})
    services.freeze(t.dm, "S01-000", scope="form", kind="lab", record_id=lab.pk, reason="SDV done")
    with pytest.raises(StateError, match=f"lab {lab.pk} of patient S01-000 is frozen"):
        services.correct_value(c, "lab", lab.pk, "value", 39.0, reason="typo")
    services.correct_value(c, "lab", other.pk, "value", 12.0, reason="typo")
    services.freeze(t.dm, "S01-000", scope="patient", reason="patient complete")
    with pytest.raises(StateError, match="patient S01-000 is frozen"):
        services.record(c, "S01-000", "lab", LAB)
    with pytest.raises(StateError, match="frozen"):
        services.correct_value(c, "lab", other.pk, "value", 13.0, reason="typo")
    assert LabResult.objects.get(pk=other.pk).value == 12.0


def test_freezing_is_for_data_managers_with_a_reason_and_a_real_target(trial_db: TrialDb) -> None:
    t = _trial()
    for who in (t.coord["S01"], t.monitor, t.stat):
        with pytest.raises(PermissionDenied, match="freezing"):
            services.freeze(who, "S01-000", scope="patient", reason="x")
    with pytest.raises(InputError, match="reason: a reason is required"):
        services.freeze(t.dm, "S01-000", scope="patient", reason="  ")
    with pytest.raises(InputError, match="scope"):
        services.freeze(t.dm, "S01-000", scope="site", reason="x")
    with pytest.raises(InputError, match="no visit 99"):
        services.freeze(t.dm, "S01-000", scope="visit", visit_number=99, reason="x")
    with pytest.raises(InputError, match="no lab 12345"):
        services.freeze(t.dm, "S01-000", scope="form", kind="lab", record_id=12345, reason="x")
    with pytest.raises(InputError, match="kind"):
        services.freeze(t.dm, "S01-000", scope="form", kind="nonsense", record_id=1, reason="x")
    assert not Freeze.objects.exists()
    row = services.freeze(t.dm, "S01-000", scope="patient", reason="x")
    with pytest.raises(StateError, match="already frozen"):
        services.freeze(t.dm, "S01-000", scope="patient", reason="x")
    with pytest.raises(InputError, match="reason"):
        services.unfreeze(t.dm, row.pk, reason="")
    with pytest.raises(PermissionDenied):
        services.unfreeze(t.coord["S01"], row.pk, reason="x")


def test_the_lock_is_refused_while_the_checklist_has_open_items(trial_db: TrialDb) -> None:
    t = randomized_patients(2)
    c = t.coord["S01"]
    services.record(c, "S01-000", "lab", {**LAB, "value": None})  # a missing value: a query
    with pytest.raises(LockRefused, match="1 open query, 2 unsigned casebook") as refused:
        services.lock_database(t.dm, reason="final analysis")
    items = refused.value.checklist.items
    assert {(i.category, i.patient) for i in items} == {
        ("open_query", "S01-000"),
        ("unsigned_casebook", "S01-000"),
        ("unsigned_casebook", "S01-001"),
    }
    assert not refused.value.checklist.sdv_in_use  # no verification recorded: not a category
    assert not TrialState.objects.get(id=1).locked
    entry = AuditEntry.objects.get(action="lock_refused")
    assert entry.actor == "dm" and "unsigned casebook" in entry.reason
    lab = LabResult.objects.get()
    services.correct_value(c, "lab", lab.pk, "value", 36.0, reason="value from the report")
    sign_every_casebook(t.admin, ["S01-000", "S01-001"])
    assert prelock_checklist().clear
    services.lock_database(t.dm, reason="final analysis")
    with pytest.raises(StateError, match="locked"):
        services.record(c, "S01-000", "lab", LAB)
    with pytest.raises(StateError, match="locked"):
        services.freeze(t.dm, "S01-000", scope="patient", reason="x")


def test_overdue_visits_are_open_items(trial_db: TrialDb) -> None:
    t = _trial()
    later = TODAY + dt.timedelta(days=120)
    overdue = [i for i in prelock_checklist(later).items if i.category == "overdue_visit"]
    assert [i.detail for i in overdue][:2] == ["visit 0", "visit 1"]
    assert not [i for i in prelock_checklist(TODAY).items if i.category == "overdue_visit"]
    services.record_visit(t.coord["S01"], "S01-000", 0, visit_date=TODAY)
    overdue = [i for i in prelock_checklist(later).items if i.category == "overdue_visit"]
    assert overdue[0].detail == "visit 1"


def test_unlocking_needs_a_data_manager_and_a_reason_and_is_audited(trial_db: TrialDb) -> None:
    t = randomized_patients(1)
    investigator(t.admin, "inv-a").sign("S01-000")
    services.lock_database(t.dm, reason="interim analysis")
    with pytest.raises(PermissionDenied):
        services.unlock_database(t.coord["S01"], reason="x")
    with pytest.raises(InputError, match="a reason is required to unlock"):
        services.unlock_database(t.dm, reason=" ")
    state = services.unlock_database(t.dm, reason="query from the DSMB: a lab to correct")
    assert not state.locked and state.unlocked_by == "dm"
    entry = AuditEntry.objects.get(action="unlock")
    assert entry.reason == "query from the DSMB: a lab to correct"
    with pytest.raises(StateError, match="not locked"):
        services.unlock_database(t.dm, reason="again")
    services.record(t.coord["S01"], "S01-000", "lab", LAB)  # writable again
    assert services.verify_chain().ok


@pytest.mark.parametrize("reason", [None, 7, b"x", "bad\x00", "x" * 2001])
def test_a_lock_or_unlock_with_a_malformed_reason_writes_nothing(
    trial_db: TrialDb, reason: object
) -> None:
    t = randomized_patients(1)
    before = AuditEntry.objects.count()
    with pytest.raises(InputError, match="reason"):
        services.lock_database(t.dm, reason=reason)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        services.lock_database("dm", reason="final")  # type: ignore[arg-type]
    assert AuditEntry.objects.count() == before and not TrialState.objects.get(id=1).locked
