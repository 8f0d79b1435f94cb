"""In Chromium: the investigator signs a casebook, entering the password and a current
authenticator code again; a later change voids the signature visibly and asks for signing
again. The data manager's lock is refused while the pre-lock checklist has open items, and
the items are shown. English and Chinese; screenshots of each page.

A used code is refused (``tests/integration/edc/test_signatures.py``), so each code typed
here comes from a newly set-up authenticator app of the same user instead of from the next
30 s step of the same app (no waiting)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from test_look import _check
from test_sign_in import sign_in, submit
from web_support import PASSWORD, SCREENED_ON, build_web_trial, switch_database, totp

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def signing_db(web_root: Path) -> dict[str, Any]:
    return build_web_trial(web_root / "signing-browser")


@pytest.fixture
def own_db(signing_db: dict[str, Any], server: str) -> Iterator[str]:
    """The live server, reading this module's database (the shared one stays as built)."""
    switch_database(signing_db)
    yield server


def _with_totp(username: str) -> str:
    """Give ``username`` an authenticator app; returns its secret."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from oligotrial.edc.models import Staff

    user = Staff.objects.get(username=username).user
    Authenticator.objects.filter(user=user).delete()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _sign_in_with_code(page: Page, server: str, username: str) -> None:
    secret = _with_totp(username)
    sign_in(page, server, username)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("input[name=code]").fill(_current(secret))
    submit(page)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def _current(secret: str) -> str:
    """The code of ``secret`` now, with time left in its 30 s step to be typed and sent."""
    if time.time() % 30 > 22:
        time.sleep(30 - time.time() % 30 + 0.1)
    return totp(secret)


def _code(username: str) -> str:
    """The current code of a newly set-up authenticator app of ``username``."""
    return _current(_with_totp(username))


def _switch_language(page: Page, code: str) -> None:
    page.locator("#language").select_option(code)
    page.locator("form.lang button").click()


def test_investigator_signs_with_reauthentication_and_a_change_voids_it(
    page: Page, own_db: str, shots: Path
) -> None:
    from oligotrial.edc import services
    from oligotrial.edc.models import AuditEntry, Signature, Staff

    _sign_in_with_code(page, own_db, "inv-S01")
    page.goto(f"{own_db}/patients/S01-001/")
    page.get_by_role("link", name="Signatures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sign the casebook of patient S01-001"
    )
    expect(page.get_by_test_id("unsigned")).to_be_visible()
    # a wrong password: refused, shown, nothing signed, the refusal audited
    page.get_by_label("Password").fill("not-my-password-1")
    page.get_by_label("Authenticator code").fill(_code("inv-S01"))
    submit(page)
    expect(page.locator("div.error")).to_contain_text("the password is not correct")
    assert not Signature.objects.exists()
    assert AuditEntry.objects.filter(action="sign_refused", actor="inv-S01").exists()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Authenticator code").fill(_code("inv-S01"))
    _check(page)
    page.screenshot(path=str(shots / "web-sign-casebook-en.png"), full_page=True)
    submit(page)
    expect(page.locator(".messages")).to_contain_text("Signed.")
    expect(page.get_by_test_id("in-force")).to_contain_text("Signed by Test investigator on")
    sig = Signature.objects.get()
    row = page.locator("table tbody tr").first
    expect(row).to_contain_text("reviewed and approved")
    expect(row).to_contain_text(sig.content_hash[:16])
    expect(row).to_contain_text("In force")
    # the time is shown in Asia/Shanghai (UTC+8)
    expect(row).to_contain_text("CST")

    coord = Staff.objects.get(username="coord-S01")
    lab = services.record(
        coord,
        "S01-001",
        "lab",
        {"analyte": "albumin", "value": 38.0, "unit": "g/L", "sampled_on": SCREENED_ON},
    )
    page.reload()
    expect(page.get_by_test_id("unsigned")).to_be_visible()
    expect(row).to_contain_text("Void")
    expect(row).to_contain_text(f"data changed after signing: lab {lab.pk}")
    expect(row).to_contain_text("Needs signing again.")
    page.screenshot(path=str(shots / "web-signature-void-en.png"), full_page=True)
    _switch_language(page, "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_contain_text("S01-001")
    expect(row).to_contain_text("作废")
    _check(page)
    page.screenshot(path=str(shots / "web-signature-void-zh.png"), full_page=True)
    _switch_language(page, "en")
    # signed again
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Authenticator code").fill(_code("inv-S01"))
    submit(page)
    expect(page.get_by_test_id("in-force")).to_be_visible()
    assert Signature.objects.filter(voided_at=None).count() == 1
    # the investigator voids it with a reason (an empty reason is refused, nothing written)
    again = Signature.objects.get(voided_at=None)
    void = page.locator("form.void-signature")
    expect(void).to_have_count(1)
    void.locator("button").click()  # the browser asks for the reason first
    assert Signature.objects.get(pk=again.pk).voided_at is None
    void.locator("input[name=reason]").fill("signed before the week-8 scan was read")
    _switch_language(page, "zh-hans")
    expect(void.locator("button")).to_have_text("作废此签名")
    void.locator("input[name=reason]").fill("signed before the week-8 scan was read")
    page.screenshot(path=str(shots / "web-signature-void-form-zh.png"), full_page=True)
    _switch_language(page, "en")
    void.locator("input[name=reason]").fill("signed before the week-8 scan was read")
    void.locator("button").click()
    expect(page.locator(".messages")).to_contain_text("The signature is void")
    expect(page.get_by_test_id("unsigned")).to_be_visible()
    expect(page.locator("table tbody tr").first).to_contain_text(
        "signed before the week-8 scan was read"
    )
    voided = Signature.objects.get(pk=again.pk)
    assert voided.voided_at is not None and voided.void_reason.startswith("signed before")
    assert AuditEntry.objects.filter(action="void_signature", actor="inv-S01").exists()
    expect(page.locator("form.void-signature")).to_have_count(0)


def test_lock_is_refused_while_the_checklist_has_open_items(
    page: Page, own_db: str, shots: Path
) -> None:
    from oligotrial.edc.models import AuditEntry, TrialState

    _sign_in_with_code(page, own_db, "dm")
    page.get_by_role("link", name="Database lock").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Database lock")
    expect(page.get_by_test_id("lock-state")).to_have_text("The database is open.")
    unsigned = page.get_by_test_id("check-unsigned_casebook")
    expect(unsigned).to_contain_text("S02-001")  # (S01-001 may be signed by now)
    expect(page.get_by_test_id("check-unverified_form")).to_contain_text(
        "source data verification not in use"
    )
    page.get_by_label("Reason").fill("final analysis")
    submit(page)
    expect(page.locator("div.error")).to_contain_text(
        "The database cannot be locked while the checklist has open items."
    )
    expect(unsigned).to_contain_text("S02-001")
    assert not TrialState.objects.get(id=1).locked
    assert AuditEntry.objects.filter(action="lock_refused", actor="dm").exists()
    _check(page)
    page.screenshot(path=str(shots / "web-lock-refused-en.png"), full_page=True)
    _switch_language(page, "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("数据库锁定")
    _check(page)
    page.screenshot(path=str(shots / "web-lock-checklist-zh.png"), full_page=True)


def test_data_manager_freezes_a_visit_and_unfreezes_it_with_a_reason(
    page: Page, own_db: str, shots: Path
) -> None:
    from oligotrial.edc.models import Freeze

    _sign_in_with_code(page, own_db, "dm")
    page.goto(f"{own_db}/patients/S02-001/")
    page.get_by_role("link", name="Freeze").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Freeze data of patient S02-001")
    page.get_by_label("What to freeze").select_option("visit")
    page.get_by_label("Visit number").fill("1")
    page.locator("#id_reason").fill("visit cleaned")
    submit(page)
    expect(page.locator(".messages")).to_contain_text("Frozen.")
    row = page.locator("table tbody tr").first
    expect(row).to_contain_text("visit 1")
    expect(row).to_contain_text("visit cleaned")
    _check(page)
    page.screenshot(path=str(shots / "web-freeze-en.png"), full_page=True)
    frozen = Freeze.objects.get(patient__screening_number="S02-001", released_at=None)
    row.get_by_label("Reason").fill("a late laboratory report")
    row.get_by_role("button", name="Unfreeze").click()
    expect(page.locator(".messages")).to_contain_text("Unfrozen.")
    frozen.refresh_from_db()
    assert frozen.release_reason == "a late laboratory report"
