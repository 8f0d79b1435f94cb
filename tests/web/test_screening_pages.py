"""The screening, consent and randomization pages through Django's test client: drafts
saved and resumed, bad input at its field with nothing written, CSRF, repeated submits,
site isolation, and a fixed number of queries per page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from screening_support import new_trial, record_values
from web_support import switch_database

pytestmark = pytest.mark.slow
BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


@pytest.fixture(scope="module")
def trial(web_root: Path) -> dict[str, Any]:
    return new_trial(web_root / "screening-pages")


@pytest.fixture
def client_of(trial: dict[str, Any]):  # type: ignore[no-untyped-def]
    from django.test import Client

    from oligotrial.edc.models import Staff

    switch_database(trial)

    def make(username: str, **kwargs: Any) -> Client:
        client = Client(HTTP_HOST="127.0.0.1", **kwargs)
        user = Staff.objects.get(username=username).user
        client.force_login(user, backend=BACKEND)
        return client

    return make


def _post(client: Any, url: str, values: dict[str, str], action: str) -> Any:
    return client.post(url, {**values, "action": action})


def _queries(client: Any, url: str, method: str = "get", data: Any = None) -> tuple[int, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    return len(captured.captured_queries), response


def test_draft_saved_incomplete_and_resumed(client_of: Any) -> None:
    from oligotrial.edc.models import AuditEntry, Patient, ScreeningDraft

    client = client_of("coord-S01")
    values = {"patient_id": "S01-301", "ecog": "1", "labs.albumin.value": "3.2"}
    response = _post(client, "/patients/new/screening/", values, "save")
    assert response.status_code == 302
    assert response["Location"] == "/patients/S01-301/screening/"
    draft = ScreeningDraft.objects.get(screening_number="S01-301")
    assert draft.values["labs.albumin.value"] == "3.2" and draft.submitted_id is None
    assert AuditEntry.objects.filter(model="edc.ScreeningDraft", object_id=str(draft.pk)).exists()
    assert not Patient.objects.filter(screening_number="S01-301").exists()  # only a draft
    page = client.get("/patients/new/screening/").content.decode()
    assert 'href="/patients/S01-301/screening/"' in page  # listed to resume
    page = client.get("/patients/S01-301/screening/").content.decode()
    assert 'name="labs.albumin.value" value="3.2"' in page
    assert 'name="ecog" value="1"' in page
    # the panel names what is missing for the record as typed
    assert "Screening date: is required" in page
    values["ecog"] = "0"
    _post(client, "/patients/S01-301/screening/", values, "save")
    draft.refresh_from_db()
    assert draft.values["ecog"] == "0"


def test_submit_stores_once_and_repeats_create_nothing(client_of: Any) -> None:
    from oligotrial.edc.models import Patient, Screening, ScreeningDraft

    client = client_of("coord-S01")
    values = record_values("S01-302")
    first = _post(client, "/patients/new/screening/", values, "submit")
    assert first.status_code == 302 and first["Location"] == "/patients/S01-302/"
    again = _post(client, "/patients/new/screening/", values, "submit")
    assert again.status_code == 302
    assert Screening.objects.filter(patient__screening_number="S01-302").count() == 1
    patient = Patient.objects.get(screening_number="S01-302")
    assert patient.screenings.get().overall == "eligible"
    assert ScreeningDraft.objects.get(screening_number="S01-302").submitted is not None
    follow = client.get("/patients/S01-302/").content.decode()
    assert "already stored" in follow


def test_bad_input_is_shown_at_its_field_and_nothing_is_written(client_of: Any) -> None:
    from oligotrial.edc.models import AuditEntry, Patient, ScreeningDraft

    client = client_of("coord-S01")
    before = AuditEntry.objects.count()
    values = record_values("S01-303")
    for field, bad, message in (
        ("ecog", "7", "must be at most 5"),
        ("ecog", "one", "a whole number is required"),
        ("labs.albumin.value", "-1", "must be 0 or more"),
        ("labs.albumin.value", "0", "must be greater than 0"),
        ("screening_date", "2026-13-01", "a date is required (YYYY-MM-DD)"),
        ("birth_date", "2099-01-01", "is in the future"),
        ("oligoprogression.lesions.1.organ", "moon", "not accepted"),
    ):
        response = _post(client, "/patients/new/screening/", {**values, field: bad}, "submit")
        assert response.status_code == 422, field
        page = response.content.decode()
        field_id = "f-" + field.replace(".", "-").replace("_", "-")
        error = page.split(f'id="{field_id}-error">', 1)
        assert len(error) == 2, (field, page[page.find("form-errors") :][:600])
        assert message in error[1].split("</p>", 1)[0], (field, error[1][:200])
        assert "Nothing was saved." in page
    assert not Patient.objects.filter(screening_number="S01-303").exists()
    assert not ScreeningDraft.objects.filter(screening_number="S01-303").exists()
    assert AuditEntry.objects.count() == before


def test_messages_at_fields_are_in_chinese(client_of: Any) -> None:
    client = client_of("coord-S03")  # a Chinese site
    values = {**record_values("S03-303"), "ecog": "one"}
    page = _post(client, "/patients/new/screening/", values, "submit").content.decode()
    error = page.split('id="f-ecog-error">', 1)[1].split("</p>", 1)[0]
    assert error == "须为整数"


def test_csrf_is_enforced(client_of: Any) -> None:
    from oligotrial.edc.models import Patient

    client = client_of("coord-S01", enforce_csrf_checks=True)
    response = _post(client, "/patients/new/screening/", record_values("S01-304"), "submit")
    assert response.status_code == 403
    assert client.post("/patients/S01-002/consent/", {"version": "1"}).status_code == 403
    assert client.post("/patients/S01-002/randomize/", {"step": "allocate"}).status_code == 403
    assert not Patient.objects.filter(screening_number="S01-304").exists()


def test_consent_and_randomization_are_not_repeated(client_of: Any) -> None:
    from oligotrial.edc.models import Allocation, Consent

    client = client_of("coord-S01")
    _post(client, "/patients/new/screening/", record_values("S01-305"), "submit")
    form = {"version": "2.1", "signed_on": "2026-01-05"}
    for _ in range(2):
        assert client.post("/patients/S01-305/consent/", form).status_code == 302
    assert Consent.objects.filter(patient__screening_number="S01-305").count() == 1
    bad = client.post("/patients/S01-305/consent/", {"version": "", "signed_on": "2026-01-05"})
    assert bad.status_code == 422 and 'id="version-error">is required' in bad.content.decode()
    confirm = client.post("/patients/S01-305/randomize/", {"step": "confirm"}).content.decode()
    assert "Confirm the strata" in confirm and "R0" not in confirm
    first = client.post("/patients/S01-305/randomize/", {"step": "allocate"})
    assert first.status_code == 302
    again = client.post("/patients/S01-305/randomize/", {"step": "allocate"})  # shows it
    allocation = Allocation.objects.get(patient__screening_number="S01-305")
    page = client.get("/patients/S01-305/randomize/").content.decode()
    assert allocation.randomization_number in page
    assert allocation.randomization_number in again.content.decode()


def test_another_sites_pages_are_not_found(client_of: Any) -> None:
    from oligotrial.edc.models import ScreeningDraft

    owner = client_of("coord-S01")
    _post(owner, "/patients/new/screening/", {"patient_id": "S01-306"}, "save")
    other = client_of("coord-S02")
    for url in (
        "/patients/S01-002/screening/",
        "/patients/S01-002/consent/",
        "/patients/S01-002/randomize/",
        "/patients/S01-306/screening/",  # a draft of site S01
    ):
        response = other.get(url)
        assert response.status_code == 404, url
        page = response.content.decode()
        assert "There is no such page" in page and "Consents recorded" not in page
    assert other.post("/patients/S01-002/consent/", {"version": "1"}).status_code == 404
    assert other.post("/patients/S01-002/randomize/", {"step": "allocate"}).status_code == 404
    taken = _post(other, "/patients/new/screening/", {"patient_id": "S01-306"}, "save")
    assert taken.status_code == 422 and "no patient" in taken.content.decode()
    assert ScreeningDraft.objects.get(screening_number="S01-306").site.code == "S01"
    monitor = client_of("monitor")
    assert monitor.get("/patients/new/screening/").status_code == 403


def test_queries_per_page_do_not_grow(client_of: Any) -> None:
    from oligotrial.edc import services
    from oligotrial.edc.models import Staff
    from oligotrial.edc.services import screening_drafts

    client = client_of("coord-S01")
    coord = Staff.objects.get(username="coord-S01")
    _post(client, "/patients/new/screening/", record_values("S01-307"), "submit")
    pages = (
        "/patients/new/screening/",
        "/patients/S01-307/screening/",
        "/patients/S01-307/consent/",
        "/patients/S01-307/randomize/",
    )
    counts = {url: _queries(client, url)[0] for url in pages}
    panel, _ = _queries(client, "/screening/panel/", "post", record_values("S01-307"))
    for i in range(5):  # more drafts, consents, lesion rows: the same number of queries
        screening_drafts.save_draft(coord, f"S01-4{i:02d}", {"patient_id": f"S01-4{i:02d}"})
        services.record_consent(coord, "S01-307", version=f"v{i}", signed_on="2026-01-05")
    values = record_values("S01-307", "eligible-04-five-lesions-node-regions.json")
    values["patient_id"] = "S01-307"
    _post(client, "/patients/S01-307/screening/", values, "submit")
    for url in pages:
        n, response = _queries(client, url)
        assert response.status_code == 200
        assert n == counts[url], (url, counts[url], n)
    n, _ = _queries(client, "/screening/panel/", "post", values)
    assert n == panel
