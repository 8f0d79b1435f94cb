"""Security of the API: CSRF for session callers, the security headers, the body size limit,
rate limits on token use and on failed tokens."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import SCREENED_ON, call, problem


def _signed_in(username: str) -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client

    browser = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    user = get_user_model().objects.get(username=username)
    browser.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return browser


def test_a_session_reads_and_its_changes_need_the_csrf_token() -> None:
    browser = _signed_in("coord-S01")
    assert browser.get("/api/patients").status_code == 200
    body = {"version": "1.0", "signed_on": SCREENED_ON.isoformat()}
    refused = call(browser, "post", "/api/patients/S01-002/consents", body=body)
    assert refused.status_code == 403 and problem(refused)[0] == "csrf"
    from django.middleware.csrf import get_token
    from django.test import RequestFactory

    token = get_token(RequestFactory().get("/"))  # what a page gives the browser
    browser.cookies["csrftoken"] = token
    wrong = call(
        browser, "post", "/api/patients/S01-002/consents", body=body, HTTP_X_CSRFTOKEN="x" * 64
    )
    assert wrong.status_code == 403
    accepted = call(
        browser, "post", "/api/patients/S01-002/consents", body=body, HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 201, accepted.content


def test_security_headers_on_api_responses(client: Any, tokens: dict[str, str]) -> None:
    for response in (
        call(client, "get", "/api/patients", tokens["coord-S01"]),
        call(client, "get", "/api/patients/S02-001", tokens["coord-S01"]),
        client.get("/api/openapi.json"),
    ):
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert response["Referrer-Policy"] == "same-origin"


def test_a_body_over_the_limit_is_413_and_not_read(client: Any, tokens: dict[str, str]) -> None:
    from oligotrial.edc.web.config import MAX_BODY_BYTES

    raw = b'{"version": "' + b"x" * MAX_BODY_BYTES + b'"}'
    response = call(client, "post", "/api/patients/S01-002/consents", tokens["coord-S01"], raw=raw)
    assert response.status_code == 413 and problem(response)[0] == "(body)"


def test_token_use_is_rate_limited_per_staff_member(
    client: Any, tokens: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from oligotrial.edc.api.app import api

    throttle = api.throttle[0]  # type: ignore[index]
    monkeypatch.setattr(throttle, "num_requests", 5)
    answers = [
        call(client, "get", "/api/patients", tokens["coord-S02"]).status_code for _ in range(7)
    ]
    assert answers == [200] * 5 + [429] * 2
    limited = call(client, "get", "/api/patients", tokens["coord-S02"])
    assert problem(limited)[0] == "rate" and int(limited["Retry-After"]) > 0
    # another staff member has their own allowance
    assert call(client, "get", "/api/patients", tokens["coord-S01"]).status_code == 200


def test_guessing_tokens_is_cut_off_per_address(client: Any, tokens: dict[str, str]) -> None:
    from oligotrial.edc.api.auth import FAILED_TOKENS_PER_MINUTE

    for i in range(FAILED_TOKENS_PER_MINUTE):
        assert call(client, "get", "/api/patients", f"olt_guess{i}").status_code == 401
    assert call(client, "get", "/api/patients", "olt_guess-last").status_code == 429
    # even the right token waits from that address until the minute is over
    assert call(client, "get", "/api/patients", tokens["coord-S01"]).status_code == 429


def test_messages_in_the_callers_language(client: Any) -> None:
    response = client.get(
        "/api/patients", HTTP_AUTHORIZATION="Bearer olt_x", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 401 and "令牌" in problem(response)[1]
