"""The visit page's forms through the server (Django's test client): saved through the
services, errors at their field with nothing written, a repeated submit storing once, CSRF,
site isolation, and a fixed number of queries per page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from visit_support import PATIENT, RANDOMIZED_ON, build_visit_trial
from web_support import switch_database

pytestmark = pytest.mark.slow

BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
VISIT1 = f"/patients/{PATIENT}/visits/1/"


@pytest.fixture(scope="module")
def visits_db(web_root: Path) -> dict[str, Any]:
    return build_visit_trial(web_root / "visit-forms")


@pytest.fixture(autouse=True)
def _on_visits_db(_on_web_db: None, visits_db: dict[str, Any]) -> Iterator[None]:
    switch_database(visits_db)
    yield


def _client(username: str = "coord-S01", *, csrf: bool = False) -> Any:
    from django.test import Client

    from oligotrial.edc.models import Staff

    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=csrf)
    client.force_login(Staff.objects.get(username=username).user, backend=BACKEND)
    return client


def _audit_count() -> int:
    from oligotrial.edc.models import AuditEntry

    return AuditEntry.objects.count()


def test_the_visit_page_shows_every_section() -> None:
    page = _client().get(VISIT1).content.decode()
    for heading in ("Visit date", "Labs", "Tumour assessment", "Radiotherapy", "Biosamples"):
        assert f"<h2>{heading}</h2>" in page
    assert "T1" in page and "NT1" in page


def test_labs_are_saved_once_even_when_sent_twice() -> None:
    from oligotrial.edc.models import LabResult

    client = _client()
    day = (RANDOMIZED_ON + dt.timedelta(days=40)).isoformat()
    form = {
        "sampled_on": day,
        "value_albumin": "38",
        "unit_albumin": "g/L",
        "value_afp": "12",
        "unit_afp": "ng/mL",
    }
    first = client.post(f"{VISIT1}labs/", form)
    assert first.status_code == 302
    again = client.post(f"{VISIT1}labs/", form)  # a double click or a resubmit
    assert again.status_code == 302
    labs = LabResult.objects.filter(patient__screening_number=PATIENT, visit__number=1)
    assert sorted(labs.values_list("analyte", flat=True)) == ["afp", "albumin"]
    page = client.get(VISIT1).content.decode()
    assert "38.0" in page and "ng/mL" in page


def test_a_bad_lab_shows_its_message_at_the_field_and_writes_nothing() -> None:
    client = _client()
    before = _audit_count()
    day = (RANDOMIZED_ON + dt.timedelta(days=40)).isoformat()
    form = {
        "sampled_on": day,
        "value_bilirubin": "20",
        "unit_bilirubin": "µmol/L",
        "value_alt": "30",
        "unit_alt": "furlongs",
    }
    response = client.post(f"{VISIT1}labs/", form)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_unit_alt_error"' in page and "Unknown unit furlongs" in page
    assert _audit_count() == before  # the bilirubin of the same form is not saved either
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = client.post(f"{VISIT1}labs/", {**form, "unit_alt": "U/L", "sampled_on": tomorrow})
    assert "is in the future" in response.content.decode()
    assert _audit_count() == before


def test_errors_are_shown_in_chinese() -> None:
    client = _client()
    client.cookies["django_language"] = "zh-hans"
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = client.post(
        f"{VISIT1}labs/",
        {"sampled_on": tomorrow, "value_albumin": "38", "unit_albumin": "g/L"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert f"{tomorrow} 是未来的日期" in response.content.decode()


def test_the_form_needs_its_csrf_token() -> None:
    client = _client(csrf=True)
    before = _audit_count()
    response = client.post(f"{VISIT1}therapy/", {"therapy": "TACE", "start_date": "2026-01-01"})
    assert response.status_code == 403
    assert _audit_count() == before


def test_another_sites_visit_is_not_found() -> None:
    client = _client("coord-S02")
    assert client.get(VISIT1).status_code == 404
    for section in ("labs", "tumour", "rt", "death"):
        assert client.post(f"{VISIT1}{section}/", {}).status_code == 404
    assert client.post(f"{VISIT1}tumour/preview/", {}).status_code == 404
    assert _client().get(f"/patients/{PATIENT}/visits/999/").status_code == 404


def test_a_monitor_reads_the_visit_without_forms() -> None:
    page = _client("monitor").get(VISIT1)
    assert page.status_code == 200
    assert 'action="/patients/' not in page.content.decode()


def test_the_bed_preview_uses_the_clinical_function() -> None:
    from oligotrial.edc.services.kinds import bed

    response = _client().post(
        f"{VISIT1}rt/bed/", {"total_dose_gy": "50", "fractions": "5", "alpha_beta_gy": "10"}
    )
    assert f"{bed(50, 5, 10):.1f} Gy" in response.content.decode()  # 100.0 Gy


def test_the_response_preview_is_the_engines() -> None:
    client = _client()
    page = client.get(VISIT1).content.decode()
    import re

    ids = dict(re.findall(r'for="id_status_(\d+)">Status of (\w+)<', page))
    form = {"measured_on": (RANDOMIZED_ON + dt.timedelta(days=42)).isoformat()}
    codes = {code: pk for pk, code in ids.items()}
    form |= {f"status_{codes['T1']}": "present", f"diameter_{codes['T1']}": "20"}
    form |= {f"status_{codes['T2']}": "present", f"diameter_{codes['T2']}": "15"}
    form |= {f"status_{codes['NT1']}": "present"}
    preview = client.post(f"{VISIT1}tumour/preview/", form).content.decode()
    assert ">PR<" in preview and "50.0" in preview and "<dd>none</dd>" in preview
    form[f"diameter_{codes['T1']}"] = "80"  # sum 95 mm, +25 mm over the nadir 70 mm
    preview = client.post(f"{VISIT1}tumour/preview/", form).content.decode()
    assert ">PD<" in preview and "sum 95 mm" in preview


def test_treatment_samples_and_the_end_of_follow_up_are_saved_once() -> None:
    from oligotrial.edc.models import Biosample, Death, Exposure, NewAnticancerTherapy, Patient

    client = _client()
    url = "/patients/S01-001/visits/0/"
    start = (RANDOMIZED_ON + dt.timedelta(days=2)).isoformat()
    exposure = {
        "line": "FLST",
        "drug": "lenvatinib",
        "dose": "12",
        "dose_unit": "mg",
        "start_date": start,
    }
    for _ in range(2):
        assert client.post(f"{url}exposure/", exposure).status_code == 302
    period = Exposure.objects.get(patient__screening_number="S01-001")
    change = {
        "exposure_id": str(period.pk),
        "new_dose": "8",
        "reason": "hand-foot skin reaction",
        "on": (RANDOMIZED_ON + dt.timedelta(days=30)).isoformat(),
    }
    assert client.post(f"{url}dose/", change).status_code == 302
    again = client.post(f"{url}dose/", change)  # the period is closed: no longer offered
    assert again.status_code == 400 and "Select a valid choice" in again.content.decode()
    doses = Exposure.objects.filter(patient__screening_number="S01-001").order_by("start_date")
    assert [e.dose for e in doses] == [12.0, 8.0]
    sample = {
        "kind": "ctdna",
        "time_point": "baseline",
        "identifier": "CT-S01-001-0",
        "collected_on": RANDOMIZED_ON.isoformat(),
    }
    for _ in range(2):
        assert client.post(f"{url}sample/", sample).status_code == 302
    therapy = {"therapy": "TACE", "start_date": (RANDOMIZED_ON + dt.timedelta(days=90)).isoformat()}
    for _ in range(2):
        assert client.post(f"{url}therapy/", therapy).status_code == 302
    death = {
        "death_date": (RANDOMIZED_ON + dt.timedelta(days=120)).isoformat(),
        "cause": "progression",
    }
    for _ in range(2):
        assert client.post(f"{url}death/", death).status_code == 302
    assert Biosample.objects.filter(identifier="CT-S01-001-0").count() == 1
    assert NewAnticancerTherapy.objects.filter(patient__screening_number="S01-001").count() == 1
    assert Death.objects.filter(patient__screening_number="S01-001").count() == 1
    assert Patient.objects.get(screening_number="S01-001").status == "died"
    page = client.get(url).content.decode()
    assert "lenvatinib" in page and "hand-foot skin reaction" in page and "Died on" in page


def test_the_visit_page_reads_the_database_a_fixed_number_of_times() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oligotrial.edc.models import Staff
    from oligotrial.edc.services.visit_entry import record_assessment, record_labs

    client = _client()
    url = f"/patients/{PATIENT}/visits/3/"

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    count()  # the first request of a session also reads the session and the user
    before = count()
    coord = Staff.objects.get(username="coord-S01")
    day = RANDOMIZED_ON + dt.timedelta(days=60)
    record_labs(
        coord,
        PATIENT,
        3,
        sampled_on=day,
        results=[
            {"analyte": a, "value": 1.0, "unit": u}
            for a, u in (("inr", ""), ("alt", "U/L"), ("ast", "U/L"), ("platelets", "10^9/L"))
        ],
    )
    record_assessment(
        coord,
        PATIENT,
        3,
        measured_on=day,
        measurements=[
            {"lesion_code": "T1", "status": "present", "diameter_mm": 25.0},
            {"lesion_code": "T2", "status": "present", "diameter_mm": 20.0},
        ],
        added=[
            {"code": "N1", "role": "new", "organ": "lung", "status": "present", "diameter_mm": 5.0}
        ],
    )
    assert count() == before  # more records, the same queries


def test_an_assessment_with_a_new_lesion_sent_twice_is_stored_once() -> None:
    import re

    from oligotrial.edc.models import Lesion, LesionMeasurement

    client = _client()
    url = f"/patients/{PATIENT}/visits/2/"
    page = client.get(url).content.decode()
    codes = {c: pk for pk, c in re.findall(r'for="id_status_(\d+)">Status of (\w+)<', page)}
    form = {"measured_on": (RANDOMIZED_ON + dt.timedelta(days=84)).isoformat()}
    form |= {f"status_{codes['T1']}": "present", f"diameter_{codes['T1']}": "30"}
    form |= {f"status_{codes['T2']}": "present", f"diameter_{codes['T2']}": "20"}
    form |= {
        "add_code_0": "N9",
        "add_role_0": "new",
        "add_organ_0": "adrenal",
        "add_status_0": "unequivocal_pd",
        "add_diameter_0": "12",
    }
    preview = client.post(f"{url}tumour/preview/", form).content.decode()
    assert ">PD<" in preview  # an unequivocal new lesion
    for _ in range(2):
        assert client.post(f"{url}tumour/", form).status_code == 302
    assert Lesion.objects.filter(patient__screening_number=PATIENT, code="N9").count() == 1
    assert (
        LesionMeasurement.objects.filter(
            visit__number=2, lesion__patient__screening_number=PATIENT
        ).count()
        == 3
    )
    bad = {**form, "add_code_1": "N10", "add_role_1": "target", "add_status_1": "present"}
    response = client.post(f"{url}tumour/", bad)
    assert response.status_code == 400
    assert 'id="id_add_role_1_error"' in response.content.decode()  # "Select a valid choice"
