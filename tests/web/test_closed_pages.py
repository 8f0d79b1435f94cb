"""Self-service account pages that would send e-mail are closed; the rest need sign-in."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "path",
    ["/accounts/password/reset/", "/accounts/email/", "/accounts/signup/", "/accounts/login/code/"],
)
def test_self_service_pages_are_closed(path: str) -> None:
    from django.test import Client

    assert Client(HTTP_HOST="127.0.0.1").get(path).status_code == 404


def test_pages_need_sign_in_and_post_needs_csrf() -> None:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    response = client.get("/patients/S01-001/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/patients/S01-001/"
    refused = client.post("/accounts/login/", {"login": "coord-S01", "password": "x"})
    assert refused.status_code == 403  # no CSRF token
