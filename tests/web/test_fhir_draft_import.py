"""A patient's FHIR Bundle fills the blank fields of their screening draft (Django's test
client): typed values kept, each filled field named with its source resource, a bad file
refused with nothing written, another site's patient not found."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from web_support import build_web_trial, sign_in_client, switch_database

pytestmark = pytest.mark.slow
NUMBER = "S01-701"
URL = f"/patients/{NUMBER}/screening/fhir/"


def _bundle(*extra: dict[str, Any]) -> bytes:
    subject = {"reference": "Patient/ehr-1"}
    taken = f"{dt.date.today() - dt.timedelta(days=10)}T08:00:00+08:00"  # a recent result
    resources: list[dict[str, Any]] = [
        {"resourceType": "Patient", "id": "ehr-1", "gender": "male", "birthDate": "1961-04-02"},
        {
            "resourceType": "Observation",
            "id": "bili-1",
            "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "1975-2"}]},
            "subject": subject,
            "effectiveDateTime": taken,
            "valueQuantity": {"value": 1.2, "unit": "mg/dL", "code": "mg/dL"},
        },
        {
            "resourceType": "Observation",
            "id": "ecog-1",
            "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "89247-1"}]},
            "subject": subject,
            "effectiveDateTime": taken,
            "valueInteger": 2,
        },
        *extra,
    ]
    entry = [{"resource": r} for r in resources]
    return json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entry}).encode()


@pytest.fixture(scope="module")
def trial(web_root: Path) -> dict[str, Any]:
    return build_web_trial(web_root / "fhir-import")


@pytest.fixture
def client(trial: dict[str, Any]) -> Iterator[Any]:
    from django.test import Client

    from oligotrial.edc.models import ScreeningDraft, Staff
    from oligotrial.edc.services import screening_drafts

    switch_database(trial)
    coord = Staff.objects.get(username="coord-S01")
    screening_drafts.save_draft(coord, NUMBER, {"patient_id": NUMBER, "ecog": "1"})
    ScreeningDraft.objects.filter(screening_number=NUMBER).update(ehr_sources={})
    yield Client(HTTP_HOST="127.0.0.1")


def _draft() -> dict[str, str]:
    from oligotrial.edc.models import ScreeningDraft

    return dict(ScreeningDraft.objects.get(screening_number=NUMBER).values)


def _post(client: Any, content: bytes) -> Any:
    upload = SimpleUploadedFile("bundle.json", content, content_type="application/fhir+json")
    return client.post(URL, {"bundle": upload}, follow=True)


def test_blank_fields_filled_with_their_sources(client: Any) -> None:
    sign_in_client(client, "coord-S01")
    page = client.get(f"/patients/{NUMBER}/screening/").content.decode()
    assert 'action="/patients/S01-701/screening/fhir/"' in page
    response = _post(client, _bundle())
    text = response.content.decode()
    values = _draft()
    assert values["labs.bilirubin.value"] == "1.2" and values["labs.bilirubin.unit"] == "mg/dL"
    assert values["birth_date"] == "1961-04-02" and values["sex"] == "male"
    assert values["ecog"] == "1"  # typed by the coordinator: kept
    assert "labs.bilirubin ← Observation/bili-1" in text
    assert "birth_date ← Patient/ehr-1" in text
    assert "ecog ← Observation/ecog-1" not in text


def test_sources_kept_with_the_draft_until_the_field_changes(client: Any) -> None:
    from oligotrial.edc.models import ScreeningDraft, Staff
    from oligotrial.edc.services import screening_drafts

    sign_in_client(client, "coord-S01")
    _post(client, _bundle())
    kept = ScreeningDraft.objects.get(screening_number=NUMBER).ehr_sources
    assert kept["labs.bilirubin"]["resources"] == ["Observation/bili-1"]
    assert kept["labs.bilirubin"]["filled"]["labs.bilirubin.value"] == "1.2"
    assert "ecog" not in kept  # typed by the coordinator, not filled
    page = client.get(f"/patients/{NUMBER}/screening/").content.decode()  # a later visit
    assert "fields filled from the EHR" in page
    assert "<code>labs.bilirubin</code> ← Observation/bili-1" in page
    coord = Staff.objects.get(username="coord-S01")
    screening_drafts.save_draft(coord, NUMBER, {**_draft(), "labs.bilirubin.value": "1.4"})
    kept = ScreeningDraft.objects.get(screening_number=NUMBER).ehr_sources
    assert "labs.bilirubin" not in kept and "birth_date" in kept  # retyped: no longer EHR's
    page = client.get(f"/patients/{NUMBER}/screening/").content.decode()
    assert "<code>labs.bilirubin</code>" not in page and "<code>birth_date</code>" in page


def test_unused_entries_are_named(client: Any) -> None:
    sign_in_client(client, "coord-S01")
    text = _post(client, _bundle({"resourceType": "Foo", "id": "x"})).content.decode()
    assert "Not used from the Bundle: entry 3: unknown resource type &#x27;Foo&#x27;" in text


def test_bad_file_writes_nothing(client: Any) -> None:
    sign_in_client(client, "coord-S01")
    before = _draft()
    text = _post(client, b'{"resourceType": "Patient"}').content.decode()
    assert "expected &#x27;Bundle&#x27;" in text
    assert _draft() == before
    text = client.post(URL, {}, follow=True).content.decode()
    assert "Choose the patient&#x27;s FHIR Bundle" in text


def test_another_sites_patient_is_not_found(client: Any) -> None:
    sign_in_client(client, "coord-S02")
    assert _post(client, _bundle()).status_code == 404


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_in_the_browser(
    page: Any, trial: dict[str, Any], server: str, tmp_path: Path, shots: Path, language: str
) -> None:
    from playwright.sync_api import expect
    from test_sign_in import sign_in

    from oligotrial.edc.models import Staff
    from oligotrial.edc.services import screening_drafts

    switch_database(trial)
    number = "S01-702" if language == "en" else "S01-703"
    coord = Staff.objects.get(username="coord-S01")
    screening_drafts.save_draft(coord, number, {"patient_id": number, "ecog": "1"})
    bundle = tmp_path / "bundle.json"
    bundle.write_bytes(_bundle())
    page.context.add_cookies([{"name": "django_language", "value": language, "url": server}])
    sign_in(page, server, "coord-S01")
    page.goto(f"{server}/patients/{number}/screening/")
    page.locator("#f-fhir-bundle").set_input_files(str(bundle))
    page.locator("form.fhir-import button").click()
    expect(page.locator(".messages")).to_contain_text("labs.bilirubin ← Observation/bili-1")
    expect(page.locator('[name="labs.bilirubin.value"]')).to_have_value("1.2")
    expect(page.locator('[name="ecog"]')).to_have_value("1")
    page.reload()
    expect(page.locator(".ehr-sources")).to_contain_text("labs.bilirubin ← Observation/bili-1")
    page.screenshot(path=str(shots / f"fhir-draft-import-{language}.png"))
