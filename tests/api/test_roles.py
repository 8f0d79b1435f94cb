"""The role matrix over the API: who may read and change what, as the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from api_support import SCREENED_ON, TODAY, call, problem

DAY = SCREENED_ON.isoformat()
SIGN = {"password": "not-checked-before-the-role", "totp_code": "123456"}
FREEZE = {"scope": "patient", "reason": "review"}


@pytest.mark.parametrize(
    ("user", "method", "path", "body", "status"),
    [
        ("admin", "get", "/api/sites", None, 200),
        ("admin", "get", "/api/staff", None, 200),
        ("coord-S01", "get", "/api/sites", None, 403),
        ("monitor", "get", "/api/staff", None, 403),
        ("coord-S01", "post", "/api/sites", {"code": "S77", "name": "Hospital"}, 403),
        ("monitor", "get", "/api/patients/S02-001", None, 200),
        ("monitor", "get", "/api/patients/S01-001/history", None, 200),
        (
            "monitor",
            "post",
            "/api/patients/S01-002/consents",
            {"version": "1", "signed_on": DAY},
            403,
        ),
        ("dm", "get", "/api/patients/S02-001/visits", None, 200),
        ("stat", "get", "/api/patients/S01-001/history", None, 403),
        ("stat", "get", "/api/queries", None, 403),
        ("coord-S01", "get", f"/api/exports/adsl?data_cutoff={DAY}", None, 403),
        ("monitor", "post", "/api/patients/S01-002/randomization", {"randomized_on": DAY}, 403),
        # the trial office: signatures (investigators), freezes and the lock (data managers)
        ("monitor", "get", "/api/patients/S01-001/signatures", None, 200),
        ("coord-S01", "post", "/api/patients/S01-001/signatures", SIGN, 403),
        ("dm", "post", "/api/patients/S01-001/signatures", SIGN, 403),
        ("monitor", "post", "/api/patients/S01-001/signatures/1/void", {"reason": "x"}, 403),
        ("coord-S01", "post", "/api/patients/S01-001/signatures/1/void", {"reason": "x"}, 403),
        ("dm", "get", "/api/patients/S02-001/freezes", None, 200),
        ("coord-S01", "get", "/api/patients/S01-001/freezes", None, 403),
        ("monitor", "get", "/api/patients/S01-001/freezes", None, 403),
        ("inv-S01", "post", "/api/patients/S01-001/freezes", FREEZE, 403),
        ("monitor", "post", "/api/patients/S01-001/freezes/1/release", {"reason": "x"}, 403),
        ("dm", "get", "/api/database-lock", None, 200),
        ("monitor", "get", "/api/database-lock", None, 403),
        ("inv-S01", "get", "/api/database-lock", None, 403),
        ("stat", "post", "/api/database-lock", {"reason": "x"}, 403),
        ("coord-S01", "post", "/api/database-lock/unlock", {"reason": "x"}, 403),
    ],
)
def test_role_matrix(
    client: Any, tokens: dict[str, str], user: str, method: str, path: str, body: Any, status: int
) -> None:
    response = call(client, method, path, tokens[user], body)
    assert response.status_code == status, response.content
    if status >= 400:
        field, _ = problem(response)
        assert field == "role"


def test_admin_adds_a_site_and_a_user(client: Any, tokens: dict[str, str]) -> None:
    site = call(client, "post", "/api/sites", tokens["admin"], {"code": "S09", "name": "Ninth"})
    assert site.status_code == 201 and site.json()["language"] == "zh-hans"
    again = call(client, "post", "/api/sites", tokens["admin"], {"code": "S09", "name": "Ninth"})
    assert again.status_code == 422 and problem(again)[0] == "site.code"
    assert site.json()["country"] == "CHN"
    abroad = {"code": "S10", "name": "Tenth", "country": "KOR"}
    assert call(client, "post", "/api/sites", tokens["admin"], abroad).json()["country"] == "KOR"
    listed = call(client, "get", "/api/sites", tokens["admin"]).json()
    assert {s["code"]: s["country"] for s in listed}["S10"] == "KOR"
    bad = call(
        client, "post", "/api/sites", tokens["admin"], {**abroad, "code": "S11", "country": "XYZ"}
    )
    assert bad.status_code == 422 and problem(bad)[0] == "site.country"
    user = {"username": "coord-S09", "role": "coordinator", "site": "S09"}
    made = call(client, "post", "/api/staff", tokens["admin"], user)
    assert made.status_code == 201 and made.json()["site"] == "S09"
    homeless = call(
        client, "post", "/api/staff", tokens["admin"], {**user, "username": "x", "site": None}
    )
    assert homeless.status_code == 422 and problem(homeless)[0] == "staff.site"


def test_data_manager_closes_a_query_with_a_reason(client: Any, tokens: dict[str, str]) -> None:
    from oligotrial.edc.models import AuditEntry, DataQuery

    query = DataQuery.objects.get(patient__screening_number="S01-001", status="open")
    own = call(
        client, "post", f"/api/queries/{query.pk}/close", tokens["coord-S01"], {"reason": "x"}
    )
    assert own.status_code == 403
    read = call(client, "get", f"/api/queries/{query.pk}", tokens["coord-S01"])
    assert read.status_code == 200 and read.json()["status"] == "open"
    closed = call(
        client, "post", f"/api/queries/{query.pk}/close", tokens["dm"], {"reason": "confirmed"}
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    entry = AuditEntry.objects.filter(action="query-close", object_id=str(query.pk)).last()
    assert entry is not None and entry.actor == "dm" and entry.reason == "confirmed"
    twice = call(client, "post", f"/api/queries/{query.pk}/close", tokens["dm"], {"reason": "x"})
    assert twice.status_code == 409 and problem(twice)[0] == "state"


def test_statistician_exports_a_data_set_as_csv(client: Any, tokens: dict[str, str]) -> None:
    cutoff = TODAY.isoformat()
    response = call(client, "get", f"/api/exports/adsl?data_cutoff={cutoff}", tokens["stat"])
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    lines = text.strip().splitlines()
    assert lines[0].startswith("STUDYID") or "USUBJID" in lines[0]
    assert {line.split(",")[lines[0].split(",").index("USUBJID")] for line in lines[1:]} == {
        "S01-001",
        "S02-001",
    }
    bad = call(client, "get", "/api/exports/adsl?data_cutoff=20260101", tokens["stat"])
    assert bad.status_code == 422 and problem(bad)[0] == "data_cutoff"
    unknown = call(client, "get", f"/api/exports/sdtm?data_cutoff={cutoff}", tokens["stat"])
    assert unknown.status_code == 422 and problem(unknown)[0] == "dataset"


def test_the_dsmb_report_for_statisticians(client: Any, tokens: dict[str, str]) -> None:
    from oligotrial.edc import services
    from oligotrial.edc.models import Consent

    coordinator = services.get_actor("coord-S01")
    if not Consent.objects.filter(patient__screening_number="S01-002").exists():
        services.record_consent(coordinator, "S01-002", version="1.0", signed_on=SCREENED_ON)
    services.randomize(coordinator, "S01-002", randomized_on=SCREENED_ON)
    arms = {p["arm"] for p in services.list_patients(coordinator) if p["arm"]}
    assert arms == {"A", "B"}  # the list's next slot (seed 20260301) gives the other arm
    for number, days in (("S01-001", 40), ("S01-002", 60)):  # an event in each arm
        death = {"death_date": SCREENED_ON + dt.timedelta(days=days), "cause": "progression"}
        services.record(coordinator, number, "death", death)
    cutoff = TODAY.isoformat()
    denied = call(client, "get", f"/api/reports/dsmb?data_cutoff={cutoff}", tokens["dm"])
    assert denied.status_code == 403
    response = call(client, "get", f"/api/reports/dsmb?data_cutoff={cutoff}", tokens["stat"])
    assert response.status_code == 200, response.content
    html = b"".join(response.streaming_content).decode()
    assert "<html" in html.lower() and "DSMB" in html


@pytest.mark.parametrize("path", ["/api/reports/dsmb", "/api/exports/adsl"])
def test_a_cutoff_after_today_is_refused(client: Any, tokens: dict[str, str], path: str) -> None:
    """Follow-up cannot run to a day that has not come: a far-future cut-off once made the
    report draw its time axes out to that year (minutes of CPU and gigabytes of memory)."""
    for later in (dt.date.today() + dt.timedelta(days=2), dt.date(9999, 12, 31)):
        response = call(client, "get", f"{path}?data_cutoff={later.isoformat()}", tokens["stat"])
        assert response.status_code == 422
        assert problem(response) == ("data_cutoff", f"{later.isoformat()} is in the future")
