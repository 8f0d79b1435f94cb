"""The pages as a user sees them: labelled inputs, keyboard order, 1280×800 and tablet
width; the screenshots in docs/img are made here."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from test_sign_in import sign_in

pytestmark = pytest.mark.slow

UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length) &&
               !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
  .map(e => e.outerHTML)"""
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def _check(page: Page) -> None:
    assert page.evaluate(UNLABELLED) == []
    assert page.evaluate(OVERFLOW) <= 0  # no sideways scrolling of the page (tables scroll)


def test_sign_in_page(page: Page, server: str, shots: Path) -> None:
    page.goto(f"{server}/accounts/login/")
    _check(page)
    expect(page.locator("#id_login")).to_be_focused()  # typing starts at the user name
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.screenshot(path=str(shots / "web-sign-in.png"))


def test_site_home_in_english_and_chinese(page: Page, server: str, shots: Path) -> None:
    sign_in(page, server, "coord-S01")
    expect(page.locator("table.patients")).to_be_visible()
    _check(page)
    page.keyboard.press("Tab")
    expect(page.locator(".skip")).to_be_focused()  # the first stop skips to the content
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    page.screenshot(path=str(shots / "web-site-home-en.png"), full_page=True)
    page.locator("#language").select_option("zh-hans")
    page.locator("form.lang button").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hospital S01 的患者")
    _check(page)
    page.screenshot(path=str(shots / "web-site-home-zh.png"), full_page=True)
    page.goto(f"{server}/patients/S01-001/")
    expect(page.get_by_role("heading", level=2).first).to_have_text("分层因素")
    _check(page)
    page.screenshot(path=str(shots / "web-patient-zh.png"), full_page=True)


def test_site_home_at_tablet_width(page: Page, server: str, shots: Path) -> None:
    page.set_viewport_size({"width": 768, "height": 1024})
    sign_in(page, server, "coord-S01")
    expect(page.locator("table.patients")).to_be_visible()
    _check(page)
    # every column is in view: the table needs no sideways scrolling either
    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("e => e.scrollWidth - e.clientWidth") <= 0
    # the search is reachable by keyboard: Tab from the page start reaches the search box
    page.locator("body").focus()
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    expect(page.locator("#q")).to_be_focused()
    page.screenshot(path=str(shots / "web-site-home-tablet.png"), full_page=True)
