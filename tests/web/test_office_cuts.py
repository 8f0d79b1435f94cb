"""The data cuts page: the statistician makes a cut in the browser (Chromium, English and
Chinese); the trial office reads the pooled report; only the statistician sees the by-arm
DSMB report; other roles are refused; a bad cut-off writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from test_crawl import _give_totp
from test_sign_in import sign_in, submit
from web_support import TODAY, build_web_trial, fresh_totp, sign_in_client, switch_database


@pytest.fixture(scope="module")
def cuts_db(web_root: Path) -> dict[str, Any]:
    return build_web_trial(web_root / "cuts", extra_patients=6)


@pytest.fixture
def cuts_dir(cuts_db: dict[str, Any], tmp_path: Path) -> Iterator[Path]:
    from django.conf import settings

    switch_database(cuts_db)
    settings.OLIGOTRIAL_CUTS_DIR = str(tmp_path / "cuts")
    yield tmp_path / "cuts"
    del settings.OLIGOTRIAL_CUTS_DIR


@pytest.fixture
def client(cuts_dir: Path) -> Any:
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1")


def _one_cut(folder: Path) -> Any:
    from oligotrial.edc.models import Staff
    from oligotrial.edc.services.data_cuts import make_cut

    folder.mkdir(parents=True, exist_ok=True)
    return make_cut(Staff.objects.get(username="stat"), TODAY, folder / "one")


def test_roles_see_what_their_role_allows(client: Any, cuts_dir: Path) -> None:
    cut = _one_cut(cuts_dir)
    urls = ("/office/cuts/", f"/office/cuts/{cut.pk}/pooled/", f"/office/cuts/{cut.pk}/dsmb/")
    expected = {
        "stat": (200, 200, 200),
        "dm": (200, 200, 403),
        "monitor": (200, 200, 403),
        "coord-S01": (403, 403, 403),
        "inv-S01": (403, 403, 403),
    }
    from oligotrial.edc.trial_config import current_protocol

    arm_names = [a.name for a in current_protocol().arms]
    for username, statuses in expected.items():
        client.logout()
        sign_in_client(client, username)
        got = tuple(client.get(url).status_code for url in urls)
        assert got == statuses, (username, got)
        if statuses[1] == 200:
            pooled = client.get(urls[1]).content.decode()
            assert f"Data cut {cut.pk}" in pooled and cut.chain_head in pooled
            assert "ARMCD" not in pooled and not any(n in pooled for n in arm_names)
            page = client.get(urls[0]).content.decode()
            assert ("DSMB report" in page) == (username == "stat")
            assert ("Make the cut" in page) == (username == "stat")
    assert len(arm_names) == 2


def test_only_the_statistician_makes_a_cut_and_bad_input_writes_nothing(
    client: Any, cuts_dir: Path
) -> None:
    from oligotrial.edc.models import AuditEntry, DataCut

    sign_in_client(client, "dm")
    assert client.post("/office/cuts/", {"cutoff": TODAY.isoformat()}).status_code == 403
    client.logout()
    sign_in_client(client, "stat")
    before = (DataCut.objects.count(), AuditEntry.objects.count())
    for bad, message in (("2999-01-01", "is in the future"), ("31/12/2025", "is not a date")):
        response = client.post("/office/cuts/", {"cutoff": bad, "label": "x"})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert (DataCut.objects.count(), AuditEntry.objects.count()) == before
    assert not cuts_dir.exists() or not any(cuts_dir.iterdir())


def test_the_statistician_makes_a_cut_and_reads_the_dsmb_report(
    page: Page, server: str, cuts_dir: Path, shots: Path
) -> None:
    from oligotrial.edc.models import DataCut

    secret = _give_totp("stat")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, server, "stat")
    page.locator("input[name=code]").fill(fresh_totp(secret, set()))
    submit(page)
    page.get_by_role("link", name="Data cuts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data cuts")
    page.locator("#id_cutoff").fill(TODAY.isoformat())
    page.locator("#id_label").fill("interim 1")
    page.get_by_role("button", name="Make the cut").click()
    cut = DataCut.objects.get(label="interim 1")
    expect(page.locator(".messages")).to_contain_text(f"Data cut {cut.pk} is made and recorded.")
    row = page.locator("table.cuts tbody tr", has_text="interim 1")
    expect(row).to_contain_text(TODAY.isoformat())
    expect(row).to_contain_text(f"{cut.chain_seq} · {cut.chain_head[:12]}")
    page.screenshot(path=str(shots / "web-data-cuts-en.png"), full_page=True)
    row.get_by_role("link", name="DSMB report (by arm)").click()
    expect(page.locator("#cut")).to_contain_text(cut.chain_head)
    expect(page.locator("#cut")).to_contain_text("analysis/adtte.csv")
    # eight patients and no event yet: the report says why the arms cannot be compared
    expect(page.locator("#not-comparable")).to_contain_text("8 randomized patients")
    page.screenshot(path=str(shots / "web-data-cut-dsmb.png"), full_page=True)
    page.go_back()
    page.locator("#language").select_option("zh-hans")
    page.locator("form.lang button").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("数据截取")
    expect(page.get_by_role("button", name="进行截取")).to_be_visible()
    page.screenshot(path=str(shots / "web-data-cuts-zh.png"), full_page=True)
    assert errors == [], errors
    assert Path(cut.folder).parent == cuts_dir
