"""A sample from draw to result in Chromium: the patient page lists the overdue baseline
ctDNA sample; the coordinator records its collection, prints its label, ships it and records
its receipt (a shipment dated before the draw is refused with the reason); the laboratory's
FHIR Bundle is uploaded on the office's page (refused with a unit not allowed, then
imported); the page shows it analysed with its result. English and Chinese,
time points named in the page's language (never as the protocol's codes)."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from test_look import _check
from test_office_browser import _sign_in_with_totp
from test_sign_in import sign_in
from web_support import SCREENED_ON, build_web_trial, switch_database

sys.path.insert(0, str(Path(__file__).parents[1] / "unit" / "fhir_interop"))
import ctdna_bundles as lab

pytestmark = pytest.mark.slow
RANDOMIZED = SCREENED_ON + dt.timedelta(days=1)  # as build_web_trial randomizes
ROW = "#sample-ctdna-baseline"


@pytest.fixture(scope="module")
def samples_db(web_root: Path) -> dict[str, Any]:
    return build_web_trial(web_root / "samples-browser")


@pytest.fixture
def own_db(samples_db: dict[str, Any], server: str) -> Iterator[str]:
    switch_database(samples_db)
    yield server


def _step(page: Page, on: dt.date, location: str, button: str) -> None:
    form = page.locator(f"{ROW} form.sample-step").first
    form.locator("input[name=on]").fill(on.isoformat())
    form.locator("input[name=location]").fill(location)
    form.get_by_role("button", name=button).click()


def test_follow_a_sample_from_draw_to_result(
    page: Page, own_db: str, shots: Path, tmp_path: Path
) -> None:
    from oligotrial.edc.models import Biosample, CustodyEvent

    tmp = tmp_path

    sign_in(page, own_db, "coord-S01")
    page.goto(f"{own_db}/patients/S01-001/")
    overdue = page.locator(".overdue-samples")
    expect(overdue).to_contain_text("ctDNA · Baseline")
    page.get_by_role("link", name="Samples: schedule, custody and labels").click()
    expect(page.locator(f"{ROW} .sample-state")).to_have_text("Overdue")
    expect(page.locator(f"{ROW} td").nth(1)).to_have_text("Baseline")
    _step(page, RANDOMIZED, "site freezer -80", "Record collection")
    expect(page.locator(".messages")).to_contain_text("The sample step is recorded.")
    expect(page.locator(f"{ROW} .sample-state")).to_have_text("Collected")
    label = "S01-001-CT1"
    expect(page.locator(ROW).get_by_role("link", name=label)).to_be_visible()
    _check(page)
    page.screenshot(path=str(shots / "web-samples-collected-en.png"), full_page=True)
    # a shipment before the draw is refused, nothing recorded
    _step(page, RANDOMIZED - dt.timedelta(days=2), "central lab", "Record shipment")
    expect(page.locator("p.error")).to_contain_text("before collected_on")
    assert Biosample.objects.get(identifier=label).status == "collected"
    _step(page, RANDOMIZED + dt.timedelta(days=1), "central lab", "Record shipment")
    expect(page.locator(f"{ROW} .sample-state")).to_have_text("Shipped")
    _step(page, RANDOMIZED + dt.timedelta(days=3), "rack A3", "Record receipt")
    expect(page.locator(f"{ROW} .sample-state")).to_have_text("Received")
    # the printable label
    page.locator(ROW).get_by_role("link", name=label).click()
    expect(page.locator(".tube-label .id")).to_have_text(label)
    page.screenshot(path=str(shots / "web-sample-label-en.png"))
    # the laboratory's FHIR Bundle, uploaded by the data manager on the office's page:
    # first with a VAF in a unit not allowed (refused, nothing written), then as sent
    good = lab.as_json(lab.lab_bundle("S01-001", label, max_vaf=2.4))
    bad = lab.as_json(lab.lab_bundle("S01-001", label, max_vaf=2.4))
    lab.resource(bad, "max-1")["valueQuantity"].update(code="mmol/L", unit="mmol/L")
    (tmp / "bad.json").write_text(lab.text(bad), encoding="utf-8")
    (tmp / "report.json").write_text(lab.text(good), encoding="utf-8")
    page.context.clear_cookies()
    _sign_in_with_totp(page, own_db, "dm")  # the data manager's role needs two factors
    page.goto(f"{own_db}/office/lab-results/")
    page.locator("#id_file").set_input_files(str(tmp / "bad.json"))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#lab-refused")).to_have_text(
        "The Bundle is refused; nothing is imported from it."
    )
    expect(page.locator("table.lab-problems")).to_contain_text("Observation/max-1")
    assert Biosample.objects.get(identifier=label).status == "received"
    _check(page)
    page.screenshot(path=str(shots / "web-lab-results-refused-en.png"), full_page=True)
    page.locator("#id_file").set_input_files(str(tmp / "report.json"))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#lab-imported")).to_have_text(f"1 result imported: {label}.")
    page.locator("#language").select_option("zh-hans")
    page.locator("form.lang button").click()
    page.goto(f"{own_db}/office/lab-results/")
    page.locator("#id_file").set_input_files(str(tmp / "report.json"))
    page.locator("form.lab-form button").click()
    expect(page.locator("#lab-imported")).to_contain_text("此前已导入，未改变")
    _check(page)
    page.screenshot(path=str(shots / "web-lab-results-zh.png"), full_page=True)
    page.context.clear_cookies()
    sign_in(page, own_db, "coord-S01")
    page.goto(f"{own_db}/patients/S01-001/samples/")
    expect(page.locator(f"{ROW} .sample-state")).to_have_text("Analysed")
    expect(page.locator(f"{ROW} .result")).to_contain_text("ctDNA detected · max VAF 2.4%")
    expect(page.locator(f"{ROW} .result")).to_contain_text("TP53 p.Arg249Ser")
    source = page.locator(f"{ROW} .result-source")
    expect(source).to_have_text("Result from FHIR report.json")
    expect(source).to_have_attribute("title", re.compile(r"max_vaf: Observation/max-1"))
    events = CustodyEvent.objects.filter(sample__identifier=label).values_list("event", flat=True)
    assert list(events) == ["collected", "shipped", "received", "analysed"]
    page.screenshot(path=str(shots / "web-samples-analysed-en.png"), full_page=True)
    page.goto(f"{own_db}/patients/S01-001/")
    expect(page.locator(".overdue-samples")).not_to_contain_text("ctDNA · Baseline")
    # Chinese
    page.locator("#language").select_option("zh-hans")
    page.locator("form.lang button").click()
    page.goto(f"{own_db}/patients/S01-001/samples/")
    expect(page.locator(f"{ROW} .sample-state")).to_have_text("已分析")
    expect(page.get_by_role("heading", level=1)).to_have_text("样本")
    expect(page.locator(f"{ROW} .result-source")).to_have_text("结果来源：FHIR report.json")
    points = page.locator("table.samples td.time-point").all_inner_texts()
    assert points == ["基线", "放疗后首次随访", "疾病进展时", "基线", "疾病进展时"], points
    _check(page)
    page.screenshot(path=str(shots / "web-samples-zh.png"), full_page=True)
