"""Sample pages (Django's test client): a missing sample recorded with its reason, bad input
shown with nothing written, the label page with its QR code, read-only for the monitor,
another site's patient not found."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
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
