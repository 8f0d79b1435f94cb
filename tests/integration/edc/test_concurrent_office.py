"""The trial office's writes at the same moment on PostgreSQL, each call on its own
connection (two real connections, released together): two investigators signing one
casebook make one signature; a freeze and a correction of the frozen value are ordered (the
correction lands before the freeze, or is refused); two data managers freezing one form
make one freeze; two monitors verifying one value make
one audited verification. Each case runs several rounds, as one round may not overlap.

Each test fails when the lock its service takes is removed (checked by removing it): the
patient row locked by signing, freezing and SDV. The freeze and correction are ordered
twice over: the freeze waits for the patient row the correction holds, and the data
guard's freeze check runs after the correction has locked the audit chain head. Removing
the freeze's patient lock alone leaves them ordered by the chain head; with the guard's
check moved before the chain head as well, a correction lands after the freeze and the test
fails (checked), while the patient lock alone keeps it passing.
"""

from __future__ import annotations

from functools import partial

import pytest
from concurrency_support import at_once, failures
from edc_support import TODAY, TrialDb, randomized_patients
from signing_support import PASSWORD, investigator

from oligotrial.edc import services
from oligotrial.edc.models import AuditEntry, Freeze, LabResult, Signature, SourceVerification
from oligotrial.edc.services.verification import Verified, verify
from oligotrial.errors import StateError

ROUNDS = 6
LAB = {"analyte": "albumin", "value": 30.0, "unit": "g/L", "sampled_on": TODAY}

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("trial_db", ["postgres"], indirect=True),
]


def test_two_investigators_signing_one_casebook_at_once_make_one_signature(
    trial_db: TrialDb,
) -> None:
    t = randomized_patients(ROUNDS)
    for i in range(ROUNDS):
        number = f"S01-{i:03d}"
        # a code is accepted once per investigator: two new investigators each round
        signers = [investigator(t.admin, f"inv-{i}-{k}") for k in "ab"]
        codes = [s.code() for s in signers]
        results = at_once(
            *(
                partial(services.sign, s.staff, number, password=PASSWORD, totp_code=code)
                for s, code in zip(signers, codes, strict=True)
            )
        )
        [refused] = failures(results)
        assert isinstance(refused, StateError) and "already signed" in str(refused), refused
        [winner] = [r for r in results if isinstance(r, Signature)]
        [in_force] = Signature.objects.filter(patient__screening_number=number, voided_at=None)
        assert in_force.pk == winner.pk
    assert AuditEntry.objects.filter(action="sign").count() == ROUNDS
    assert services.verify_chain().ok


def test_a_freeze_and_a_correction_at_once_never_leave_a_change_after_the_freeze(
    trial_db: TrialDb,
) -> None:
    t = randomized_patients(1)
    c = t.coord["S01"]
    landed = refused = 0
    for i in range(ROUNDS):
        lab = services.record(c, "S01-000", "lab", LAB)
        new = 40.0 + i
        results = at_once(
            partial(services.correct_value, c, "lab", lab.pk, "value", new, reason="typo"),
            partial(
                services.freeze,
                t.dm,
                "S01-000",
                scope="form",
                kind="lab",
                record_id=lab.pk,
                reason="interim review",
            ),
        )
        correction, frozen = results
        assert isinstance(frozen, Freeze), frozen  # a freeze waits, it is never refused
        freeze_entry = AuditEntry.objects.get(action="freeze", object_id=str(frozen.pk))
        updates = AuditEntry.objects.filter(
            model="edc.LabResult", object_id=str(lab.pk), action="update"
        )
        stored = LabResult.objects.get(pk=lab.pk).value
        if isinstance(correction, LabResult):  # landed: before the freeze, in the audit too
            [update] = updates
            assert update.seq < freeze_entry.seq and stored == new
            landed += 1
        else:  # refused, naming the freeze; nothing changed
            assert isinstance(correction, StateError) and "is frozen" in str(correction)
            assert not updates.exists() and stored == LAB["value"]
            refused += 1
    assert landed + refused == ROUNDS
    assert services.verify_chain().ok


def test_two_data_managers_freezing_one_form_at_once_make_one_freeze(trial_db: TrialDb) -> None:
    t = randomized_patients(1)
    second = services.add_staff(t.admin, "dm-2", "data_manager")
    for _ in range(ROUNDS):
        lab = services.record(t.coord["S01"], "S01-000", "lab", LAB)
        results = at_once(
            *(
                partial(
                    services.freeze,
                    dm,
                    "S01-000",
                    scope="form",
                    kind="lab",
                    record_id=lab.pk,
                    reason="interim review",
                )
                for dm in (t.dm, second)
            )
        )
        [refused] = failures(results)
        assert isinstance(refused, StateError) and "already frozen" in str(refused), refused
        active = Freeze.objects.filter(object_id=str(lab.pk), kind="lab", released_at=None)
        assert active.count() == 1
    assert AuditEntry.objects.filter(action="freeze").count() == ROUNDS


def test_two_monitors_verifying_one_value_at_once_make_one_audited_verification(
    trial_db: TrialDb,
) -> None:
    t = randomized_patients(1)
    second = services.add_staff(t.admin, "monitor-2", "monitor", "S01")
    for _ in range(ROUNDS):
        lab = services.record(t.coord["S01"], "S01-000", "lab", LAB)
        results = at_once(
            *(partial(verify, m, "lab", lab.pk, "value") for m in (t.monitor, second))
        )
        assert failures(results) == []  # the second finds it verified, it is no error
        assert sorted(r.fields for r in results if isinstance(r, Verified)) == [0, 1]
        [row] = SourceVerification.objects.filter(kind="lab", object_id=str(lab.pk))
        assert row.state == "verified"
        [entry] = AuditEntry.objects.filter(
            model="edc.SourceVerification", object_id=str(row.pk), action="sdv"
        )
        assert entry.actor == row.verified_by.username
    assert services.verify_chain().ok
