"""Signing in: passwords, TOTP for investigators, lockout, and each site seeing only its own
patients (a real Chromium against the application on waitress)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from web_support import PASSWORD, fresh_totp

pytestmark = pytest.mark.slow


def submit(page: Page) -> None:
    """Press the main form's submit button (not a second form's, such as "Cancel")."""
    page.locator("main form button[type=submit]:not([form])").first.click()


def sign_in(page: Page, server: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{server}/accounts/login/")
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(password)
    submit(page)


def test_coordinator_sees_the_site_patients_with_their_status(page: Page, server: str) -> None:
    page.goto(server)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    sign_in(page, server, "coord-S01")
    expect(page.get_by_role("heading", level=1)).to_have_text("Patients at Hospital S01")
    rows = page.locator("table.patients tbody tr")
    expect(rows).to_have_count(4)
    expect(page.locator("table.patients")).not_to_contain_text("S02-001")

    def row(number: str):  # type: ignore[no-untyped-def]
        return page.locator("table.patients tbody tr", has_text=number)

    expect(row("S01-001").locator("td").nth(0)).to_have_text("Randomized")
    expect(row("S01-001").locator("td").nth(3)).to_have_text(re.compile(r"^[A-Z]$"))
    expect(row("S01-001").locator("td").nth(4)).not_to_have_text("—")
    expect(row("S01-001").locator("td").nth(7)).to_have_text("1")  # visit 1 missed
    expect(row("S01-001").locator("td").nth(8)).to_have_text("0")  # overdue are not missed
    expect(row("S01-001").locator("td").nth(5)).to_contain_text("Visit ")
    expect(row("S01-002").locator("td").nth(0)).to_have_text("Consented")
    expect(row("S01-003").locator("td").nth(0)).to_have_text("Not eligible")
    expect(row("S01-004").locator("td").nth(0)).to_have_text("Screening incomplete")

    page.locator("#q").fill("003")
    expect(rows).to_have_count(1)  # htmx refreshes the table as one types
    expect(rows.first).to_contain_text("S01-003")


def test_search_works_without_javascript(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, server, "coord-S01")
    page.locator("#q").fill("S01-002")
    page.locator("form.search button").click()
    expect(page).to_have_url(re.compile(r"\?q=S01-002"))
    expect(page.locator("table.patients tbody tr")).to_have_count(1)
    context.close()


def test_another_sites_patient_is_not_found(page: Page, server: str) -> None:
    sign_in(page, server, "coord-S01")
    own = page.goto(f"{server}/patients/S01-001/")
    assert own is not None and own.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Patient S01-001")
    other = page.goto(f"{server}/patients/S02-001/")
    assert other is not None and other.status == 404
    expect(page.locator("dl.facts")).to_have_count(0)  # nothing of the patient is shown
    unknown = page.goto(f"{server}/patients/NOPE/")
    assert unknown is not None and unknown.status == 404


def test_investigator_must_set_up_totp_then_signs_in_with_it(page: Page, server: str) -> None:
    used: set[str] = set()
    sign_in(page, server, "inv2-S01")
    # no trial page opens before the second factor is set up; setting it up asks for the
    # password again (allauth's re-authentication before a change of credentials)
    expect(page).to_have_url(
        re.compile(r"/accounts/reauthenticate/\?next=%2Faccounts%2F2fa%2Ftotp")
    )
    page.goto(server)
    expect(page).to_have_url(
        re.compile(r"/accounts/reauthenticate/\?next=%2Faccounts%2F2fa%2Ftotp")
    )
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(fresh_totp(secret, used))
    submit(page)
    page.goto(server)
    expect(page.get_by_role("heading", level=1)).to_have_text("Patients at Hospital S01")

    page.context.clear_cookies()
    sign_in(page, server, "inv2-S01")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("input[name=code]").fill(
        "000000" if fresh_totp(secret, set()) != "000000" else "111111"
    )
    submit(page)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))  # a wrong code
    page.locator("input[name=code]").fill(fresh_totp(secret, used))
    submit(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Patients at Hospital S01")


def test_repeated_failures_lock_the_account(page: Page, server: str) -> None:
    for _ in range(4):
        sign_in(page, server, "lockme-S02", "wrong-password-123")
        expect(page.locator("div.error")).to_contain_text("not correct")
    sign_in(page, server, "lockme-S02", "wrong-password-123")  # the fifth failure locks
    expect(page.get_by_role("heading", level=1)).to_have_text("Account locked")
    sign_in(page, server, "lockme-S02")  # the right password no longer opens it
    expect(page.get_by_role("heading", level=1)).to_have_text("Account locked")
    page.goto(server)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_chinese_pages(page: Page, server: str) -> None:
    page.goto(f"{server}/accounts/login/")
    page.locator("#language").select_option("zh-hans")
    page.locator("form.lang button").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")
    expect(page.locator("label[for=id_login]")).to_have_text("用户名")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.locator("#id_login").fill("coord-S01")
    page.locator("#id_password").fill(PASSWORD)
    submit(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hospital S01 的患者")
    head = page.locator("table.patients thead")
    expect(head).to_contain_text("筛选号")
    expect(head).to_contain_text("随机号")
    row = page.locator("table.patients tbody tr", has_text="S01-003")
    expect(row.locator("td").nth(0)).to_have_text("不符合入选条件")
    expect(page.get_by_role("link", name="退出")).to_be_visible()


def test_chinese_is_chosen_from_the_browser_language(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{server}/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("登录")
    context.close()


def test_a_chinese_sites_staff_see_chinese_until_they_choose(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    sign_in(page, server, "coord-S03")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hospital S03 的患者")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.locator("#language").select_option("en")
    page.locator("form.lang button").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Patients at Hospital S03")
    page.goto(server)
    expect(page.get_by_role("heading", level=1)).to_have_text("Patients at Hospital S03")
    context.close()


def test_an_english_sites_staff_see_english(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    sign_in(page, server, "coord-S01")
    expect(page.get_by_role("heading", level=1)).to_have_text("Patients at Hospital S01")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    context.close()
