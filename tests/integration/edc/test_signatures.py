"""Investigator e-signatures (21 CFR 11.50, 11.70, 11.200): re-authentication with password
and TOTP, what a signature records, the hash of what was signed, and the void that a later
change of signed data causes."""

from __future__ import annotations

import hashlib

import pytest
from edc_support import TODAY, TrialDb, randomized_patients
from signing_support import PASSWORD, investigator

from oligotrial.edc import services
from oligotrial.edc.models import AuditEntry, LabResult, Signature, Visit
from oligotrial.edc.services.signed_content import casebook_records, serialise
from oligotrial.errors import InputError, PermissionDenied, StateError

LAB = {"analyte": "albumin", "value": 38.0, "unit": "g/L", "sampled_on": TODAY}


def _with_visits(n: int = 1):  # type: ignore[no-untyped-def]
    t = randomized_patients(n)
    for i in range(n):
        services.schedule_visits(t.coord["S01"], f"S01-{i:03d}", horizon_weeks=24)
    return t


def test_a_signature_records_name_time_meaning_and_the_hash_of_what_was_signed(
    trial_db: TrialDb,
) -> None:
    t = _with_visits()
    inv = investigator(t.admin, "inv-a")
    sig = inv.sign("S01-000")
    assert sig.printed_name == "Dr inv-a"
    assert sig.meaning == "reviewed and approved"
    assert sig.scope == "casebook" and sig.visit is None and sig.voided_at is None
    assert sig.signed_at.utcoffset() is not None  # stored in UTC
    text = serialise("casebook", casebook_records(sig.patient))
    assert sig.content_hash == hashlib.sha256(text.encode()).hexdigest()
    assert '"screening"' in text and '"visit"' in text  # the records of the casebook
    entry = AuditEntry.objects.get(action="sign")
    assert entry.actor == "inv-a" and entry.patient == "S01-000"
    assert sig.content_hash in entry.changes
    assert services.verify_chain().ok


def test_signing_needs_the_password_and_a_current_code_and_a_failure_is_audited(
    trial_db: TrialDb,
) -> None:
    t = _with_visits()
    inv = investigator(t.admin, "inv-a")
    with pytest.raises(PermissionDenied, match="password is not correct"):
        services.sign(inv.staff, "S01-000", password="wrong-password-1", totp_code=inv.code())
    wrong = "000000" if inv.code() != "000000" else "111111"
    with pytest.raises(PermissionDenied, match="authenticator code is not correct"):
        services.sign(inv.staff, "S01-000", password=PASSWORD, totp_code=wrong)
    with pytest.raises(PermissionDenied, match="authenticator code is required"):
        services.sign(inv.staff, "S01-000", password=PASSWORD, totp_code="")
    assert not Signature.objects.exists()
    refused = AuditEntry.objects.filter(action="sign_refused")
    assert refused.count() == 3
    assert "re-authentication failed: the password is not correct" in refused[0].reason
    code = inv.code()
    services.sign(inv.staff, "S01-000", visit_number=0, password=PASSWORD, totp_code=code)
    with pytest.raises(PermissionDenied, match="already used"):  # a code signs once
        services.sign(inv.staff, "S01-000", password=PASSWORD, totp_code=code)


def test_only_the_sites_investigators_sign(trial_db: TrialDb) -> None:
    t = _with_visits()
    other = investigator(t.admin, "inv-b", "S02")
    with pytest.raises(InputError, match="no patient"):
        other.sign("S01-000")
    for who in (t.coord["S01"], t.dm, t.monitor):
        with pytest.raises(PermissionDenied, match="signing"):
            services.sign(who, "S01-000", password=PASSWORD, totp_code="123456")
    inv = investigator(t.admin, "inv-a")
    with pytest.raises(InputError, match="no visit 77"):
        inv.sign("S01-000", visit_number=77)
    assert not Signature.objects.exists()


def test_a_later_change_voids_the_signatures_that_cover_it(trial_db: TrialDb) -> None:
    t = _with_visits()
    casebook = investigator(t.admin, "inv-a").sign("S01-000")
    visit0 = investigator(t.admin, "inv-b").sign("S01-000", visit_number=0)
    visit1 = investigator(t.admin, "inv-c").sign("S01-000", visit_number=1)
    lab = services.record(t.coord["S01"], "S01-000", "lab", LAB, visit_number=0)
    for sig in (casebook, visit0, visit1):
        sig.refresh_from_db()
    assert casebook.voided_at is not None and visit0.voided_at is not None
    assert visit0.void_reason == f"data changed after signing: lab {lab.pk}"
    assert visit1.voided_at is None  # another visit's data did not change
    voids = AuditEntry.objects.filter(action="void_signature")
    assert voids.count() == 2 and {v.actor for v in voids} == {"coord-S01"}
    # signed again, and a correction voids it again
    again = investigator(t.admin, "inv-d").sign("S01-000", visit_number=0)
    services.correct_value(t.coord["S01"], "lab", lab.pk, "value", 39.0, reason="typo")
    again.refresh_from_db()
    assert again.voided_at is not None and "lab" in again.void_reason
    assert services.verify_chain().ok


def test_signing_unchanged_data_twice_is_refused_and_a_refused_change_voids_nothing(
    trial_db: TrialDb,
) -> None:
    t = _with_visits()
    sig = investigator(t.admin, "inv-a").sign("S01-000")
    with pytest.raises(StateError, match="already signed"):
        investigator(t.admin, "inv-b").sign("S01-000")
    with pytest.raises(InputError):
        services.record(t.coord["S01"], "S01-000", "lab", {**LAB, "value": -1.0})
    sig.refresh_from_db()
    assert sig.voided_at is None
    assert not LabResult.objects.exists()
    assert Visit.objects.filter(patient=sig.patient).exists()
