"""A coordinator's whole journey in a real Chromium, in English and in Chinese: sign in,
screen an eligible patient, consent, randomize, record the baseline lesions, enter a visit
with labs and measurements that make a partial response, record an adverse event, correct
a value with a reason and read its history. Each step is checked in the database too."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from screening_support import fill_form, new_trial, on_database, record_values
from test_look import _check
from test_sign_in import sign_in, submit

pytestmark = pytest.mark.slow

TODAY = dt.datetime.now(dt.UTC).date()  # randomization is dated today by the page
BASELINE_SCAN = TODAY - dt.timedelta(days=7)  # the baseline visit: within 28 days before

TEXT = {
    "en": {
        "user": "coord-S01",
        "number": "S01-301",
        "new": "Screen a new patient",
        "eligible": "Eligible",
        "submit": "Submit the record",
        "consent": "Consent",
        "record_consent": "Record consent",
        "randomize_done": "Randomized",
        "visit_heading": "Patient {n} · visit 1",
        "reason": "sum 35 mm ≤ 0.7 × baseline 70 mm (-50.0%); non-target NT1 present",
        "ae_link": "Adverse events",
        "ae_term": "Palmar-plantar erythrodysesthesia syndrome",
        "ae_search": "palmar",
        "ae_saved": "The adverse event is recorded.",
        "corrected": "The correction is saved with its reason.",
        "why": "Ulceration seen at the visit",
        "first": "first entry",
    },
    "zh-hans": {
        "user": "coord-S03",
        "number": "S03-301",
        "new": "筛选新患者",
        "eligible": "符合入选条件",
        "submit": "提交记录",
        "consent": "知情同意",
        "record_consent": "记录知情同意",
        "randomize_done": "已随机",
        "visit_heading": "患者 {n} · 访视 1",
        "reason": "径线总和 35 mm ≤ 0.7 × 基线 70 mm（-50.0%）；非靶病灶 NT1 存在",
        "ae_link": "不良事件",
        "ae_term": "Palmar-plantar erythrodysesthesia syndrome",
        "ae_search": "palmar",
        "ae_saved": "不良事件已记录。",
        "corrected": "修改及其原因已保存。",
        "why": "随访时见溃疡",
        "first": "首次录入",
    },
}


@pytest.fixture(scope="module")
def trial(web_root: Path) -> dict[str, Any]:
    return new_trial(web_root / "journey")


@pytest.fixture
def site(trial: dict[str, Any], server: str) -> Any:
    with on_database(trial):
        yield server


def _lesion_row(page: Page, code: str) -> Any:
    return page.locator("table.lesions tbody tr", has=page.locator(f"th:text-is('{code}')"))


def _add_lesion(page: Page, row: int, code: str, role: str, organ: str, mm: float | None) -> None:
    page.locator(f"#id_add_code_{row}").fill(code)
    page.locator(f"#id_add_role_{row}").select_option(role)
    page.locator(f"#id_add_organ_{row}").select_option(organ)
    page.locator(f"#id_add_status_{row}").select_option("present")
    if mm is not None:
        page.locator(f"#id_add_diameter_{row}").fill(str(mm))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_coordinators_whole_journey(page: Page, site: str, language: str, shots: Path) -> None:
    from oligotrial.edc.models import AdverseEvent, Allocation, AuditEntry, LesionMeasurement

    t = TEXT[language]
    number = t["number"]
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, site, t["user"])
    page.get_by_role("link", name=t["new"]).click()
    fill_form(page, record_values(number, "eligible-01.json"))
    expect(page.locator("#panel .overall")).to_have_text(t["eligible"])
    page.get_by_role("button", name=t["submit"]).click()
    expect(page).to_have_url(re.compile(rf"/patients/{number}/$"))

    page.get_by_role("link", name=t["consent"]).click()
    page.locator("#id_version").fill("2.1")
    page.get_by_role("button", name=t["record_consent"]).click()
    page.locator("#randomize-button").click()
    page.locator("#confirm-button").click()
    allocation = Allocation.objects.get(patient__screening_number=number)
    expect(page.locator(".result .rand-no")).to_have_text(allocation.randomization_number)
    expect(page.locator("h2#result-title")).to_have_text(t["randomize_done"])

    # baseline: two target lesions (liver 40 mm, lung 30 mm) and a non-target (bone)
    page.goto(f"{site}/patients/{number}/")
    page.locator(f'a[href="/patients/{number}/visits/0/"]').first.click()
    page.locator("#id_visit_date").fill(BASELINE_SCAN.isoformat())
    page.locator("#date form button[type=submit]").click()
    page.locator("#id_measured_on").fill(BASELINE_SCAN.isoformat())
    _add_lesion(page, 0, "T1", "target", "liver", 40)
    _add_lesion(page, 1, "T2", "target", "lung", 30)
    _add_lesion(page, 2, "NT1", "non_target", "bone", None)
    page.locator("#tumour form button[type=submit]").click()
    expect(_lesion_row(page, "T1")).to_contain_text("40.0 mm")

    # visit 1: labs, and measurements whose response is PR, shown live before saving
    page.goto(f"{site}/patients/{number}/")
    page.locator(f'a[href="/patients/{number}/visits/1/"]').first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t["visit_heading"].format(n=number))
    page.locator("#id_visit_date").fill(TODAY.isoformat())
    page.locator("#date form button[type=submit]").click()
    page.locator("#id_value_albumin").fill("36")
    page.locator("#labs form button[type=submit]").click()
    page.locator("#id_measured_on").fill(TODAY.isoformat())
    _lesion_row(page, "T1").locator("select").select_option("present")
    _lesion_row(page, "T1").locator("input").fill("20")
    _lesion_row(page, "T2").locator("select").select_option("present")
    _lesion_row(page, "T2").locator("input").fill("15")
    _lesion_row(page, "NT1").locator("select").select_option("present")
    expect(page.locator("#response-panel .resp")).to_have_text("PR")
    expect(page.locator("#response-panel .reason-text")).to_contain_text(t["reason"])
    _check(page)
    page.screenshot(path=str(shots / f"web-journey-visit-{language}.png"), full_page=True)
    page.locator("#tumour form button[type=submit]").click()
    expect(page.locator("#response-panel .resp")).to_have_text("PR")  # from what is stored
    measured = LesionMeasurement.objects.filter(
        lesion__patient__screening_number=number, visit__number=1
    )
    assert sorted((m.lesion.code, m.diameter_mm) for m in measured) == [
        ("NT1", None),
        ("T1", 20.0),
        ("T2", 15.0),
    ]

    # an adverse event, picked from CTCAE v5.0, then its grade corrected with a reason
    page.goto(f"{site}/patients/{number}/")
    page.get_by_role("link", name=t["ae_link"]).first.click()
    page.locator("#id_term").press_sequentially(t["ae_search"], delay=30)
    page.locator(".term-option", has_text=t["ae_term"]).click()
    expect(page.locator("#id_term")).to_have_value(t["ae_term"])
    # the term's grades arrive by htmx: pick one only once they are the term's own (three)
    expect(page.locator(".soc-line")).to_be_visible()
    expect(page.locator("label.grade")).to_have_count(3)
    page.locator("#id_onset_date").fill(TODAY.isoformat())
    grade = page.locator("label.grade").nth(1).locator("input")
    grade.check()
    expect(grade).to_be_checked()
    submit(page)
    expect(page.locator(".messages")).to_contain_text(t["ae_saved"])
    ae = AdverseEvent.objects.get(patient__screening_number=number)
    assert (ae.term, ae.grade) == (t["ae_term"], 2)
    cell = page.locator(f"#adverse_event-{ae.pk}-grade")
    cell.locator("a[href$='/correct/']").click()
    page.locator("input[name=value][value='3']").check()
    before = AuditEntry.objects.count()
    submit(page)  # without a reason: refused, nothing written
    expect(page.locator("#id_reason-error")).to_be_visible()
    assert AuditEntry.objects.count() == before
    page.locator("#id_reason").fill(t["why"])
    submit(page)
    expect(page.locator(".messages")).to_contain_text(t["corrected"])
    ae.refresh_from_db()
    assert ae.grade == 3
    cell = page.locator(f"#adverse_event-{ae.pk}-grade")
    cell.locator("a[href$='/history/']").click()
    history = cell.locator(".history table")
    expect(history).to_contain_text(t["why"])
    expect(history).to_contain_text(t["user"])
    expect(history).to_contain_text(t["first"])
    expect(history.locator("tbody tr")).to_have_count(2)
    _check(page)
    page.screenshot(path=str(shots / f"web-journey-history-{language}.png"), full_page=True)
    assert errors == []


def test_a_randomized_patient_without_visits_gets_them_from_the_patient_page(
    trial: dict[str, Any],
) -> None:
    """Should scheduling fail after an allocation, the patient page offers it again; a
    repeated request adds nothing, and a reader cannot schedule."""
    from django.test import Client
    from web_support import SCREENED_ON, screening_record, sign_in_client

    from oligotrial.edc import services
    from oligotrial.edc.models import Staff, Visit

    with on_database(trial):
        coord = Staff.objects.get(username="coord-S01")
        services.screen(coord, screening_record("S01-302"))
        services.record_consent(coord, "S01-302", version="1.0", signed_on=SCREENED_ON)
        services.randomize(coord, "S01-302", randomized_on=SCREENED_ON + dt.timedelta(days=1))
        client = Client(HTTP_HOST="127.0.0.1")
        sign_in_client(client, "monitor")
        page = client.get("/patients/S01-302/").content.decode()
        assert "No visits scheduled" in page and "Schedule the visits" not in page
        client.post("/patients/S01-302/visits/schedule/")
        assert not Visit.objects.filter(patient__screening_number="S01-302").exists()
        sign_in_client(client, "coord-S01")
        assert "Schedule the visits" in client.get("/patients/S01-302/").content.decode()
        response = client.post("/patients/S01-302/visits/schedule/")
        assert response.status_code == 302 and response["Location"] == "/patients/S01-302/"
        count = Visit.objects.filter(patient__screening_number="S01-302").count()
        assert count > 10  # the baseline and every assessment of three years
        client.post("/patients/S01-302/visits/schedule/")
        assert Visit.objects.filter(patient__screening_number="S01-302").count() == count
        assert "Schedule the visits" not in client.get("/patients/S01-302/").content.decode()
