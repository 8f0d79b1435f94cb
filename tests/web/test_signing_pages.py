"""The signing, freeze and lock pages (Django's test client): who may see and do what,
bad input shown with nothing written, frozen data refused on the visit page, the lock's
checklist and its refusal, in English and Chinese."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web_support import build_web_trial, sign_in_client, switch_database

pytestmark = pytest.mark.slow
SIGN = "/patients/S01-001/signatures/"
FREEZE = "/patients/S01-001/freeze/"
LOCK = "/office/lock/"


@pytest.fixture(scope="module")
def signing_db(web_root: Path) -> dict[str, Any]:
    return build_web_trial(web_root / "signing-pages")


@pytest.fixture
def client(signing_db: dict[str, Any]) -> Iterator[Any]:
    from django.test import Client

    switch_database(signing_db)
    yield Client(HTTP_HOST="127.0.0.1")


def _audit_count() -> int:
    from oligotrial.edc.models import AuditEntry

    return AuditEntry.objects.count()


def _last_seq() -> int:
    from oligotrial.edc.models import AuditEntry

    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def _entries_after(seq: int) -> list[Any]:
    from oligotrial.edc.models import AuditEntry

    return list(AuditEntry.objects.filter(seq__gt=seq).order_by("seq"))


@pytest.mark.parametrize(
    ("username", "url", "status"),
    [
        ("coord-S01", SIGN, 200),
        ("monitor", SIGN, 200),
        ("coord-S02", SIGN, 404),  # another site's patient
        ("coord-S01", FREEZE, 404),
        ("inv-S01", FREEZE, 404),
        ("monitor", LOCK, 404),
        ("stat", LOCK, 404),
        ("dm", FREEZE, 200),
        ("dm", LOCK, 200),
        ("dm", "/patients/S01-001/signatures/?visit=99", 404),
    ],
)
def test_who_sees_what(client: Any, username: str, url: str, status: int) -> None:
    sign_in_client(client, username)
    assert client.get(url).status_code == status


def test_only_the_sites_investigator_gets_the_signing_form(client: Any) -> None:
    sign_in_client(client, "coord-S01")
    page = client.get(SIGN).content.decode()
    assert 'name="password"' not in page and "Not signed" in page
    before = _audit_count()
    assert client.post(SIGN, {"password": "x", "code": "123456"}).status_code == 404
    sign_in_client(client, "inv-S01")
    page = client.get(SIGN + "?visit=0").content.decode()
    assert "Sign visit 0 of patient S01-001" in page and 'name="password"' in page
    response = client.post(SIGN, {"password": "", "code": ""})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert _audit_count() == before


def test_a_wrong_code_is_refused_in_chinese_too(client: Any) -> None:
    from oligotrial.edc.models import Signature

    sign_in_client(client, "inv-S01", "zh-hans")
    response = client.post(SIGN, {"password": "Correct-Horse-Battery-9", "code": "000000x"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "未签名：身份验证器验证码不正确（或已被使用）" in page
    assert "签署患者 S01-001 的病例报告" in page and "身份验证器验证码" in page
    assert not Signature.objects.exists()


def test_a_frozen_visit_refuses_its_page_and_unfreezing_needs_a_reason(client: Any) -> None:
    from oligotrial.edc.models import Freeze

    sign_in_client(client, "dm")
    bad = client.post(FREEZE, {"action": "freeze", "scope": "visit", "reason": "cleaned"})
    assert bad.status_code == 400 and "visit_number" in bad.content.decode()
    assert not Freeze.objects.exists()
    done = client.post(
        FREEZE, {"action": "freeze", "scope": "visit", "visit_number": "2", "reason": "cleaned"}
    )
    assert done.status_code == 302
    row = Freeze.objects.get()
    sign_in_client(client, "coord-S01")
    before = _last_seq()
    today = dt.date.today().isoformat()
    response = client.post("/patients/S01-001/visits/2/date/", {"visit_date": today})
    assert "visit 2 of patient S01-001 is frozen" in response.content.decode()
    sign_in_client(client, "coord-S01", "zh-hans")  # the same refusal, in Chinese
    response = client.post("/patients/S01-001/visits/2/date/", {"visit_date": today})
    assert "患者 S01-001 的访视 2 已冻结" in response.content.decode()
    assert "by dm: cleaned" not in response.content.decode()
    refusals = _entries_after(before)  # each refused write audited once, after its rollback
    assert [(e.actor, e.action, e.model) for e in refusals] == [
        ("coord-S01", "refused", "edc.Visit")
    ] * 2
    sign_in_client(client, "dm")
    kept = client.post(FREEZE, {"action": "unfreeze", "freeze_id": row.pk, "reason": ""})
    assert kept.status_code == 400
    row.refresh_from_db()
    assert row.released_at is None
    client.post(FREEZE, {"action": "unfreeze", "freeze_id": row.pk, "reason": "late data"})
    row.refresh_from_db()
    assert row.released_at is not None and row.release_reason == "late data"


def test_a_correction_of_a_frozen_form_is_refused_on_its_page_and_audited_once(
    client: Any,
) -> None:
    import json

    from oligotrial.edc import services
    from oligotrial.edc.models import LabResult, Staff

    coord = Staff.objects.get(username="coord-S01")
    lab = services.record(
        coord,
        "S01-001",
        "lab",
        {"analyte": "albumin", "value": 38.0, "unit": "g/L", "sampled_on": dt.date.today()},
    )
    sign_in_client(client, "dm")
    frozen = client.post(
        FREEZE,
        {"action": "freeze", "scope": "form", "kind": "lab", "record_id": lab.pk, "reason": "SDV"},
    )
    assert frozen.status_code == 302
    sign_in_client(client, "coord-S01")
    before = _last_seq()
    url = f"/patients/S01-001/data/lab/{lab.pk}/value/correct/"
    response = client.post(url, {"value": "39", "reason": "typo"})
    assert f"lab {lab.pk} of patient S01-001 is frozen" in response.content.decode()
    assert LabResult.objects.get(pk=lab.pk).value == 38.0
    [entry] = _entries_after(before)
    assert (entry.actor, entry.action, entry.object_id) == ("coord-S01", "refused", str(lab.pk))
    assert json.loads(entry.changes)["fields"] == [None, ["value"]]
    assert "by dm: SDV" in entry.reason
    assert services.verify_chain().ok


def test_the_lock_page_shows_the_checklist_and_refuses(client: Any) -> None:
    from oligotrial.edc.models import AuditEntry, TrialState

    sign_in_client(client, "dm", "zh-hans")
    page = client.get(LOCK).content.decode()
    assert "锁定前检查清单" in page and "未签名的病例报告" in page and "S02-001" in page
    response = client.post(LOCK, {"action": "lock", "reason": "final analysis"})
    assert response.status_code == 400
    assert "检查清单仍有未完成项，无法锁定数据库。" in response.content.decode()
    assert not TrialState.objects.get(id=1).locked
    assert AuditEntry.objects.filter(action="lock_refused").exists()
    empty = client.post(LOCK, {"action": "lock", "reason": ""})
    assert empty.status_code == 400


def test_voiding_needs_the_sites_investigator_and_a_reason(client: Any) -> None:
    """A void posted without a reason is refused and writes nothing; a coordinator's post
    is not a signer's (404); an unknown signature is refused by name."""
    from oligotrial.edc.models import Signature

    sign_in_client(client, "coord-S01")
    refused = client.post(SIGN, {"action": "void", "signature_id": "1", "reason": "x"})
    assert refused.status_code == 404
    sign_in_client(client, "inv-S01")
    before = _audit_count()
    empty = client.post(SIGN, {"action": "void", "signature_id": "1", "reason": ""})
    assert empty.status_code == 400 and 'id="void-error"' in empty.content.decode()
    missing = client.post(SIGN, {"action": "void", "signature_id": "999", "reason": "wrong"})
    assert missing.status_code == 400 and 'id="void-error"' in missing.content.decode()
    assert _audit_count() == before and not Signature.objects.filter(voided_at__isnull=False)
