"""The trial office's pages on the Django test client: who may open them (every office URL
against every role), bad filters named, the CSV export, and a fixed number of database
queries per page whatever the amount of data (no N+1)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_support import USERS, build_web_trial, sign_in_client, switch_database

OFFICE_USERS = {"dm", "monitor"}
URLS = (
    "/office/queries/",
    "/office/queries/?status=open&age=7&site=S01",
    "/office/sdv/",
    "/office/sdv/?site=S01",
    "/office/sdv/S01-001/",
    "/office/audit/",
    "/office/audit/?patient=S01-001&field=visit_date",
    "/office/audit/export.csv",
    "/office/lab-results/",
    "/office/queries/raise/?kind=visit&record_id=1&field=visit_date",
)


@pytest.fixture(scope="module")
def office_db(web_root: Path) -> dict[str, Any]:
    return build_web_trial(web_root / "office-pages")


@pytest.fixture(autouse=True)
def _own(office_db: dict[str, Any]) -> Iterator[None]:
    switch_database(office_db)
    yield


def _client(username: str) -> Any:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    sign_in_client(client, username)
    return client


@pytest.mark.parametrize("username", sorted({*USERS, "admin"}))
def test_every_office_url_against_every_role(username: str) -> None:
    client = _client(username)
    for url in URLS:
        status = client.get(url).status_code
        assert status == (200 if username in OFFICE_USERS else 403), (url, username, status)
    # closing is refused (403) to everyone but the office, audited where the query is seen
    from oligotrial.edc.models import AuditEntry, DataQuery, Staff, Visit
    from oligotrial.edc.services import office_queries

    dm = Staff.objects.get(username="dm")
    visit = Visit.objects.filter(patient__screening_number="S01-001", number=0).get()
    query = office_queries.raise_query(dm, "visit", visit.pk, "visit_date", "Date?")
    refused = AuditEntry.objects.filter(action="refused").count()
    response = client.post(f"/office/queries/{query.pk}/close/", {"reason": "done"})
    if username in OFFICE_USERS:
        assert response.status_code == 302
        assert DataQuery.objects.get(pk=query.pk).status == "closed"
    else:
        assert response.status_code in (403, 404)
        assert DataQuery.objects.get(pk=query.pk).status == "open"
        seen = username.endswith("S01") or username in {"admin", "stat"}
        assert AuditEntry.objects.filter(action="refused").count() == refused + (
            1 if response.status_code == 403 and seen else 0
        )
    assert client.get("/office/sdv/S09-999/").status_code == (
        404 if username in OFFICE_USERS else 403
    )
    assert client.get("/office/queries/999999/").status_code == (
        404 if username in OFFICE_USERS else 403
    )


def test_bad_filters_are_named_and_nothing_is_listed() -> None:
    client = _client("dm")
    response = client.get("/office/audit/?since=2026-13-01")
    assert response.status_code == 400
    assert b"is not a date" in response.content
    response = client.get("/office/audit/?since=2026-02-02&until=2026-02-01")
    assert response.status_code == 400 and b"is before" in response.content
    response = client.get("/office/queries/?status=pending")
    assert response.status_code == 200  # an unknown choice is ignored, shown as an error
    assert b"pending" in response.content


def test_the_export_is_the_filtered_trail_as_csv() -> None:
    from oligotrial.edc.models import AuditEntry

    client = _client("dm")
    response = client.get("/office/audit/export.csv?patient=S01-001")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["seq", "at", "actor"]
    assert len(rows) - 1 == AuditEntry.objects.filter(patient="S01-001").count() > 5
    assert {r[7] for r in rows[1:]} == {"S01-001"}


def _queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 200
    return len(seen.captured_queries)


def _add_checked_labs(analytes: tuple[str, ...]) -> None:
    """Labs of S01-001 at baseline, each queried and verified by the monitor."""
    from web_support import SCREENED_ON

    from oligotrial.edc import services
    from oligotrial.edc.models import Staff
    from oligotrial.edc.services import office_queries, verification

    coord = Staff.objects.get(username="coord-S01")
    monitor = Staff.objects.get(username="monitor")
    for analyte in analytes:
        lab = services.record(
            coord,
            "S01-001",
            "lab",
            {"analyte": analyte, "value": 40.0, "unit": _unit(analyte), "sampled_on": SCREENED_ON},
            visit_number=0,
        )
        office_queries.raise_query(monitor, "lab", lab.pk, "value", "Source?")
        verification.verify(monitor, "lab", lab.pk)


def test_pages_read_a_fixed_number_of_rows_sets() -> None:
    """Adding patients, labs, queries and verifications adds no database query to a page."""
    from web_support import add_patients

    from oligotrial.edc.models import Staff

    client = _client("monitor")
    pages = ("/office/audit/", "/office/queries/", "/office/sdv/?site=S01", "/office/sdv/S01-001/")
    _add_checked_labs(("albumin",))
    client.get("/office/queries/")  # the session's first request reads more (sign-in)
    before = {url: _queries(client, url) for url in pages}
    add_patients(Staff.objects.get(username="coord-S01"), 3, start=200)
    _add_checked_labs(("bilirubin", "platelets", "alt"))
    after = {url: _queries(client, url) for url in pages}
    assert after == before


def _unit(analyte: str) -> str:
    return {"albumin": "g/L", "bilirubin": "µmol/L", "platelets": "10^9/L", "alt": "U/L"}[analyte]


def test_the_office_follow_up_reaches_the_site_in_the_conversation() -> None:
    from oligotrial.edc.models import AuditEntry, QueryMessage, Staff, Visit
    from oligotrial.edc.services import office_queries

    dm = Staff.objects.get(username="dm")
    visit = Visit.objects.get(patient__screening_number="S01-001", number=0)
    query = office_queries.raise_query(dm, "visit", visit.pk, "visit_date", "Which date?")
    office = _client("dm")
    before = AuditEntry.objects.count()
    blank = office.post(f"/office/queries/{query.pk}/", {"text": "  "})
    assert blank.status_code == 200 and b'id="id_text-error"' in blank.content
    assert AuditEntry.objects.count() == before
    sent = office.post(f"/office/queries/{query.pk}/", {"text": "Please attach the letter."})
    assert sent.status_code == 302
    assert QueryMessage.objects.filter(query=query).count() == 2
    page = _client("coord-S01").get("/patients/S01-001/data/").content.decode()
    assert "Which date?" in page and "Please attach the letter." in page
    detail = office.get(f"/office/queries/{query.pk}/").content.decode()
    assert detail.index("Which date?") < detail.index("Please attach the letter.")
