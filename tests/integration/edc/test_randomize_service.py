"""Randomization through the service: requirements, idempotence, list order, visibility."""

from __future__ import annotations

import inspect

import pytest
from edc_support import SCREENED_ON, TODAY, all_met, build_trial, enrol, screening_record

from oligotrial.edc import services
from oligotrial.edc.models import Allocation, AllocationSlot, AuditEntry, Patient
from oligotrial.errors import InputError, PermissionDenied, StateError


def test_allocations_follow_the_list_in_order(trial_db: object) -> None:
    t = build_trial()
    c = t.coord["S01"]
    results = []
    for i in range(12):
        enrol(c, f"S01-{i:03d}", ici="ici" if i % 3 else "no-ici")
        results.append(services.randomize(c, f"S01-{i:03d}", randomized_on=TODAY))
    for r in results:
        alloc = Allocation.objects.select_related("slot").get(
            randomization_number=r.randomization_number
        )
        assert alloc.slot is not None and alloc.slot.arm == r.arm
    for stratum in {a.stratum for a in Allocation.objects.all()}:
        used = list(
            AllocationSlot.objects.filter(stratum=stratum, patient__isnull=False)
            .order_by("sequence")
            .values_list("sequence", flat=True)
        )
        assert used == list(range(1, len(used) + 1))  # none skipped
    assert [r.randomization_number for r in results] == [f"R{i:04d}" for i in range(1, 13)]
    assert services.verify_chain().ok


def test_repeated_request_returns_the_same_allocation(trial_db: object) -> None:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001")
    first = services.randomize(c, "S01-001", randomized_on=TODAY)
    again = services.randomize(c, "S01-001", randomized_on=TODAY)
    assert (again.arm, again.randomization_number) == (first.arm, first.randomization_number)
    assert again.already_randomized and not first.already_randomized
    assert Allocation.objects.count() == 1


@pytest.mark.parametrize("missing", ["consent", "ineligible", "incomplete", "stratum"])
def test_refusal_names_the_missing_requirement(trial_db: object, missing: str) -> None:
    t = build_trial()
    c = t.coord["S01"]
    name = {
        "ineligible": "fails-I6-child-pugh-8.json",
        # albumin missing where it can change Child-Pugh (I6): cannot tell
        "incomplete": "incomplete-no-albumin.json",
    }.get(missing, "eligible-01.json")
    record = screening_record("S01-009", example_name=name)
    if missing == "stratum":
        record["flst"]["contains_ici"] = None
    services.screen(c, record)
    if missing != "consent":
        services.record_consent(c, "S01-009", version="1.0", signed_on=SCREENED_ON)
    before = AuditEntry.objects.count()
    with pytest.raises(StateError) as err:
        services.randomize(c, "S01-009", randomized_on=TODAY)
    expected = {
        "consent": "no signed informed consent",
        "ineligible": "status is screen_failed",
        "incomplete": "cannot tell I6 (missing labs.albumin)",
        "stratum": "flst_ici is not recorded",
    }[missing]
    assert expected in str(err.value)
    assert AuditEntry.objects.count() == before  # nothing written
    assert not Allocation.objects.exists()
    assert not AllocationSlot.objects.filter(patient__isnull=False).exists()


def test_screen_takes_the_record_only(trial_db: object) -> None:
    """Verdicts and strata are the engine's: no caller can hand them in."""
    t = build_trial()
    assert list(inspect.signature(services.screen).parameters) == ["actor", "record"]
    with pytest.raises(TypeError):
        services.screen(  # type: ignore[call-arg]
            t.coord["S01"], screening_record("S01-001"), verdicts=all_met()
        )
    assert not Patient.objects.exists()


def test_site_staff_cannot_see_or_randomize_other_sites(trial_db: object) -> None:
    t = build_trial()
    enrol(t.coord["S01"], "S01-001")
    with pytest.raises(InputError, match="no patient"):
        services.randomize(t.coord["S02"], "S01-001", randomized_on=TODAY)
    with pytest.raises(InputError, match="no patient"):
        services.patient_summary(t.coord["S02"], "S01-001")
    with pytest.raises(PermissionDenied):
        services.randomize(t.monitor, "S01-001", randomized_on=TODAY)
    assert services.patient_summary(t.monitor, "S01-001")["arm"] is None


def test_patient_lists_follow_site_isolation(trial_db: object) -> None:
    t = build_trial()
    enrol(t.coord["S01"], "S01-001")
    enrol(t.coord["S02"], "S02-001")
    services.randomize(t.coord["S02"], "S02-001", randomized_on=TODAY)
    assert [p["screening_number"] for p in services.list_patients(t.coord["S01"])] == ["S01-001"]
    assert [p["screening_number"] for p in services.list_patients(t.monitor)] == ["S01-001"]
    everyone = services.list_patients(t.dm)
    assert [p["screening_number"] for p in everyone] == ["S01-001", "S02-001"]
    assert everyone[0]["arm"] is None and everyone[1]["arm"] in {"A", "B"}


def test_only_statisticians_read_the_list(trial_db: object) -> None:
    t = build_trial()
    for who in (t.coord["S01"], t.monitor, t.dm, t.admin):
        with pytest.raises(PermissionDenied):
            services.read_allocation_list(who)
    record, slots = services.read_allocation_list(t.stat)
    assert record.seed == 20260301 and len(slots) >= 2 * 2 * 2 * 40


def test_allocation_is_visible_to_the_site_once_made(trial_db: object) -> None:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001")
    assert services.allocation_of(c, "S01-001") is None
    made = services.randomize(c, "S01-001", randomized_on=TODAY)
    shown = services.patient_summary(c, "S01-001")
    assert shown["arm"] == made.arm and shown["randomization_number"] == "R0001"
    assert Patient.objects.get(screening_number="S01-001").status == "randomized"


def test_list_verification_detects_a_changed_slot(trial_db: object) -> None:
    t = build_trial()
    assert services.verify_allocation_list(t.stat).ok
    slot = AllocationSlot.objects.order_by("id")[5]
    AllocationSlot.objects.filter(pk=slot.pk).update(arm="B" if slot.arm == "A" else "A")
    check = services.verify_allocation_list(t.stat)
    assert not check.ok
    assert any(f"#{slot.sequence}" in p and slot.stratum in p for p in check.problems)


def test_list_cannot_be_generated_twice(trial_db: object) -> None:
    t = build_trial()
    with pytest.raises(StateError, match="already in force"):
        services.generate_allocation_list(t.stat, seed=1, slots_per_stratum=10)


def test_minimization_method_allocates_and_balances(trial_db: object) -> None:
    import dataclasses

    from oligotrial.edc.trial_config import from_protocol
    from oligotrial.protocol import load_protocol

    t = build_trial(generate=False)
    config = dataclasses.replace(from_protocol(load_protocol()), method="minimization")
    services.generate_allocation_list(t.stat, seed=7, slots_per_stratum=1, config=config)
    arms = []
    for i in range(20):
        enrol(t.coord["S01"], f"S01-{i:03d}", ici="ici" if i % 2 else "no-ici")
        arms.append(services.randomize(t.coord["S01"], f"S01-{i:03d}", randomized_on=TODAY).arm)
    assert abs(arms.count("A") - arms.count("B")) <= 4
    assert not AllocationSlot.objects.exists()
    assert services.verify_allocation_list(t.stat).ok  # replayed from the seed
    changed = Allocation.objects.get(randomization_number="R0007")
    Allocation.objects.filter(pk=changed.pk).update(arm="B" if changed.arm == "A" else "A")
    check = services.verify_allocation_list(t.stat)
    assert not check.ok and check.problems[0].startswith("allocation R0007")


def test_a_site_opened_after_go_live_gets_its_strata_from_the_same_seed(trial_db: object) -> None:
    from oligotrial.edc.services.allocation_list import active_list, list_parameters
    from oligotrial.randomization import generate_list

    t = build_trial()
    before = {(s.stratum, s.sequence): s.arm for s in services.read_allocation_list(t.stat)[1]}
    services.add_site(t.admin, "S03", "Third hospital")
    coord3 = services.add_staff(t.admin, "coord-S03", "coordinator", "S03")
    enrol(coord3, "S03-001")
    with pytest.raises(StateError, match="S03 opened after the allocation list"):
        services.randomize(coord3, "S03-001", randomized_on=TODAY)
    added = services.extend_for_new_sites(t.stat)
    assert len(added) == 4 and all("site=S03" in k for k in added)
    after = {(s.stratum, s.sequence): s.arm for s in services.read_allocation_list(t.stat)[1]}
    assert all(after[k] == arm for k, arm in before.items())  # existing strata unchanged
    full = generate_list(list_parameters(active_list()))  # as if S03 were there from the start
    assert {(s.stratum, s.sequence): s.arm for s in full.slots} == after
    assert services.verify_allocation_list(t.stat).ok
    assert services.randomize(coord3, "S03-001", randomized_on=TODAY).arm in {"A", "B"}
    assert services.extend_for_new_sites(t.stat) == []
