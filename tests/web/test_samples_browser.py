"""A sample from draw to result in Chromium: the patient page lists the overdue baseline
ctDNA sample; the coordinator records its collection, prints its label, ships it and records
its receipt (a shipment dated before the draw is refused with the reason); the laboratory's
file is imported; the page shows it analysed with its result. English and Chinese."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from test_look import _check
from test_sign_in import sign_in
from web_support import SCREENED_ON, build_web_trial, switch_database

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


def test_follow_a_sample_from_draw_to_result(page: Page, own_db: str, shots: Path) -> None:
    from oligotrial.edc import services
    from oligotrial.edc.models import Biosample, CustodyEvent
    from oligotrial.edc.services.sample_results import import_results

    sign_in(page, own_db, "coord-S01")
    page.goto(f"{own_db}/patients/S01-001/")
    overdue = page.locator(".overdue-samples")
    expect(overdue).to_contain_text("ctDNA · baseline")
    page.get_by_role("link", name="Samples: schedule, custody and labels").click()
    expect(page.locator(f"{ROW} .sample-state")).to_have_text("Overdue")
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
    # the laboratory's file, imported by the data manager
    text = (
        "sample_id,ctdna_detected,mean_vaf,max_vaf,tumour_fraction,unit,mutations\n"
        f"{label},yes,0.8,2.4,4.8,%,TP53 p.R249S 2.4; TERT c.-124C>T 0.6\n"
    )
    report = import_results(services.get_actor("dm"), text, source="lab.csv")
    assert report.imported == (label,)
    page.goto(f"{own_db}/patients/S01-001/samples/")
    expect(page.locator(f"{ROW} .sample-state")).to_have_text("Analysed")
    expect(page.locator(f"{ROW} .result")).to_contain_text("ctDNA detected · max VAF 2.4%")
    expect(page.locator(f"{ROW} .result")).to_contain_text("TP53 p.R249S")
    events = CustodyEvent.objects.filter(sample__identifier=label).values_list("event", flat=True)
    assert list(events) == ["collected", "shipped", "received", "analysed"]
    page.screenshot(path=str(shots / "web-samples-analysed-en.png"), full_page=True)
    page.goto(f"{own_db}/patients/S01-001/")
    expect(page.locator(".overdue-samples")).not_to_contain_text("ctDNA · baseline")
    # Chinese
    page.locator("#language").select_option("zh-hans")
    page.locator("form.lang button").click()
    page.goto(f"{own_db}/patients/S01-001/samples/")
    expect(page.locator(f"{ROW} .sample-state")).to_have_text("已分析")
    expect(page.get_by_role("heading", level=1)).to_have_text("样本")
    _check(page)
    page.screenshot(path=str(shots / "web-samples-zh.png"), full_page=True)
