"""Site isolation over the whole API: a site's token gets 404 on every operation that names
another site's patient, record or query, exactly as for one that does not exist, and nothing
is written. The operations are read from the OpenAPI document, so a new one is covered (or
this test fails for want of an example body)."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import SCREENED_ON, call, problem

DAY = SCREENED_ON.isoformat()
#: a body of the right shape for every operation that takes one (the shape is checked first)
BODIES: dict[tuple[str, str], Any] = {
    ("post", "/api/patients/{screening_number}/consents"): {"version": "1.0", "signed_on": DAY},
    ("post", "/api/patients/{screening_number}/randomization"): {"randomized_on": DAY},
    ("post", "/api/patients/{screening_number}/screening-corrections"): {
        "path": "ecog",
        "value": 1,
        "reason": "source document",
    },
    ("post", "/api/patients/{screening_number}/visits/schedule"): {"horizon_weeks": 10},
    ("post", "/api/patients/{screening_number}/screening-draft/fhir"): {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": {"resourceType": "Patient", "id": "ehr-1", "gender": "male"}}],
    },
    ("post", "/api/patients/{screening_number}/visits/{visit_number}"): {"visit_date": DAY},
    ("post", "/api/patients/{screening_number}/exposures/{exposure_id}/dose-change"): {
        "new_dose": 2.0,
        "on": DAY,
        "reason": "toxicity",
    },
    ("post", "/api/patients/{screening_number}/records/lab"): {
        "analyte": "albumin",
        "value": 40,
        "unit": "g/L",
        "sampled_on": DAY,
    },
    ("post", "/api/patients/{screening_number}/records/lesion"): {
        "code": "T9",
        "role": "target",
        "organ": "liver",
    },
    ("post", "/api/patients/{screening_number}/records/measurement"): {
        "lesion_code": "T1",
        "visit_number": 1,
        "measured_on": DAY,
        "diameter_mm": 10,
    },
    ("post", "/api/patients/{screening_number}/records/rt_course"): {
        "target_site": "liver",
        "total_dose_gy": 30,
        "fractions": 5,
        "start_date": DAY,
    },
    ("post", "/api/patients/{screening_number}/records/exposure"): {
        "line": "FLST",
        "drug": "lenvatinib",
        "dose": 8,
        "dose_unit": "mg",
        "start_date": DAY,
    },
    ("post", "/api/patients/{screening_number}/records/adverse_event"): {
        "term": "Fatigue",
        "grade": 1,
        "onset_date": DAY,
    },
    ("post", "/api/patients/{screening_number}/records/biosample"): {
        "kind": "ctdna",
        "time_point": "baseline",
        "identifier": "CT-MATRIX-1",
        "collected_on": DAY,
    },
    ("post", "/api/patients/{screening_number}/records/new_therapy"): {
        "therapy": "regorafenib",
        "start_date": DAY,
    },
    ("post", "/api/patients/{screening_number}/records/death"): {
        "death_date": DAY,
        "cause": "other",
    },
    ("post", "/api/patients/{screening_number}/records/withdrawal"): {
        "kind": "withdrawal",
        "last_known_alive": DAY,
        "effective_date": DAY,
    },
    ("post", "/api/patients/{screening_number}/signatures"): {
        "password": "a-password",
        "totp_code": "123456",
    },
    ("post", "/api/patients/{screening_number}/signatures/{signature_id}/void"): {
        "reason": "signed in error"
    },
    ("post", "/api/patients/{screening_number}/freezes"): {"scope": "patient", "reason": "x"},
    ("post", "/api/patients/{screening_number}/freezes/{freeze_id}/release"): {"reason": "x"},
}
PATH_VALUES = {"visit_number": "1", "exposure_id": "1", "signature_id": "1", "freeze_id": "1"}
#: operations of the data managers alone: a site's own staff are refused by role (403)
DATA_MANAGERS_ONLY = {"/api/patients/{screening_number}/freezes"}


def _operations(client: Any) -> list[tuple[str, str]]:
    document = client.get("/api/openapi.json").json()
    return sorted(
        (method, path)
        for path, item in document["paths"].items()
        for method in item
        if "{screening_number}" in path
    )


def _url(path: str, number: str) -> str:
    url = path.replace("{screening_number}", number)
    for name, value in PATH_VALUES.items():
        url = url.replace("{" + name + "}", value)
    return url


def _audit_length() -> int:
    from oligotrial.edc.models import AuditEntry

    return AuditEntry.objects.count()


@pytest.mark.parametrize("user", ["coord-S01", "inv-S01"])
def test_every_patient_operation_hides_the_other_site(
    client: Any, tokens: dict[str, str], user: str
) -> None:
    operations = _operations(client)
    assert len(operations) >= 30
    before = _audit_length()
    for method, path in operations:
        body = BODIES.get((method, path)) if method != "get" else None
        assert method == "get" or body is not None, f"no example body for {method} {path}"
        other = call(client, method, _url(path, "S02-001"), tokens[user], body)
        missing = call(client, method, _url(path, "S99-999"), tokens[user], body)
        assert other.status_code == 404, (method, path, other.content)
        assert missing.status_code == 404, (method, path, missing.content)
        field, text = problem(other)
        assert (field, text.replace("S02-001", "S99-999")) == problem(missing)
    assert _audit_length() == before  # nothing written


def test_the_same_operations_reach_the_own_site(client: Any, tokens: dict[str, str]) -> None:
    """The 404s above come from the site rule: the same calls on the own site's patient are
    answered (200/201, or a refusal that is not 'not found')."""
    for method, path in _operations(client):
        if method != "get":
            continue
        response = call(client, method, _url(path, "S01-001"), tokens["coord-S01"])
        if path in DATA_MANAGERS_ONLY:
            assert response.status_code == 403 and problem(response)[0] == "role", path
            continue
        assert response.status_code == 200, (path, response.content)


def _other_site_ids() -> dict[str, int]:
    from oligotrial.edc.models import AdverseEvent, DataQuery

    return {
        "query": DataQuery.objects.get(patient__screening_number="S02-001").pk,
        "ae": AdverseEvent.objects.get(patient__screening_number="S02-001").pk,
    }


def test_queries_and_records_of_the_other_site_are_not_found(
    client: Any, tokens: dict[str, str]
) -> None:
    ids = _other_site_ids()
    token = tokens["coord-S01"]
    before = _audit_length()
    assert call(client, "get", f"/api/queries/{ids['query']}", token).status_code == 404
    closing = call(client, "post", f"/api/queries/{ids['query']}/close", token, {"reason": "x"})
    assert closing.status_code == 404
    assert call(client, "get", "/api/queries/999999", token).status_code == 404
    listed = call(client, "get", "/api/queries?status=all", token).json()
    assert {q["site"] for q in listed} == {"S01"}
    correction = {
        "kind": "adverse_event",
        "record_id": ids["ae"],
        "field": "resolved_date",
        "value": SCREENED_ON.isoformat(),
        "reason": "source document",
    }
    other = call(client, "post", "/api/corrections", token, correction)
    missing = call(client, "post", "/api/corrections", token, {**correction, "record_id": 999999})
    assert other.status_code == missing.status_code == 404
    assert problem(other)[0] == problem(missing)[0] == "record_id"
    patients = call(client, "get", "/api/patients", token).json()
    assert {p["site"] for p in patients} == {"S01"}
    assert _audit_length() == before
