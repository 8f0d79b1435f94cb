"""A coordinator screens, consents and randomizes in a real Chromium (English and Chinese):
the live eligibility panel, the confirmation of the strata, the arm and number afterwards;
an ineligible patient's panel names the failing criterion and its value."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from screening_support import fill_form, new_trial, on_database, record_values
from test_sign_in import sign_in

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def trial(web_root: Path) -> dict[str, Any]:
    return new_trial(web_root / "screening-flow")


@pytest.fixture
def site(trial: dict[str, Any], server: str) -> str:
    with on_database(trial):
        yield server  # type: ignore[misc]


def _screen(page: Page, site: str, number: str, example: str) -> None:
    page.goto(f"{site}/")
    page.locator('a[href="/patients/new/screening/"]').click()
    fill_form(page, record_values(number, example))


def test_eligible_patient_screened_consented_randomized(page: Page, site: str, shots: Path) -> None:
    from oligotrial.edc.models import Allocation, Consent, Screening

    errors: list[str] = []  # a blocked script or a failed panel request shows here
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, site, "coord-S01")
    _screen(page, site, "S01-201", "eligible-01.json")
    panel = page.locator("#panel")
    expect(panel.locator(".overall")).to_have_text("Eligible")  # live, before submitting
    expect(panel.locator('[data-criterion="I6"] .verdict')).to_have_text("met")
    expect(panel.locator('[data-criterion="I6"]')).to_contain_text("Child-Pugh score = 5")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shots / "web-screening-en.png"))
    page.get_by_role("button", name="Submit the record").click()
    expect(page).to_have_url(re.compile(r"/patients/S01-201/$"))
    expect(page.locator(".messages")).to_contain_text("Screening record version 1 stored.")
    assert Screening.objects.filter(patient__screening_number="S01-201").count() == 1

    page.get_by_role("link", name="Randomization").click()
    expect(page.locator(".missing-list")).to_contain_text("no signed consent is recorded")
    expect(page.locator("#randomize-button")).to_be_disabled()
    page.screenshot(path=str(shots / "web-randomize-missing-en.png"), full_page=True)
    page.get_by_role("link", name="Consent").click()
    page.locator("#id_version").fill("2.1")
    page.screenshot(path=str(shots / "web-consent-en.png"), full_page=True)
    page.get_by_role("button", name="Record consent").click()
    expect(page.locator(".messages")).to_contain_text("Consent recorded.")
    assert Consent.objects.filter(patient__screening_number="S01-201").count() == 1

    expect(page.locator("#randomize-button")).to_be_enabled()
    page.locator("#randomize-button").click()
    strata = page.locator("dl.strata")
    expect(strata).to_contain_text("Oligoprogression")
    expect(strata).to_contain_text("Any extrahepatic")
    expect(page.locator("main")).not_to_contain_text("Arm")  # nothing of the list before
    page.screenshot(path=str(shots / "web-randomize-confirm-en.png"), full_page=True)
    page.locator("#confirm-button").dblclick()  # a double click allocates once
    expect(page.locator(".result .arm")).to_have_text(re.compile(r"^[AB]$"))
    expect(page.locator(".result .rand-no")).to_have_text(re.compile(r"^R\d{4}$"))
    allocation = Allocation.objects.get(patient__screening_number="S01-201")
    expect(page.locator(".result .arm")).to_have_text(allocation.arm)
    expect(page.locator(".result .rand-no")).to_have_text(allocation.randomization_number)
    page.screenshot(path=str(shots / "web-randomized-en.png"), full_page=True)
    page.goto(f"{site}/patients/S01-201/")
    expect(page.locator(".status")).to_have_text("Randomized")
    assert errors == []


def test_ineligible_patient_panel_names_the_criterion_and_value(page: Page, site: str) -> None:
    from oligotrial.edc.models import Screening

    sign_in(page, site, "coord-S01")
    _screen(page, site, "S01-202", "fails-I6-child-pugh-8.json")
    panel = page.locator("#panel")
    expect(panel.locator(".overall")).to_have_text("Not eligible")
    failing = panel.locator(".criterion.against")
    expect(failing).to_have_count(1)
    expect(failing).to_have_attribute("data-criterion", "I6")
    expect(failing).to_contain_text("not met")
    expect(failing).to_contain_text("Child-Pugh score = 8")
    expect(failing).to_contain_text("Child-Pugh score above 7")  # the protocol's reason
    page.get_by_role("button", name="Submit the record").click()
    expect(page.locator(".status")).to_have_text("Not eligible")
    assert Screening.objects.get(patient__screening_number="S01-202").overall == "ineligible"
    page.get_by_role("link", name="Randomization").click()
    expect(page.locator(".missing-list")).to_contain_text("I6")
    expect(page.locator("#randomize-button")).to_be_disabled()


def test_the_same_journey_in_chinese(page: Page, site: str, shots: Path) -> None:
    """A coordinator of a Chinese site: every page in Chinese, the panel too."""
    from oligotrial.edc.models import Allocation

    sign_in(page, site, "coord-S03")
    page.goto(f"{site}/")
    page.get_by_role("link", name="筛选新患者").click()
    fill_form(page, record_values("S03-201", "eligible-01.json"))
    panel = page.locator("#panel")
    expect(panel.locator(".overall")).to_have_text("符合入选条件")
    expect(panel.locator('[data-criterion="I6"]')).to_contain_text("Child-Pugh 评分")
    expect(panel.locator('[data-criterion="I7"] .values')).to_have_text("ECOG = 0")
    expect(panel.locator('[data-criterion="I5"] .values')).to_contain_text(
        "可测量的寡进展病灶数 = "
    )
    expect(panel.locator('[data-criterion="I6"] .verdict')).to_have_text("符合")
    expect(page.locator("label[for=f-labs-albumin-value]")).to_have_text("数值")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shots / "web-screening-zh.png"))
    page.get_by_role("button", name="提交记录").click()
    expect(page.locator(".messages")).to_contain_text("已保存第 1 版筛选记录。")
    page.get_by_role("link", name="知情同意").click()
    page.locator("#id_version").fill("2.1")
    page.screenshot(path=str(shots / "web-consent-zh.png"), full_page=True)
    page.get_by_role("button", name="记录知情同意").click()
    page.locator("#randomize-button").click()
    expect(page.locator("dl.strata")).to_contain_text("寡进展部位")
    expect(page.locator("dl.strata")).to_contain_text("有肝外病灶")
    page.screenshot(path=str(shots / "web-randomize-confirm-zh.png"), full_page=True)
    page.get_by_role("button", name="确认随机化").click()
    allocation = Allocation.objects.get(patient__screening_number="S03-201")
    expect(page.locator(".result .rand-no")).to_have_text(allocation.randomization_number)
    expect(page.locator("h2#result-title")).to_have_text("已随机")
    page.screenshot(path=str(shots / "web-randomized-zh.png"), full_page=True)
