"""Strict input: JSON ``true`` is not a number, ``"30"`` is not a number, a number is not a
date, unknown fields and unknown codes are refused; each with 422 naming the field, in the
one error shape, and nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import SCREENED_ON, call, problem

DAY = SCREENED_ON.isoformat()
AE = "/api/patients/S01-001/records/adverse_event"
GOOD_AE = {"term": "Nausea", "grade": 2, "onset_date": DAY, "outcome": "recovering"}


def _audit_length() -> int:
    from oligotrial.edc.models import AuditEntry

    return AuditEntry.objects.count()


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (AE, {**GOOD_AE, "grade": True}, "grade"),
        (AE, {**GOOD_AE, "grade": "2"}, "grade"),
        (AE, {**GOOD_AE, "grade": 2.5}, "grade"),
        (AE, {**GOOD_AE, "onset_date": 20260101}, "onset_date"),
        (AE, {**GOOD_AE, "onset_date": "01/02/2026"}, "onset_date"),
        (AE, {**GOOD_AE, "serious": 1}, "serious"),
        (AE, {**GOOD_AE, "outcome": "better"}, "outcome"),
        (AE, {**GOOD_AE, "related_rt": "maybe"}, "related_rt"),
        (AE, {**GOOD_AE, "colour": "red"}, "colour"),
        (AE, {k: v for k, v in GOOD_AE.items() if k != "term"}, "term"),
        (
            "/api/patients/S01-001/records/lab",
            {"analyte": "albumin", "value": "30", "unit": "g/L", "sampled_on": DAY},
            "value",
        ),
        (
            "/api/patients/S01-001/records/lab",
            {"analyte": "sodium", "value": 140, "unit": "mmol/L", "sampled_on": DAY},
            "analyte",
        ),
        ("/api/patients/S01-002/consents", {"version": 1, "signed_on": DAY}, "version"),
        ("/api/patients/S01-002/randomization", {"randomized_on": True}, "randomized_on"),
        ("/api/patients/S01-001/visits/2", {"visit_date": DAY, "missed": "no"}, "missed"),
        ("/api/patients/S01-001/visits/schedule", {"horizon_weeks": "10"}, "horizon_weeks"),
        ("/api/sites", {"code": "S55", "name": "X", "language": "fr"}, "language"),
        ("/api/staff", {"username": "u", "role": "nurse"}, "role"),
    ],
)
def test_refused_with_the_field_named(
    client: Any, tokens: dict[str, str], path: str, body: Any, field: str
) -> None:
    token = tokens["admin" if path in ("/api/sites", "/api/staff") else "coord-S01"]
    before = _audit_length()
    response = call(client, "post", path, token, body)
    assert response.status_code == 422, response.content
    assert problem(response)[0] == field
    assert _audit_length() == before


def test_a_good_record_is_accepted_and_audited_as_the_token_user(
    client: Any, tokens: dict[str, str]
) -> None:
    from oligotrial.edc.models import AuditEntry

    response = call(client, "post", AE, tokens["inv-S01"], GOOD_AE)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "adverse_event" and body["values"]["grade"] == 2
    entry = AuditEntry.objects.get(model="edc.AdverseEvent", object_id=str(body["id"]))
    assert (entry.actor, entry.role, entry.site) == ("inv-S01", "investigator", "S01")


def test_a_correction_is_as_strict_as_the_entry(client: Any, tokens: dict[str, str]) -> None:
    from oligotrial.edc.models import AdverseEvent

    ae = AdverseEvent.objects.filter(patient__screening_number="S01-001").first()
    assert ae is not None
    base = {"kind": "adverse_event", "record_id": ae.pk, "field": "grade", "reason": "source"}
    for value in ("2", True, 2.5, None):
        response = call(
            client, "post", "/api/corrections", tokens["coord-S01"], {**base, "value": value}
        )
        assert response.status_code == 422 and problem(response)[0] == "adverse_event.grade"
    silent = call(
        client, "post", "/api/corrections", tokens["coord-S01"], {**base, "value": 3, "reason": ""}
    )
    assert silent.status_code == 422 and problem(silent)[0] == "reason"
    done = call(client, "post", "/api/corrections", tokens["coord-S01"], {**base, "value": 3})
    assert done.status_code == 200 and done.json()["values"]["grade"] == 3


@pytest.mark.parametrize(
    "raw", [b"{", b"[]", b'"text"', b'{"version": "1", "signed_on": NaN}', b"\xff\xfe"]
)
def test_malformed_bodies_are_422_not_500(client: Any, tokens: dict[str, str], raw: bytes) -> None:
    response = call(client, "post", "/api/patients/S01-002/consents", tokens["coord-S01"], raw=raw)
    assert response.status_code in (400, 422), response.content
    problem(response)


def test_screening_record_is_strict_and_the_engine_decides(
    client: Any, tokens: dict[str, str]
) -> None:
    from web_support import screening_record

    record = screening_record("S01-050")
    ok = call(client, "post", "/api/screenings", tokens["coord-S01"], record)
    assert ok.status_code == 201, ok.content
    out = ok.json()
    assert out["overall"] == "eligible" and out["version"] == 1 and out["verdicts"]
    spoilt = {**record, "patient_id": "S01-051", "unknown": 1}
    bad = call(client, "post", "/api/screenings", tokens["coord-S01"], spoilt)
    assert bad.status_code == 422 and problem(bad)[0] == "unknown"
    listed = call(client, "get", "/api/patients/S01-050/screenings", tokens["coord-S01"])
    assert [v["version"] for v in listed.json()] == [1]
