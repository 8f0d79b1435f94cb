"""A coordinator enters a follow-up visit in a real Chromium: the visit date, labs, lesion
measurements whose RECIST response (PR) and its reason appear live before saving, a
radiotherapy course whose BED appears live; the same page in Chinese and at tablet width.
The screenshots of the visit page are made here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from test_look import _check
from test_sign_in import sign_in
from visit_support import PATIENT, RANDOMIZED_ON, build_visit_trial
from web_support import switch_database

pytestmark = pytest.mark.slow

VISIT_DAY = (RANDOMIZED_ON + dt.timedelta(days=42)).isoformat()


@pytest.fixture(scope="module")
def visits_db(web_root: Path) -> dict[str, Any]:
    return build_visit_trial(web_root / "visit-entry")


@pytest.fixture(autouse=True)
def _on_visits_db(_on_web_db: None, visits_db: dict[str, Any]) -> Iterator[None]:
    switch_database(visits_db)
    yield


def _row(page: Page, code: str) -> Any:
    return page.locator("table.lesions tbody tr", has=page.locator(f"th:text-is('{code}')"))


def test_a_follow_up_visit_with_a_partial_response(page: Page, server: str, shots: Path) -> None:
    from oligotrial.edc.models import LabResult, LesionMeasurement, Visit

    sign_in(page, server, "coord-S01")
    page.goto(f"{server}/patients/{PATIENT}/")
    page.get_by_role("link", name="1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Patient {PATIENT} · visit 1")
    _check(page)

    page.locator("#id_visit_date").fill(VISIT_DAY)
    page.get_by_role("button", name="Record the visit").click()
    expect(page.locator("#date")).to_contain_text(f"The visit took place on {VISIT_DAY}.")

    page.locator("#id_value_albumin").fill("36")
    page.locator("#id_value_bilirubin").fill("18")
    page.get_by_role("button", name="Save the labs").click()
    expect(page.locator("table.labs-saved")).to_contain_text("Albumin")

    panel = page.locator("#response-panel")
    expect(panel).to_contain_text("Enter the measurements")
    _row(page, "T1").locator("select").select_option("present")
    _row(page, "T1").locator("input").fill("20")
    _row(page, "T2").locator("select").select_option("present")
    _row(page, "T2").locator("input").fill("15")
    _row(page, "NT1").locator("select").select_option("present")
    expect(panel.locator(".resp")).to_have_text("PR")  # live, nothing saved yet
    expect(panel.locator(".reason-text")).to_contain_text(
        "sum 35 mm ≤ 0.7 × baseline 70 mm (-50.0%)"
    )
    assert not LesionMeasurement.objects.filter(
        visit__number=1, lesion__patient__screening_number=PATIENT
    ).exists()
    page.screenshot(path=str(shots / "web-visit-en.png"), full_page=True)
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.locator(".messages")).to_contain_text("Saved.")
    expect(page.locator("#response-panel .resp")).to_have_text("PR")  # now from what is stored
    expect(_row(page, "T1")).to_contain_text("20.0 mm")
    stored = LesionMeasurement.objects.filter(
        visit__number=1, lesion__patient__screening_number=PATIENT
    )
    assert sorted((m.lesion.code, m.diameter_mm) for m in stored) == [
        ("NT1", None),
        ("T1", 20.0),
        ("T2", 15.0),
    ]
    assert Visit.objects.get(patient__screening_number=PATIENT, number=1).status == "done"
    assert LabResult.objects.filter(patient__screening_number=PATIENT, visit__number=1).count() == 2


def test_a_radiotherapy_course_shows_its_bed(page: Page, server: str) -> None:
    from oligotrial.edc.models import RadiotherapyCourse

    sign_in(page, server, "coord-S01")
    page.goto(f"{server}/patients/{PATIENT}/visits/1/")
    page.locator("#id_rt_target_site").fill("Liver segment 7")
    page.locator("#id_rt_lesion").select_option("T1")
    page.locator("#id_rt_total_dose_gy").fill("50")
    page.locator("#id_rt_fractions").fill("5")
    page.locator("#id_rt_start_date").fill(VISIT_DAY)
    expect(page.locator("#bed-panel")).to_contain_text("100.0 Gy")  # 50 · (1 + 10/10), live
    page.get_by_role("button", name="Save the course").click()
    expect(page.locator("table.rt-saved")).to_contain_text("100.0")
    course = RadiotherapyCourse.objects.get(patient__screening_number=PATIENT)
    assert course.bed_gy == 100.0 and course.lesion is not None and course.lesion.code == "T1"


def test_a_bad_value_is_shown_at_its_field(page: Page, server: str, shots: Path) -> None:
    from oligotrial.edc.models import AuditEntry

    before = AuditEntry.objects.count()
    sign_in(page, server, "coord-S01")
    page.goto(f"{server}/patients/{PATIENT}/visits/2/")
    page.locator("#id_rt_target_site").fill("Lung")
    page.locator("#id_rt_total_dose_gy").fill("300")
    page.locator("#id_rt_fractions").fill("5")
    page.locator("#id_rt_start_date").fill(VISIT_DAY)
    page.get_by_role("button", name="Save the course").click()
    expect(page.locator("#id_rt_total_dose_gy_error")).to_contain_text(
        "300.0 Gy is outside the plausible range 0.5–150 Gy"
    )
    expect(page.locator("#bed-panel")).to_contain_text("2100.0 Gy")  # of what was entered
    expect(page.locator("#id_rt_total_dose_gy")).to_have_value("300")  # kept for correcting
    dose = page.locator("#id_rt_total_dose_gy")
    expect(dose).to_have_attribute("aria-describedby", "id_rt_total_dose_gy_error")
    page.locator("#rt").screenshot(path=str(shots / "web-visit-error-en.png"))
    assert AuditEntry.objects.count() == before


def test_the_visit_page_in_chinese_and_at_tablet_width(
    page: Page, server: str, shots: Path
) -> None:
    sign_in(page, server, "coord-S01")
    page.goto(f"{server}/patients/{PATIENT}/visits/1/")
    page.locator("#language").select_option("zh-hans")
    page.locator("form.lang button").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"患者 {PATIENT} · 访视 1")
    expect(page.locator("#response-panel h3")).to_have_text("RECIST 1.1 时间点疗效")
    _check(page)
    page.screenshot(path=str(shots / "web-visit-zh.png"), full_page=True)
    page.goto(f"{server}/patients/{PATIENT}/visits/0/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"患者 {PATIENT} · 基线访视")
    _check(page)
    page.screenshot(path=str(shots / "web-visit-baseline-zh.png"), full_page=True)
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(f"{server}/patients/{PATIENT}/visits/1/")
    _check(page)
    page.screenshot(path=str(shots / "web-visit-tablet-zh.png"), full_page=True)
    page.locator("#language").select_option("en")
    page.locator("form.lang button").click()
    _check(page)
    page.screenshot(path=str(shots / "web-visit-tablet-en.png"), full_page=True)
