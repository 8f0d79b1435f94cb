"""What one randomization locks, and for how long; how many statements it takes.

A randomization is held open just after it claimed its slot (its patient row and its
stratum's cursor locked, the transaction not yet committed). Another stratum's randomization
must not wait for it; the same stratum's and the same patient's must, and the same patient
requested twice gets one allocation.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any

import pytest
from django.db import OperationalError, connection, connections
from django.test.utils import CaptureQueriesContext
from edc_support import TODAY, build_trial, enrol

from oligotrial.edc import services
from oligotrial.edc.models import Allocation, AllocationSlot, AuditEntry, Patient

randomize_module = importlib.import_module("oligotrial.edc.services.randomize")

#: Statements of one first randomization, BEGIN and COMMIT included (main took 26); one of
#: them asks whether anything of the patient is frozen or signed (services.data_guard).
STATEMENTS = 18


class HeldRandomization:
    """Randomizes ``number`` in a thread and holds the transaction open after the slot claim."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, actor: Any, number: str) -> None:
        self.claimed = threading.Event()
        self.release = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None
        real = randomize_module._claim_slot

        def held(record: Any, stratum: str, patient: Patient) -> tuple[int, str]:
            out = real(record, stratum, patient)
            if patient.screening_number == number:
                self.claimed.set()
                self.release.wait(timeout=60)
            return out

        monkeypatch.setattr(randomize_module, "_claim_slot", held)
        self.thread = threading.Thread(target=self._run, args=(actor, number))
        self.thread.start()
        assert self.claimed.wait(timeout=60), self.error

    def _run(self, actor: Any, number: str) -> None:
        try:
            self.result = services.randomize(actor, number, randomized_on=TODAY)
        except BaseException as exc:  # reported by the test
            self.error = exc
            self.claimed.set()
        finally:
            connections.close_all()

    def finish(self) -> Any:
        self.release.set()
        self.thread.join(timeout=60)
        assert self.error is None, self.error
        return self.result


def _lock_timeout(seconds: float) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{int(seconds * 1000)}ms'")


@pytest.mark.postgres
@pytest.mark.parametrize("trial_db", ["postgres"], indirect=True)  # row locks between connections
def test_other_strata_do_not_wait_the_same_stratum_does(
    trial_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001", "intrahepatic-only", "ici")
    enrol(c, "S01-002", "any-extrahepatic", "no-ici")  # another stratum
    enrol(c, "S01-003", "intrahepatic-only", "ici")  # the held one's stratum
    held = HeldRandomization(monkeypatch, c, "S01-001")
    _lock_timeout(3)
    other = services.randomize(c, "S01-002", randomized_on=TODAY)  # while S01-001 is open
    assert not other.already_randomized and held.thread.is_alive()
    _lock_timeout(0.5)
    with pytest.raises(OperationalError, match="lock timeout"):
        services.randomize(c, "S01-003", randomized_on=TODAY)
    first = held.finish()
    _lock_timeout(0)
    third = services.randomize(c, "S01-003", randomized_on=TODAY)
    assert (other.randomization_number, first.randomization_number) == ("R0001", "R0002")
    assert third.randomization_number == "R0003"
    slots = {
        a.patient.screening_number: (a.stratum, a.slot.sequence)
        for a in Allocation.objects.select_related("patient", "slot")
    }
    assert slots["S01-001"][1] == 1 and slots["S01-003"] == (slots["S01-001"][0], 2)
    assert slots["S01-002"][1] == 1 and slots["S01-002"][0] != slots["S01-001"][0]
    report = services.verify_chain()
    assert report.ok, report.problems


@pytest.mark.postgres
@pytest.mark.parametrize("trial_db", ["postgres"], indirect=True)  # row locks between connections
def test_the_same_patient_twice_at_once_gets_one_allocation(
    trial_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001")
    held = HeldRandomization(monkeypatch, c, "S01-001")
    second: dict[str, Any] = {}

    def again() -> None:
        try:
            second["result"] = services.randomize(c, "S01-001", randomized_on=TODAY)
        except BaseException as exc:  # reported below
            second["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=again)
    thread.start()
    thread.join(timeout=1.0)
    assert thread.is_alive()  # waits for the first request's patient lock
    first = held.finish()
    thread.join(timeout=60)
    assert "error" not in second, second
    repeat = second["result"]
    assert (repeat.arm, repeat.randomization_number) == (first.arm, first.randomization_number)
    assert repeat.already_randomized and not first.already_randomized
    assert Allocation.objects.count() == 1
    assert AllocationSlot.objects.filter(patient__isnull=False).count() == 1
    assert AuditEntry.objects.filter(action="randomize").count() == 2
    assert services.verify_chain().ok


def test_one_randomization_takes_few_statements_and_one_audit_append(trial_db: Any) -> None:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001")
    enrol(c, "S01-002")
    services.randomize(c, "S01-001", randomized_on=TODAY)
    before = AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as queries:
        services.randomize(c, "S01-002", randomized_on=TODAY)
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == STATEMENTS, "\n".join(sql)
    assert sum('INTO "edc_auditentry"' in s for s in sql) == 1  # both entries, one insert
    assert sum('FROM "edc_chainhead"' in s for s in sql) == 1
    assert sql[-1] == "COMMIT" or sql[-1].startswith("COMMIT")
    entries = list(AuditEntry.objects.filter(seq__gt=before).order_by("seq"))
    assert [e.model for e in entries] == ["edc.Allocation", "edc.Patient"]
    assert entries[0].at == entries[1].at  # appended together, at the end of the call
    assert services.verify_chain().ok


def test_a_failed_call_appends_nothing(trial_db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001")
    before = AuditEntry.objects.count()

    def broken(*args: Any) -> Any:
        raise RuntimeError("after the patient was changed")

    monkeypatch.setattr(randomize_module.audit, "snapshot", broken)
    with pytest.raises(RuntimeError):
        services.randomize(c, "S01-001", randomized_on=TODAY)
    assert AuditEntry.objects.count() == before and not Allocation.objects.exists()
    assert Patient.objects.get(screening_number="S01-001").status == "screening"
    assert services.verify_chain().ok
