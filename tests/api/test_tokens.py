"""API tokens: only the hash is stored; expiry, revocation, deactivation and a change of
role or site each stop a token; issue and revocation are audited without the secret; the
token never reaches a log line."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from api_support import call, problem


def _new(username: str = "coord-S01") -> Any:
    from oligotrial.edc.services.tokens import create_token

    return create_token(username, days=1, name="test")


def test_only_the_hash_is_stored_and_audited_without_it(client: Any) -> None:
    from oligotrial.edc.models import ApiToken, AuditEntry

    issued = _new()
    row = ApiToken.objects.get(pk=issued.row.pk)
    assert issued.secret.startswith("olt_") and len(issued.secret) > 40
    assert issued.secret not in str(row.__dict__)
    entry = AuditEntry.objects.get(model="edc.ApiToken", object_id=str(row.pk), action="create")
    assert "token_hash" not in entry.changes and row.token_hash not in entry.changes
    assert issued.secret not in entry.changes
    assert call(client, "get", "/api/patients", issued.secret).status_code == 200


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer olt_nothing", "Basic abc", "olt_x"])
def test_no_or_a_wrong_token_is_401(client: Any, header: str) -> None:
    response = client.get("/api/patients", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert problem(response)[0] == "authorization"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_stops_working(client: Any) -> None:
    from django.utils import timezone

    from oligotrial.edc.models import ApiToken

    issued = _new()
    ApiToken.objects.filter(pk=issued.row.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert call(client, "get", "/api/patients", issued.secret).status_code == 401


def test_a_revoked_token_stops_at_once_and_the_revocation_is_audited(client: Any) -> None:
    from oligotrial.edc.models import AuditEntry
    from oligotrial.edc.services.tokens import list_tokens, revoke_token
    from oligotrial.errors import InputError, StateError

    issued = _new()
    assert call(client, "get", "/api/patients", issued.secret).status_code == 200
    revoke_token(issued.row.pk, reason="laptop lost")
    assert call(client, "get", "/api/patients", issued.secret).status_code == 401
    entry = AuditEntry.objects.get(object_id=str(issued.row.pk), action="revoke")
    assert entry.reason == "laptop lost" and entry.model == "edc.ApiToken"
    states = {t["id"]: t["state"] for t in list_tokens("coord-S01")}
    assert states[issued.row.pk] == "revoked"
    assert all(issued.secret not in str(t) for t in list_tokens())
    with pytest.raises(StateError):
        revoke_token(issued.row.pk, reason="again")
    with pytest.raises(InputError):
        revoke_token(issued.row.pk, reason="")


def test_a_token_does_not_outlive_its_users_role_site_or_account(client: Any) -> None:
    from oligotrial.edc.models import Site, Staff

    issued = _new("inv2-S01")
    assert call(client, "get", "/api/patients", issued.secret).status_code == 200
    Staff.objects.filter(username="inv2-S01").update(site=Site.objects.get(code="S02"))
    assert call(client, "get", "/api/patients", issued.secret).status_code == 401
    Staff.objects.filter(username="inv2-S01").update(site=Site.objects.get(code="S01"))
    assert call(client, "get", "/api/patients", issued.secret).status_code == 200
    Staff.objects.filter(username="inv2-S01").update(active=False)
    try:
        assert call(client, "get", "/api/patients", issued.secret).status_code == 401
    finally:
        Staff.objects.filter(username="inv2-S01").update(active=True)


@pytest.mark.parametrize(("days", "field"), [(0, "days"), (400, "days"), (True, "days")])
def test_token_lifetime_is_bounded(days: Any, field: str) -> None:
    from oligotrial.edc.services.tokens import create_token
    from oligotrial.errors import InputError

    with pytest.raises(InputError) as caught:
        create_token("coord-S01", days=days)
    assert caught.value.field == field


def test_tokens_never_reach_the_logs(
    client: Any, tokens: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token = tokens["coord-S01"]
    call(client, "get", "/api/patients/S02-001", token)  # 404: logged by Django
    call(client, "post", "/api/patients/S01-002/consents", token, {"version": 2})  # 422
    call(client, "get", "/api/patients", token + "x")  # 401
    call(client, "get", "/api/sites", token)  # 403
    assert caplog.records, "Django logs refused requests"
    text = "\n".join(r.getMessage() + repr(r.__dict__) for r in caplog.records)
    assert token not in text and token[4:20] not in text
