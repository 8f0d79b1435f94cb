"""The same write twice at once, each call on its own connection: one is applied, the other
is refused with a clear conflict (or finds the work done); nothing is overwritten unseen and
no raw database error reaches the caller.

PostgreSQL runs the calls truly at once (SQLite's ``BEGIN IMMEDIATE`` already serialises
writers, so there the same outcome is checked without contention). Each case runs several
rounds, because one round may by chance not overlap.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import partial

import pytest
from concurrency_support import at_once, failures
from edc_support import TODAY, TrialDb, build_trial, enrol

from oligotrial.edc import services
from oligotrial.edc.models import (
    AllocationList,
    AuditEntry,
    LabResult,
    Site,
    Staff,
    Visit,
)
from oligotrial.errors import ConflictError, InputError, OligotrialError, StateError

ROUNDS = 6
LAB = {"analyte": "albumin", "value": 30.0, "unit": "g/L", "sampled_on": TODAY}
YESTERDAY = TODAY - dt.timedelta(days=1)

# PostgreSQL only: concurrent connections are the point (SQLite serialises writers)
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("trial_db", ["postgres"], indirect=True),
]


def _randomized(coord: Staff, number: str) -> None:
    enrol(coord, number)
    services.randomize(coord, number, randomized_on=TODAY - dt.timedelta(days=5))


def _entries(model: str, action: str) -> int:
    return AuditEntry.objects.filter(model=model, action=action).count()


def test_the_same_visit_recorded_twice_at_once_is_recorded_once(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    _randomized(c, "S01-001")
    services.schedule_visits(c, "S01-001", horizon_weeks=60)
    for number in range(1, ROUNDS + 1):
        results = at_once(
            *(
                partial(services.record_visit, c, "S01-001", number, visit_date=day)
                for day in (TODAY, YESTERDAY)
            )
        )
        [refused] = failures(results)
        assert isinstance(refused, ConflictError) and "already done" in str(refused)
        [winner] = [r for r in results if isinstance(r, Visit)]
        stored = Visit.objects.get(patient__screening_number="S01-001", number=number)
        assert stored.visit_date == winner.visit_date  # the acknowledged date is the one kept
    updates = AuditEntry.objects.filter(model="edc.Visit", action="update")
    assert updates.count() == ROUNDS  # one "scheduled -> done" per visit, not two
    assert services.verify_chain().ok


def test_scheduling_twice_at_once_creates_each_visit_once(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    for i in range(ROUNDS):
        number = f"S01-{i:03d}"
        _randomized(c, number)
        results = at_once(*[partial(services.schedule_visits, c, number)] * 2)
        assert failures(results) == []
        created = sorted(len(r) for r in results)
        visits = Visit.objects.filter(patient__screening_number=number).count()
        assert created == [0, visits]  # one call made them all, the other found them made
    assert _entries("edc.Visit", "create") == Visit.objects.count()


def test_a_visit_corrected_while_it_is_recorded_keeps_one_story(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    _randomized(c, "S01-001")
    services.schedule_visits(c, "S01-001", horizon_weeks=60)
    for number in range(1, ROUNDS + 1):
        visit = Visit.objects.get(patient__screening_number="S01-001", number=number)
        results = at_once(
            partial(services.record_visit, c, "S01-001", number, visit_date=TODAY),
            partial(
                services.correct_value,
                c,
                "visit",
                visit.pk,
                "status",
                "missed",
                reason="patient did not come",
            ),
        )
        [refused] = failures(results)  # whichever came second sees the first's change
        assert isinstance(refused, StateError | InputError)
        stored = Visit.objects.get(pk=visit.pk)
        assert (stored.status, stored.visit_date) in {("done", TODAY), ("missed", None)}
        [entry] = AuditEntry.objects.filter(
            model="edc.Visit", object_id=str(visit.pk), action="update"
        )
        assert json.loads(entry.changes)["status"] == ["scheduled", stored.status]


def test_two_corrections_of_the_same_value_chain_old_to_new(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    _randomized(c, "S01-001")
    lab = services.record(
        c,
        "S01-001",
        "lab",
        {"analyte": "albumin", "value": 30.0, "unit": "g/L", "sampled_on": TODAY},
    )
    for i in range(ROUNDS):
        results = at_once(
            *(
                lambda v=v: services.correct_value(c, "lab", lab.pk, "value", v, reason="typo")
                for v in (40.0 + 2 * i, 41.0 + 2 * i)
            )
        )
        assert failures(results) == []
    changes = [
        json.loads(e.changes)["value"]
        for e in AuditEntry.objects.filter(model="edc.LabResult", action="update").order_by("seq")
    ]
    assert len(changes) == 2 * ROUNDS
    old = 30.0
    for before, after in changes:  # each correction's old value is the one stored before it
        assert before == old
        old = after
    assert LabResult.objects.get(pk=lab.pk).value == old


def test_a_site_added_twice_at_once_is_a_conflict_not_a_database_error(
    trial_db: TrialDb,
) -> None:
    t = build_trial()
    for i in range(ROUNDS):
        code = f"N{i:02d}"
        results = at_once(*[partial(services.add_site, t.admin, code, "New hospital")] * 2)
        refused = failures(results)
        assert len(refused) == 1 and isinstance(refused[0], OligotrialError), refused
        assert Site.objects.filter(code=code).count() == 1
    assert _entries("edc.Site", "create") == Site.objects.count()


def test_the_first_administrator_is_made_once(trial_db: TrialDb) -> None:
    results = at_once(*(lambda who=who: services.bootstrap_admin(who) for who in "abcd"))
    refused = failures(results)
    assert len(refused) == 3 and all(isinstance(r, StateError) for r in refused), refused
    assert Staff.objects.count() == 1


def test_the_allocation_list_is_generated_once(trial_db: TrialDb) -> None:
    t = build_trial(generate=False)
    results = at_once(
        *(
            lambda seed=seed: services.generate_allocation_list(
                t.stat, seed=seed, slots_per_stratum=4
            )
            for seed in (1, 2)
        )
    )
    [refused] = failures(results)
    assert isinstance(refused, StateError)
    assert AllocationList.objects.filter(active=True).count() == 1


def test_nothing_is_written_after_the_database_lock(trial_db: TrialDb) -> None:
    """Writers in flight finish before the lock; later writers see it and are refused."""
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001")  # consented, not randomized: no casebook to sign before the lock
    enrol(c, "S01-002")

    def keep_writing(number: str) -> int:
        done = 0
        for _ in range(40):
            try:
                services.record(c, number, "lab", {**LAB, "value": 30.0 + done})
            except StateError:
                break
            done += 1
        return done

    results = at_once(
        partial(keep_writing, "S01-001"),
        partial(keep_writing, "S01-002"),
        partial(services.lock_database, t.dm, reason="final analysis"),
    )
    assert failures(results) == []
    lock = AuditEntry.objects.get(action="lock")
    later = AuditEntry.objects.filter(seq__gt=lock.seq)
    assert later.count() == 0, list(later.values_list("action", "model"))
    assert LabResult.objects.count() == results[0] + results[1]


def test_a_query_closed_twice_at_once_is_closed_once(trial_db: TrialDb) -> None:
    from oligotrial.edc.services import office_queries

    t = build_trial()
    c = t.coord["S01"]
    _randomized(c, "S01-001")
    for _ in range(ROUNDS):
        lab = services.record(c, "S01-001", "lab", LAB)
        query = office_queries.raise_query(t.dm, "lab", lab.pk, "value", "Source document?")
        results = at_once(
            *(
                partial(office_queries.close_query, t.dm, query.pk, reason=why)
                for why in ("confirmed", "checked")
            )
        )
        [refused] = failures(results)
        assert isinstance(refused, StateError), refused
        query.refresh_from_db()
        assert query.status == "closed"
    closes = AuditEntry.objects.filter(model="edc.DataQuery", action="query-close")
    assert closes.count() == ROUNDS  # one close per query, never two
    assert services.verify_chain().ok
