"""A coordinator records an adverse event in Chromium: types part of a term, picks it from
the list (its system organ class shown), reads the grade definitions of that term, picks a
grade; then reads a value's history in place and corrects it with a reason. English and
Chinese, 1280×800 and tablet width; screenshots of each page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from test_look import _check
from test_sign_in import sign_in, submit
from web_support import SCREENED_ON, build_web_trial, switch_database

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def safety_browser_db(web_root: Path) -> dict[str, Any]:
    return build_web_trial(web_root / "safety-browser")


@pytest.fixture
def own_db(safety_browser_db: dict[str, Any], server: str) -> Iterator[str]:
    """The live server, reading this module's database (the shared one stays as built)."""
    switch_database(safety_browser_db)
    yield server


def _switch_language(page: Page, code: str) -> None:
    page.locator("#language").select_option(code)
    page.locator("form.lang button").click()


def test_record_an_adverse_event_by_picking_term_and_grade(
    page: Page, own_db: str, shots: Path
) -> None:
    from oligotrial.edc.models import AdverseEvent

    sign_in(page, own_db, "coord-S01")
    page.goto(f"{own_db}/patients/S01-001/")
    page.get_by_role("link", name="Adverse events").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Adverse events of patient S01-001")
    term = page.locator("#id_term")
    term.press_sequentially("palmar", delay=30)
    option = page.locator(".term-option", has_text="Palmar-plantar erythrodysesthesia syndrome")
    expect(option).to_be_visible()
    expect(option.locator(".soc")).to_have_text("Skin and subcutaneous tissue disorders")
    page.screenshot(path=str(shots / "web-ae-term-search-en.png"), full_page=True)
    option.click()
    expect(term).to_have_value("Palmar-plantar erythrodysesthesia syndrome")
    expect(page.locator(".soc-line")).to_contain_text("Skin and subcutaneous tissue disorders")
    grades = page.locator("label.grade")
    expect(grades).to_have_count(3)  # CTCAE v5.0 defines grades 1-3 for this term
    expect(grades.nth(1)).to_contain_text("Skin changes")
    grades.nth(1).locator("input").check()
    page.locator("#id_onset_date").fill((SCREENED_ON + dt.timedelta(days=12)).isoformat())
    page.locator("#id_related_flst").select_option("probable")
    _check(page)
    page.screenshot(path=str(shots / "web-ae-form-en.png"), full_page=True)
    submit(page)
    expect(page.locator(".messages")).to_contain_text("The adverse event is recorded.")
    ae = AdverseEvent.objects.get(patient__screening_number="S01-001")
    assert (ae.term, ae.grade, ae.related_flst) == (
        "Palmar-plantar erythrodysesthesia syndrome",
        2,
        "probable",
    )
    # the value's history, one click away, in place
    cell = page.locator(f"#adverse_event-{ae.pk}-grade")
    cell.get_by_role("link", name="History").click()
    expect(cell.locator(".history table")).to_contain_text("first entry")
    # a correction with its reason
    cell.get_by_role("link", name="Correct").click()
    page.get_by_label("Grade 3 — Severe skin changes", exact=False).check()
    submit(page)
    expect(page.locator("#id_reason-error")).to_be_visible()
    page.locator("#id_reason").fill("Ulceration seen at the visit")
    _check(page)
    page.screenshot(path=str(shots / "web-correct-en.png"), full_page=True)
    submit(page)
    expect(page.locator(".messages")).to_contain_text("The correction is saved")
    ae.refresh_from_db()
    assert ae.grade == 3
    cell = page.locator(f"#adverse_event-{ae.pk}-grade")
    cell.get_by_role("link", name="History").click()
    expect(cell.locator(".history table")).to_contain_text("Ulceration seen at the visit")
    _check(page)
    page.screenshot(path=str(shots / "web-recorded-data-en.png"), full_page=True)


def test_the_pages_in_chinese_and_at_tablet_width(page: Page, own_db: str, shots: Path) -> None:
    from oligotrial.edc import services
    from oligotrial.edc.models import Staff

    coord = Staff.objects.get(username="coord-S01")
    services.record(
        coord,
        "S01-001",
        "lab",
        {"analyte": "bilirubin", "value": 5000.0, "unit": "µmol/L", "sampled_on": SCREENED_ON},
    )  # an implausible value: a query at the field
    sign_in(page, own_db, "coord-S01")
    page.goto(f"{own_db}/patients/S01-001/adverse-events/")
    _switch_language(page, "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("患者 S01-001 的不良事件")
    page.locator("#id_term").press_sequentially("hyperten", delay=30)
    page.locator(".term-option").first.click()  # "Hypertension" starts with the text
    expect(page.locator("label.grade")).to_have_count(5)
    page.locator("label.grade").nth(4).locator("input").check()
    page.locator("#id_onset_date").fill((SCREENED_ON + dt.timedelta(days=3)).isoformat())
    submit(page)  # grade 5 without a fatal outcome: refused, shown at the field
    expect(page.locator("#id_outcome-error")).to_have_text("5 级与“死亡”转归须同时选择")
    expect(page.locator("main")).to_contain_text("未保存任何内容")
    _check(page)
    page.screenshot(path=str(shots / "web-ae-form-zh.png"), full_page=True)
    page.goto(f"{own_db}/patients/S01-001/data/")
    expect(page.locator(".query")).to_contain_text("bilirubin")
    page.locator(".query textarea").fill("已与检验科核对，为录入错误。")
    page.locator(".query button").click()
    expect(page.locator(".query .answers")).to_contain_text("已与检验科核对")
    _check(page)
    page.screenshot(path=str(shots / "web-recorded-data-zh.png"), full_page=True)
    page.set_viewport_size({"width": 768, "height": 1024})
    _check(page)
    page.screenshot(path=str(shots / "web-recorded-data-tablet.png"), full_page=True)
    page.goto(f"{own_db}/patients/S01-001/adverse-events/")
    _check(page)
    page.screenshot(path=str(shots / "web-ae-form-tablet.png"), full_page=True)


def test_a_serious_event_asks_its_seriousness_criteria(
    page: Page, own_db: str, shots: Path
) -> None:
    """The ICH E2A criteria appear once "serious" is ticked; serious without a criterion is
    refused at the field and nothing saved; with one it is recorded. Both languages."""
    from oligotrial.edc.models import AdverseEvent

    sign_in(page, own_db, "coord-S01")
    page.goto(f"{own_db}/patients/S01-001/adverse-events/")
    _switch_language(page, "en")
    criteria = page.locator("#seriousness-criteria")
    expect(criteria).to_be_hidden()
    page.locator("#id_term").press_sequentially("diarr", delay=30)
    page.locator(".term-option", has_text="Diarrhea").click()
    page.locator("label.grade").nth(2).locator("input").check()
    page.locator("#id_onset_date").fill((SCREENED_ON + dt.timedelta(days=20)).isoformat())
    page.locator("#id_serious").check()
    expect(criteria).to_be_visible()
    expect(criteria.locator("label")).to_have_text(
        [
            "Results in death",
            "Life-threatening",
            "Requires or prolongs hospitalisation",
            "Persistent or significant disability/incapacity",
            "Congenital anomaly/birth defect",
            "Other medically important event",
        ]
    )
    before = AdverseEvent.objects.filter(term="Diarrhea").count()
    submit(page)
    expect(page.locator("#id_serious-error")).to_contain_text(
        "a serious event needs at least one seriousness criterion"
    )
    assert AdverseEvent.objects.filter(term="Diarrhea").count() == before
    expect(criteria).to_be_visible()  # still ticked serious after the refusal
    page.locator("#id_sae_hospitalisation").check()
    _check(page)
    page.screenshot(path=str(shots / "web-ae-serious-en.png"), full_page=True)
    submit(page)
    expect(page.locator(".messages")).to_contain_text("The adverse event is recorded.")
    ae = AdverseEvent.objects.get(term="Diarrhea")
    assert (ae.serious, ae.sae_hospitalisation, ae.sae_death) == (True, True, False)
    _switch_language(page, "zh-hans")
    page.locator("#id_serious").check()
    expect(criteria.locator("label")).to_have_text(
        [
            "导致死亡",
            "危及生命",
            "需要住院或延长住院时间",
            "导致永久或严重的残疾/功能丧失",
            "先天性异常/出生缺陷",
            "其他重要医学事件",
        ]
    )
    page.locator("#id_sae_life_threatening").check()
    page.locator("#id_serious").uncheck()  # a criterion without "serious" stays shown
    expect(criteria).to_be_visible()
    page.locator("#id_term").press_sequentially("nause", delay=30)
    page.locator(".term-option", has_text="Nausea").click()
    page.locator("label.grade").nth(1).locator("input").check()
    page.locator("#id_onset_date").fill((SCREENED_ON + dt.timedelta(days=21)).isoformat())
    submit(page)
    expect(page.locator("#id_sae_life_threatening-error")).to_have_text(
        "已勾选严重性标准，该事件即为严重不良事件，请勾选“严重不良事件”"
    )
    assert not AdverseEvent.objects.filter(term="Nausea").exists()
    _check(page)
    page.screenshot(path=str(shots / "web-ae-serious-zh.png"), full_page=True)


def test_an_event_is_made_serious_on_one_correction_page(
    page: Page, own_db: str, shots: Path
) -> None:
    """A recorded event becomes serious later: "serious" and the criterion it meets are
    ticked on one correction page and saved with one reason. Both languages."""
    from oligotrial.edc import services
    from oligotrial.edc.models import AdverseEvent, Staff

    ae = services.record(
        Staff.objects.get(username="coord-S01"),
        "S01-001",
        "adverse_event",
        {"term": "Fatigue", "grade": 2, "onset_date": SCREENED_ON + dt.timedelta(days=25)},
    )
    sign_in(page, own_db, "coord-S01")
    page.goto(f"{own_db}/patients/S01-001/data/adverse_event/{ae.pk}/serious/correct/")
    _switch_language(page, "en")
    boxes = page.locator("#seriousness-correction label")
    expect(boxes).to_have_count(7)
    expect(boxes.first).to_have_text("Serious")
    page.locator("#id_serious").check()
    page.locator("#id_sae_hospitalisation").check()
    page.locator("#id_reason").fill("admitted for intravenous fluids")
    _check(page)
    page.screenshot(path=str(shots / "web-correct-serious-en.png"), full_page=True)
    _switch_language(page, "zh-hans")
    expect(page.locator("#seriousness-correction legend")).to_have_text(
        "严重不良事件及其符合的严重性标准（ICH E2A）：一并更正"
    )
    page.locator("#id_sae_hospitalisation").check()  # the language switch reloads the page
    page.locator("#id_reason").fill("因静脉补液住院")
    submit(page)
    expect(page.locator("#id_sae_hospitalisation-error")).to_have_text(
        "已勾选严重性标准，该事件即为严重不良事件，请勾选“严重不良事件”"
    )
    assert not AdverseEvent.objects.get(pk=ae.pk).sae_hospitalisation
    page.locator("#id_serious").check()
    page.locator("#id_reason").fill("因静脉补液住院")
    _check(page)
    page.screenshot(path=str(shots / "web-correct-serious-zh.png"), full_page=True)
    submit(page)
    expect(page.locator(".messages")).to_be_visible()
    ae = AdverseEvent.objects.get(pk=ae.pk)
    assert (ae.serious, ae.sae_hospitalisation, ae.sae_life_threatening) == (True, True, False)
