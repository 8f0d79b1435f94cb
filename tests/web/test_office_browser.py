"""The trial office in Chromium: a data manager raises a query on a value, the site's
coordinator answers it, the data manager closes it; a monitor verifies a whole form, the
coordinator corrects one of its values, and the monitor sees that value unverified.
English and Chinese; screenshots of each page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from test_look import _check
from test_sign_in import sign_in, submit
from web_support import SCREENED_ON, build_web_trial, fresh_totp, switch_database

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def office_browser_db(web_root: Path) -> dict[str, Any]:
    config = build_web_trial(web_root / "office-browser")
    from oligotrial.edc import services
    from oligotrial.edc.models import Staff

    coord = Staff.objects.get(username="coord-S01")
    services.record(
        coord,
        "S01-001",
        "lab",
        {"analyte": "albumin", "value": 38.0, "unit": "g/L", "sampled_on": SCREENED_ON},
        visit_number=0,
    )
    return config


@pytest.fixture
def own_db(office_browser_db: dict[str, Any], server: str) -> Iterator[str]:
    switch_database(office_browser_db)
    yield server


def _sign_in_with_totp(page: Page, server: str, username: str) -> None:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    sign_in(page, server, username)
    page.locator("input[name=code]").fill(fresh_totp(secret, set()))
    submit(page)


def _switch_language(page: Page, code: str) -> None:
    page.locator("#language").select_option(code)
    page.locator("form.lang button").click()


def test_data_manager_raises_coordinator_answers_data_manager_closes(
    page: Page, own_db: str, shots: Path
) -> None:
    from oligotrial.edc.models import AuditEntry, DataQuery

    _sign_in_with_totp(page, own_db, "dm")
    page.get_by_role("link", name="Trial office").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Queries at all sites")
    page.goto(f"{own_db}/office/sdv/S01-001/")
    page.locator("#visit-0 tr[id$='-visit_date']").first.get_by_role(
        "link", name="Raise a query"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Raise a query")
    submit(page)  # no text: refused at the field
    expect(page.locator("#id_text-error")).to_be_visible()
    page.locator("#id_text").fill("The visit date differs from the clinic letter; please check.")
    _check(page)
    page.screenshot(path=str(shots / "web-office-raise-en.png"), full_page=True)
    submit(page)
    expect(page.locator(".messages")).to_contain_text("The query is sent to the site.")
    query = DataQuery.objects.get(rule="manual")
    page.context.clear_cookies()

    sign_in(page, own_db, "coord-S01")
    page.goto(f"{own_db}/patients/S01-001/data/")
    item = page.locator(f"#query-{query.pk}")
    expect(item).to_contain_text("differs from the clinic letter")
    item.locator("textarea").fill("Checked: the letter is dated the day after the visit.")
    item.locator("button").click()
    expect(item.locator(".answers")).to_contain_text("dated the day after")
    page.context.clear_cookies()

    _sign_in_with_totp(page, own_db, "dm")
    page.goto(f"{own_db}/office/queries/?status=answered")
    row = page.locator("table.queries tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Answered")
    _check(page)
    page.screenshot(path=str(shots / "web-office-queries-en.png"), full_page=True)
    row.get_by_role("link", name=str(query.pk)).click()
    expect(page.locator(".conversation .turn")).to_have_count(2)
    page.locator("form[action$='/close/'] button").click()  # no reason: refused
    expect(page.locator("#id_reason-error")).to_be_visible()
    page.locator("#id_reason").fill("Confirmed at source: the visit date is right.")
    _check(page)
    page.screenshot(path=str(shots / "web-office-query-en.png"), full_page=True)
    page.locator("form[action$='/close/'] button").click()
    expect(page.locator(".messages")).to_contain_text("The query is closed.")
    expect(page.locator(".qstate")).to_have_text("Closed")
    query.refresh_from_db()
    assert query.status == "closed"
    assert AuditEntry.objects.filter(action="query-close", object_id=str(query.pk)).exists()
    _switch_language(page, "zh-hans")
    expect(page.locator(".qstate")).to_have_text("已关闭")
    _check(page)
    page.screenshot(path=str(shots / "web-office-query-zh.png"), full_page=True)
    page.goto(f"{own_db}/office/queries/")
    expect(page.get_by_role("heading", level=1)).to_have_text("所有中心的质疑")
    page.screenshot(path=str(shots / "web-office-queries-zh.png"), full_page=True)


def test_monitor_verifies_a_form_and_a_correction_unverifies_it(
    page: Page, own_db: str, shots: Path
) -> None:
    from oligotrial.edc.models import LabResult, SourceVerification

    lab = LabResult.objects.get(patient__screening_number="S01-001", analyte="albumin")
    sign_in(page, own_db, "monitor")
    page.goto(f"{own_db}/office/sdv/")
    page.get_by_role("link", name="S01").click()
    page.get_by_role("link", name="S01-001").click()
    form = page.locator(f"#lab-{lab.pk}")
    expect(form.locator("h3 .sdv")).to_contain_text("6 left")
    form.get_by_role("button", name="Verify this form").click()
    expect(page.locator(".messages")).to_contain_text("6 values verified.")
    form = page.locator(f"#lab-{lab.pk}")
    expect(form.locator("h3 .sdv")).to_have_text("Verified")
    assert SourceVerification.objects.filter(object_id=str(lab.pk), state="verified").count() == 6
    page.context.clear_cookies()

    sign_in(page, own_db, "coord-S01")
    page.goto(f"{own_db}/patients/S01-001/data/lab/{lab.pk}/value/correct/")
    page.locator("#id_value").fill("36")
    page.locator("#id_reason").fill("transcription error")
    submit(page)
    expect(page.locator(".messages")).to_contain_text("The correction is saved")
    page.context.clear_cookies()

    sign_in(page, own_db, "monitor")
    page.goto(f"{own_db}/office/sdv/S01-001/")
    value = page.locator(f"#lab-{lab.pk}-value")
    expect(value.locator(".sdv")).to_have_text("Changed since verification")
    expect(value).to_contain_text("transcription error")
    expect(page.locator(f"#lab-{lab.pk} h3 .sdv")).to_contain_text("1 left")
    _check(page)
    page.locator(f"#lab-{lab.pk}").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "web-office-sdv-patient-en.png"), full_page=True)
    page.goto(f"{own_db}/office/sdv/?site=S01")
    expect(page.locator("table.sdv-progress").first).to_contain_text("S01")
    _check(page)
    page.screenshot(path=str(shots / "web-office-sdv-en.png"), full_page=True)
    _switch_language(page, "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("各中心待核查数据")
    page.screenshot(path=str(shots / "web-office-sdv-zh.png"), full_page=True)
    page.goto(f"{own_db}/office/audit/?patient=S01-001&field=value")
    expect(page.locator("table.audit")).to_contain_text("transcription error")
    _check(page)
    page.screenshot(path=str(shots / "web-office-audit-zh.png"), full_page=True)
    _switch_language(page, "en")
    page.screenshot(path=str(shots / "web-office-audit-en.png"), full_page=True)
