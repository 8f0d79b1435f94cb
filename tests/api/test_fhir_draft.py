"""``POST /api/patients/{n}/screening-draft/fhir``: a patient's FHIR Bundle fills the blank
fields of their screening draft, answering each field with its source resource; a bad
Bundle is a 422 naming the field and writes nothing; another site's patient is a 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from api_support import call, problem

NUMBER = "S01-801"
URL = f"/api/patients/{NUMBER}/screening-draft/fhir"


def _bundle(*extra: dict[str, Any]) -> dict[str, Any]:
    subject = {"reference": "Patient/ehr-9"}
    taken = f"{dt.date.today() - dt.timedelta(days=10)}T08:00:00+08:00"
    resources: list[dict[str, Any]] = [
        {"resourceType": "Patient", "id": "ehr-9", "gender": "female", "birthDate": "1958-09-30"},
        {
            "resourceType": "Observation",
            "id": "alb-9",
            "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "1751-7"}]},
            "subject": subject,
            "effectiveDateTime": taken,
            "valueQuantity": {"value": 38, "unit": "g/L", "code": "g/L"},
        },
        *extra,
    ]
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"fullUrl": f"urn:x:{r['id']}", "resource": r} for r in resources],
    }


def _draft() -> Any:
    from oligotrial.edc.models import ScreeningDraft

    return ScreeningDraft.objects.get(screening_number=NUMBER)


def _audit_length() -> int:
    from oligotrial.edc.models import AuditEntry

    return AuditEntry.objects.count()


@pytest.fixture(autouse=True)
def _draft_with_a_typed_field() -> None:
    from oligotrial.edc.models import ScreeningDraft, Staff
    from oligotrial.edc.services import screening_drafts

    ScreeningDraft.objects.filter(screening_number=NUMBER).delete()
    coord = Staff.objects.get(username="coord-S01")
    screening_drafts.save_draft(coord, NUMBER, {"patient_id": NUMBER, "sex": "male"})


def test_blank_fields_filled_with_their_sources(client: Any, tokens: dict[str, str]) -> None:
    response = call(client, "post", URL, tokens["coord-S01"], _bundle())
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["screening_number"] == NUMBER and body["not_used"] == []
    filled = {f["field"]: (f["value"], f["resources"]) for f in body["filled"]}
    assert filled["labs.albumin.value"] == ("38", ["Observation/alb-9"])
    assert filled["birth_date"] == ("1958-09-30", ["Patient/ehr-9"])
    assert "sex" not in filled  # typed by the coordinator: kept
    draft = _draft()
    assert draft.values["sex"] == "male" and draft.values["labs.albumin.value"] == "38"
    assert draft.ehr_sources["labs.albumin"]["resources"] == ["Observation/alb-9"]


def test_unused_entries_are_named(client: Any, tokens: dict[str, str]) -> None:
    response = call(
        client, "post", URL, tokens["coord-S01"], _bundle({"resourceType": "Foo", "id": "x"})
    )
    assert response.status_code == 200, response.content
    assert response.json()["not_used"] == ["entry 2: unknown resource type 'Foo'"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"resourceType": "Patient"}, "resourceType"),
        ({"type": "pile"}, "type"),
        ({"colour": "red"}, "colour"),
        ({"entry": [{"resource": {"resourceType": "Patient"}, "extra": 1}]}, "entry.0.extra"),
        ({"entry": "none"}, "entry"),
    ],
)
def test_bad_bundle_names_the_field_and_writes_nothing(
    client: Any, tokens: dict[str, str], change: dict[str, Any], field: str
) -> None:
    before, audit = dict(_draft().values), _audit_length()
    response = call(client, "post", URL, tokens["coord-S01"], {**_bundle(), **change})
    assert response.status_code == 422, response.content
    assert problem(response)[0] == field
    assert dict(_draft().values) == before and _audit_length() == audit


def test_two_patients_are_refused(client: Any, tokens: dict[str, str]) -> None:
    other = {"resourceType": "Patient", "id": "ehr-10", "gender": "male"}
    before, audit = dict(_draft().values), _audit_length()
    response = call(client, "post", URL, tokens["coord-S01"], _bundle(other))
    assert response.status_code == 422
    assert problem(response) == ("bundle", "holds 2 patients; import one at a time")
    assert dict(_draft().values) == before and _audit_length() == audit


def test_another_sites_patient_is_not_found(client: Any, tokens: dict[str, str]) -> None:
    audit = _audit_length()
    response = call(client, "post", URL, tokens["coord-S02"], _bundle())
    assert response.status_code == 404
    assert problem(response) == ("patient", f"no patient '{NUMBER}' at your site(s)")
    assert _audit_length() == audit
