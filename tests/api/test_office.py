"""The trial office over the API: investigator signatures with re-authentication, freezes
and the database lock with its checklist, through the same services (and audit) as the web
pages."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from api_support import SCREENED_ON, call, problem

SIGNED = "/api/patients/S01-001/signatures"


def _authenticator(username: str) -> str:
    """A new authenticator app (TOTP) for ``username``; its secret."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from oligotrial.edc.models import Staff

    user = Staff.objects.select_related("user").get(username=username).user
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _signed_casebook(number: str) -> int:
    """The id of a signature in force of the casebook (signed now by inv-S01 if none)."""
    from web_support import PASSWORD, totp

    from oligotrial.edc import services
    from oligotrial.edc.models import Signature

    row = Signature.objects.filter(patient__screening_number=number, voided_at=None).first()
    if row is None:
        secret = _authenticator("inv-S01")
        inv = services.get_actor("inv-S01")
        row = services.sign(inv, number, password=PASSWORD, totp_code=totp(secret))
    return int(row.pk)


def _entries(action: str) -> list[Any]:
    from oligotrial.edc.models import AuditEntry

    return list(AuditEntry.objects.filter(action=action).order_by("seq"))


def test_an_investigator_signs_with_password_and_code_and_the_password_is_never_shown(
    client: Any, tokens: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    from web_support import PASSWORD, totp

    from oligotrial.edc.models import Signature

    caplog.set_level(logging.DEBUG)
    secret = _authenticator("inv-S01")
    Signature.objects.filter(patient__screening_number="S01-001").delete()
    wrong = "Wrong-Password-77"
    refused = call(
        client,
        "post",
        SIGNED,
        tokens["inv-S01"],
        {"password": wrong, "totp_code": totp(secret)},  # not checked: the password is wrong
    )
    assert refused.status_code == 403
    assert problem(refused) == ("password", "not signed: the password is not correct")
    [audited] = _entries("sign_refused")[-1:]
    assert audited.actor == "inv-S01" and "password is not correct" in audited.reason
    too_long = call(client, "post", SIGNED, tokens["inv-S01"], {"password": wrong * 100})
    assert too_long.status_code == 422 and problem(too_long)[0] == "password"
    assert not Signature.objects.filter(patient__screening_number="S01-001").exists()

    made = call(
        client,
        "post",
        SIGNED,
        tokens["inv-S01"],
        {"password": PASSWORD, "totp_code": totp(secret)},
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["scope"] == "casebook" and body["in_force"] and body["signer"] == "inv-S01"
    assert body["meaning"] == "reviewed and approved" and len(body["content_hash"]) == 64
    sign = _entries("sign")[-1]
    assert sign.actor == "inv-S01" and sign.patient == "S01-001"

    seen = "\n".join(r.getMessage() + repr(r.__dict__) for r in caplog.records)
    for text in (too_long.content.decode(), refused.content.decode(), seen):
        assert wrong not in text and PASSWORD not in text
    from oligotrial.edc.models import AuditEntry

    for entry in AuditEntry.objects.all():
        assert wrong not in entry.changes + entry.reason and PASSWORD not in entry.changes

    listed = call(client, "get", SIGNED, tokens["monitor"])
    assert listed.status_code == 200 and [s["id"] for s in listed.json()] == [body["id"]]
    second = _authenticator("inv2-S01")
    again = call(
        client,
        "post",
        SIGNED,
        tokens["inv2-S01"],
        {"password": PASSWORD, "totp_code": totp(second)},
    )
    assert again.status_code == 409 and "already signed" in problem(again)[1]


def test_failed_signing_attempts_through_the_api_lock_the_signer_out(
    client: Any, tokens: dict[str, str]
) -> None:
    """Wrong passwords sent to the API count toward the same lockout as the signing page and
    the sign-in page: after the limit even the right credentials are refused (audited), the
    answer stays the API's JSON, and a reset lets the signer sign again."""
    from axes.models import AccessAttempt
    from web_support import PASSWORD, totp

    from oligotrial.edc.models import Signature
    from oligotrial.edc.web.config import LOCKOUT_FAILURES

    secret = _authenticator("inv2-S01")
    Signature.objects.filter(patient__screening_number="S01-001").delete()
    wrong = {"password": "Wrong-Password-77", "totp_code": totp(secret)}
    try:
        for _ in range(LOCKOUT_FAILURES):
            refused = call(client, "post", SIGNED, tokens["inv2-S01"], wrong)
            assert refused.status_code == 403
            assert refused["Content-Type"].startswith("application/json")
            assert problem(refused) == ("password", "not signed: the password is not correct")
        assert AccessAttempt.objects.filter(username="inv2-S01").exists()
        right = {"password": PASSWORD, "totp_code": totp(secret)}
        locked = call(client, "post", SIGNED, tokens["inv2-S01"], right)
        assert locked.status_code == 403 and locked["Content-Type"].startswith("application/json")
        field, text = problem(locked)
        assert field == "password" and "locked" in text
        assert "locked" in _entries("sign_refused")[-1].reason
        assert not Signature.objects.filter(patient__screening_number="S01-001").exists()
    finally:
        AccessAttempt.objects.filter(username="inv2-S01").delete()
    now = {"password": PASSWORD, "totp_code": totp(secret)}  # the code of this moment
    made = call(client, "post", SIGNED, tokens["inv2-S01"], now)
    assert made.status_code == 201, made.content


def test_a_visit_is_signed_on_its_own(client: Any, tokens: dict[str, str]) -> None:
    from web_support import PASSWORD, totp

    other = {"password": PASSWORD, "totp_code": totp(_authenticator("inv-S01"))}
    missing = call(client, "post", SIGNED, tokens["inv-S01"], {**other, "visit_number": 99})
    assert missing.status_code == 422 and problem(missing)[0] == "visit_number"
    body = {"password": PASSWORD, "totp_code": totp(_authenticator("inv2-S01"))}
    text = call(client, "post", SIGNED, tokens["inv2-S01"], {**body, "visit_number": "0"})
    assert text.status_code == 422 and problem(text)[0] == "visit_number"
    made = call(client, "post", SIGNED, tokens["inv2-S01"], {**body, "visit_number": 0})
    assert made.status_code == 201, made.content
    assert (made.json()["scope"], made.json()["visit_number"]) == ("visit", 0)
    void = f"{SIGNED}/{made.json()['id']}/void"
    assert call(client, "post", void, tokens["inv-S01"], {"reason": "test"}).status_code == 200


def test_an_investigator_voids_a_signature_with_a_reason(
    client: Any, tokens: dict[str, str]
) -> None:
    signature = _signed_casebook("S01-001")
    url = f"{SIGNED}/{signature}/void"
    assert call(client, "post", url, tokens["coord-S01"], {"reason": "x"}).status_code == 403
    blank = call(client, "post", url, tokens["inv-S01"], {"reason": ""})
    assert blank.status_code == 422 and problem(blank)[0] == "reason"
    unknown = call(client, "post", f"{SIGNED}/999999/void", tokens["inv-S01"], {"reason": "x"})
    assert unknown.status_code == 404 and problem(unknown)[0] == "signature_id"
    voided = call(client, "post", url, tokens["inv2-S01"], {"reason": "signed the wrong visit"})
    assert voided.status_code == 200, voided.content
    assert not voided.json()["in_force"] and voided.json()["void_reason"] == (
        "signed the wrong visit"
    )
    entry = _entries("void_signature")[-1]
    assert (entry.actor, entry.reason, entry.object_id) == (
        "inv2-S01",
        "signed the wrong visit",
        str(signature),
    )
    twice = call(client, "post", url, tokens["inv-S01"], {"reason": "again"})
    assert twice.status_code == 409 and problem(twice)[0] == "state"
    listed = call(client, "get", SIGNED, tokens["coord-S01"]).json()
    assert [s["in_force"] for s in listed if s["id"] == signature] == [False]


def test_a_data_manager_freezes_a_form_and_a_change_of_it_is_refused_until_released(
    client: Any, tokens: dict[str, str]
) -> None:
    from oligotrial.edc.models import AdverseEvent

    ae = AdverseEvent.objects.filter(patient__screening_number="S01-001").first()
    assert ae is not None
    url = "/api/patients/S01-001/freezes"
    coord = tokens["coord-S01"]
    assert call(client, "get", url, coord).status_code == 403
    assert call(client, "get", "/api/patients/S02-001/freezes", coord).status_code == 404
    form = {"scope": "form", "kind": "adverse_event", "record_id": ae.pk, "reason": "review"}
    no_id = call(client, "post", url, tokens["dm"], {**form, "record_id": None})
    assert no_id.status_code == 422 and problem(no_id)[0] == "record_id"
    made = call(client, "post", url, tokens["dm"], form)
    assert made.status_code == 201, made.content
    frozen = made.json()
    assert frozen["in_force"] and frozen["record_id"] == ae.pk and frozen["frozen_by"] == "dm"
    twice = call(client, "post", url, tokens["dm"], form)
    assert twice.status_code == 409 and "already frozen" in problem(twice)[1]
    correction = {
        "kind": "adverse_event",
        "record_id": ae.pk,
        "field": "resolved_date",
        "value": SCREENED_ON.isoformat(),
        "reason": "source document",
    }
    refused = call(client, "post", "/api/corrections", coord, correction)
    assert refused.status_code == 409 and "is frozen" in problem(refused)[1]
    assert AdverseEvent.objects.get(pk=ae.pk).resolved_date == ae.resolved_date

    release = {"reason": "review done"}
    elsewhere = f"/api/patients/S02-001/freezes/{frozen['id']}/release"
    wrong = call(client, "post", elsewhere, tokens["dm"], release)
    assert wrong.status_code == 404 and problem(wrong)[0] == "freeze_id"
    done = call(client, "post", f"{url}/{frozen['id']}/release", tokens["dm"], release)
    assert done.status_code == 200 and not done.json()["in_force"]
    assert done.json()["release_reason"] == "review done"
    again = call(client, "post", f"{url}/{frozen['id']}/release", tokens["dm"], release)
    assert again.status_code == 409
    assert [e.reason for e in _entries("freeze")][-1:] == ["review"]
    assert [e.reason for e in _entries("unfreeze")][-1:] == ["review done"]
    listed = call(client, "get", url, tokens["dm"]).json()
    assert [f["in_force"] for f in listed if f["id"] == frozen["id"]] == [False]


def test_a_frozen_patient_takes_no_new_record(client: Any, tokens: dict[str, str]) -> None:
    url = "/api/patients/S01-001/freezes"
    made = call(client, "post", url, tokens["dm"], {"scope": "patient", "reason": "audit visit"})
    assert made.status_code == 201, made.content
    lab = {"analyte": "albumin", "value": 40, "unit": "g/L", "sampled_on": SCREENED_ON.isoformat()}
    path = "/api/patients/S01-001/records/lab"
    refused = call(client, "post", path, tokens["coord-S01"], lab)
    assert refused.status_code == 409 and "patient S01-001 is frozen" in problem(refused)[1]
    release = f"{url}/{made.json()['id']}/release"
    assert call(client, "post", release, tokens["dm"], {"reason": "done"}).status_code == 200
    assert call(client, "post", path, tokens["coord-S01"], lab).status_code == 201


def test_the_lock_is_refused_with_the_open_checklist_items(
    client: Any, tokens: dict[str, str]
) -> None:
    state = call(client, "get", "/api/database-lock", tokens["dm"])
    assert state.status_code == 200 and state.json()["locked"] is False
    checklist = state.json()["checklist"]
    assert not checklist["clear"] and checklist["counts"]["unsigned_casebook"] >= 1
    assert call(client, "get", "/api/database-lock", tokens["monitor"]).status_code == 403
    refused = call(client, "post", "/api/database-lock", tokens["dm"], {"reason": "final"})
    assert refused.status_code == 409
    body = refused.json()
    assert body["field"] == "checklist" and "cannot be locked" in body["problem"]
    items = {(i["category"], i["patient"]) for i in body["open_items"]}
    assert ("unsigned_casebook", "S02-001") in items
    assert len(body["open_items"]) == len(checklist["items"])
    entry = _entries("lock_refused")[-1]
    assert entry.actor == "dm" and "refused" in entry.reason
    assert json.loads(entry.changes)["open_items"][1]["unsigned_casebook"] >= 1


def test_the_lock_and_unlock_when_the_checklist_is_clear(
    client: Any, api_root: Path, tokens: dict[str, str]
) -> None:
    """On a trial of its own (the lock is trial-wide): nothing open, so the lock is taken."""
    import tempfile

    from django.core.management import call_command
    from web_support import screening_record, switch_database

    from oligotrial.edc import services
    from oligotrial.edc.models import AuditEntry
    from oligotrial.edc.services.tokens import create_token
    from oligotrial.edc.settings import sqlite_database

    switch_database(dict(sqlite_database(Path(tempfile.mkdtemp(dir=api_root))).django))
    call_command("migrate", verbosity=0, interactive=False)
    admin = services.bootstrap_admin("admin")
    services.add_site(admin, "S01", "Hospital S01", language="en")
    services.add_staff(admin, "dm", "data_manager", None, "Data manager")
    services.add_staff(admin, "coord", "coordinator", "S01", "Coordinator")
    dm, coord = (create_token(n, days=1).secret for n in ("dm", "coord"))

    locked = call(client, "post", "/api/database-lock", dm, {"reason": "final analysis"})
    assert locked.status_code == 200, locked.content
    assert locked.json()["locked"] and locked.json()["checklist"]["clear"]
    screened = call(client, "post", "/api/screenings", coord, screening_record("S01-001"))
    assert screened.status_code == 409 and "locked" in problem(screened)[1]
    again = call(client, "post", "/api/database-lock", dm, {"reason": "x"})
    assert again.status_code == 409 and problem(again) == (
        "state",
        "the database is already locked",
    )
    blank = call(client, "post", "/api/database-lock/unlock", dm, {"reason": "  "})
    assert blank.status_code == 422 and problem(blank)[0] == "reason"
    opened = call(client, "post", "/api/database-lock/unlock", dm, {"reason": "late lab"})
    assert opened.status_code == 200 and not opened.json()["locked"]
    assert opened.json()["unlock_reason"] == "late lab" and opened.json()["unlocked_by"] == "dm"
    actions = list(
        AuditEntry.objects.filter(action__in=("lock", "unlock")).values_list(
            "action", "actor", "reason"
        )
    )
    assert actions == [("lock", "dm", "final analysis"), ("unlock", "dm", "late lab")]
    assert services.verify_chain().ok
