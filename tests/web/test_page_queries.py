"""The site home reads the database a fixed number of times, whatever the number of
patients (no query per patient)."""

from __future__ import annotations

from pathlib import Path

import pytest
from web_support import add_patients, build_web_trial, switch_database

pytestmark = pytest.mark.slow


def _count_queries(client, path: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_site_home_queries_do_not_grow_with_patients(web_root: Path) -> None:
    from django.test import Client

    from oligotrial.edc.models import Staff

    switch_database(build_web_trial(web_root / "queries"))
    coord = Staff.objects.select_related("site", "user").get(username="coord-S01")
    monitor = Staff.objects.select_related("user").get(username="monitor")
    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for who in (coord, monitor):
        client.force_login(who.user, backend="allauth.account.auth_backends.AuthenticationBackend")
        counts[who.username], page = _count_queries(client, "/")
        assert "S01-004" in page
    add_patients(coord, 8)
    for who in (coord, monitor):
        client.force_login(who.user, backend="allauth.account.auth_backends.AuthenticationBackend")
        n, page = _count_queries(client, "/")
        assert "S01-107" in page
        assert ("12 patients" if who is coord else "13 patients") in page
        assert n == counts[who.username], (who.username, counts[who.username], n)
    n, page = _count_queries(client, "/patients/S01-107/")
    assert "Patient S01-107" in page
