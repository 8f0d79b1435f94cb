"""Sample pages (Django's test client): a missing sample recorded with its reason, bad input
shown with nothing written, the label page with its QR code, read-only for the monitor,
another site's patient not found; the office's sample results page importing a FHIR Bundle
(all or nothing, again unchanged) and a CSV file, for the data manager only."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "unit" / "fhir_interop"))
import ctdna_bundles as lab
from web_support import SCREENED_ON, build_web_trial, sign_in_client, switch_database

pytestmark = pytest.mark.slow
URL = "/patients/S01-001/samples/"


@pytest.fixture(scope="module")
def samples_db(web_root: Path) -> dict[str, Any]:
    return build_web_trial(web_root / "samples-pages")


@pytest.fixture
def client(samples_db: dict[str, Any]) -> Iterator[Any]:
    from django.test import Client

    switch_database(samples_db)
    yield Client(HTTP_HOST="127.0.0.1")


def test_missing_sample_bad_input_and_label(client: Any) -> None:
    from oligotrial.edc.models import AuditEntry, Biosample

    sign_in_client(client, "coord-S01")
    before = AuditEntry.objects.count()
    bad = client.post(URL, {"action": "missing", "kind": "biopsy", "time_point": "baseline"})
    assert bad.status_code == 400 and "give the reason" in bad.content.decode()
    odd = client.post(URL, {"action": "collect", "kind": "ctdna", "time_point": "week 9"})
    assert odd.status_code == 400 and "time_point" in odd.content.decode()
    assert AuditEntry.objects.count() == before
    ok = client.post(
        URL,
        {"action": "missing", "kind": "biopsy", "time_point": "baseline", "reason": "refused"},
    )
    assert ok.status_code == 302
    sample = Biosample.objects.get(identifier="S01-001-BX1")
    assert (sample.status, sample.missing_reason) == ("missing", "refused")
    client.post(
        URL,
        {"action": "collect", "kind": "ctdna", "time_point": "baseline", "on": str(SCREENED_ON)},
    )
    label = client.get(f"{URL}S01-001-CT1/label/")
    page = label.content.decode()
    assert label.status_code == 200 and "S01-001-CT1" in page
    assert 'src="data:image/svg+xml;base64,' in page
    assert client.get(f"{URL}S01-001-CT9/label/").status_code == 404


def test_monitor_reads_and_another_site_is_not_found(client: Any) -> None:
    sign_in_client(client, "monitor")
    page = client.get(URL)
    assert page.status_code == 200 and "Record collection" not in page.content.decode()
    assert client.post(URL, {"action": "missing"}).status_code == 404
    sign_in_client(client, "coord-S02")
    assert client.get(URL).status_code == 404


def test_a_refusal_reads_in_chinese(client: Any) -> None:
    sign_in_client(client, "coord-S01", "zh-hans")
    bad = client.post(URL, {"action": "missing", "kind": "ctdna", "time_point": "progression"})
    page = bad.content.decode()
    assert bad.status_code == 400 and "未采集原因: 请填写样本缺失的原因" in page


LAB_URL = "/office/lab-results/"


def _upload(client: Any, name: str, content: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(LAB_URL, {"file": SimpleUploadedFile(name, content.encode("utf-8"))})


def test_sample_results_page_imports_a_fhir_bundle_all_or_nothing(client: Any) -> None:
    from oligotrial.edc.models import AuditEntry, SampleResult
    from oligotrial.edc.services import samples

    coordinator = sign_in_client(client, "coord-S01")
    drawn = samples.collect_sample(
        coordinator,
        "S01-001",
        kind="ctdna",
        time_point="progression",
        collected_on=SCREENED_ON + dt.timedelta(days=2),
    )
    label = drawn.identifier
    sign_in_client(client, "monitor")
    page = client.get(LAB_URL)
    assert page.status_code == 200 and "Only the data manager imports" in page.content.decode()
    assert _upload(client, "lab.json", "{}").status_code == 403
    sign_in_client(client, "dm")
    bad = lab.as_json(lab.lab_bundle("S01-001", label))
    lab.resource(bad, "max-1")["valueQuantity"]["code"] = "mmol/L"
    before = AuditEntry.objects.count()
    refused = _upload(client, "bad.json", lab.text(bad))
    text = refused.content.decode()
    assert refused.status_code == 400 and "The Bundle is refused; nothing is imported" in text
    assert "Observation/max-1" in text and "valueQuantity.code" in text
    assert "the unit &#x27;mmol/L&#x27; is not allowed" in text
    assert AuditEntry.objects.count() == before
    assert not SampleResult.objects.filter(sample__identifier=label).exists()
    good = lab.text(lab.as_json(lab.lab_bundle("S01-001", label)))
    done = _upload(client, "report.json", good)
    assert done.status_code == 200 and f"1 result imported: {label}." in done.content.decode()
    assert SampleResult.objects.get(sample__identifier=label).source == "FHIR report.json"
    again = _upload(client, "report.json", good).content.decode()
    assert f"No result imported. Already imported, unchanged: {label}." in again
    fixed = lab.as_json(lab.lab_bundle("S01-001", label, max_vaf=4.5))
    lab.resource(fixed, "max-1").update(status="corrected", meta={"versionId": "2"})
    corrected = _upload(client, "report-v2.json", lab.text(fixed)).content.decode()
    assert f"Corrected by the laboratory (amended or corrected results, audited): {label}." in (
        corrected
    )
    assert SampleResult.objects.get(sample__identifier=label).max_vaf_percent == 4.5
    csv = (
        "sample_id,ctdna_detected,mean_vaf,max_vaf,tumour_fraction,unit\nS01-001-CT7,yes,1,2,3,%\n"
    )
    lines = _upload(client, "lab.csv", csv)
    page = lines.content.decode()
    assert lines.status_code == 400 and "1 line not imported." in page
    assert "2 · S01-001-CT7" in page and "no sample carries this label" in page
    sign_in_client(client, "dm", "zh-hans")
    assert "导入" in client.get(LAB_URL).content.decode()
