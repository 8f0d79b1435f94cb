"""In the browser: a draft saved incomplete and resumed, a bad value shown at its field with
nothing saved, another site's screening, consent and randomization pages not found, and the
pages usable at tablet width with every input labelled."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from screening_support import fill_form, new_trial, on_database, record_values
from test_look import OVERFLOW, UNLABELLED
from test_sign_in import sign_in

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def trial(web_root: Path) -> dict[str, Any]:
    return new_trial(web_root / "screening-drafts")


@pytest.fixture
def site(trial: dict[str, Any], server: str) -> str:
    with on_database(trial):
        yield server  # type: ignore[misc]


def test_draft_saved_and_resumed(page: Page, site: str) -> None:
    sign_in(page, site, "coord-S01")
    page.goto(f"{site}/patients/new/screening/")
    values = record_values("S01-501")
    partial = {k: v for k, v in values.items() if not k.startswith(("labs.", "history."))}
    fill_form(page, partial)
    expect(page.locator("#panel .overall")).to_have_text("Cannot tell yet")
    expect(page.locator('#panel [data-criterion="I6"]')).to_contain_text("Albumin")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages")).to_have_text("Draft saved.")
    expect(page).to_have_url(re.compile(r"/patients/S01-501/screening/$"))
    page.goto(f"{site}/")
    page.get_by_role("link", name="Screen a new patient").click()
    page.locator("nav.drafts").get_by_role("link", name="S01-501").click()
    expect(page.locator('[name="flst.regimen"]')).to_have_value(values["flst.regimen"])
    expect(page.locator('[name="oligoprogression.lesions.2.id"]')).to_have_value("N1")
    fill_form(page, {k: v for k, v in values.items() if k not in partial})
    expect(page.locator("#panel .overall")).to_have_text("Eligible")
    page.get_by_role("button", name="Submit the record").click()
    expect(page.locator(".status")).to_have_text("Eligible")


def test_bad_value_shown_at_its_field(page: Page, site: str) -> None:
    from oligotrial.edc.models import Patient

    sign_in(page, site, "coord-S01")
    page.goto(f"{site}/patients/new/screening/")
    fill_form(page, {**record_values("S01-502"), "labs.inr.value": "0"})
    expect(page.locator("#panel")).to_contain_text("INR · Value: must be greater than 0")
    page.get_by_role("button", name="Submit the record").click()
    error = page.locator("#f-labs-inr-value-error")
    expect(error).to_have_text("must be greater than 0 (got 0.0)")
    expect(page.locator("#f-labs-inr-value")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#form-errors")).to_contain_text("Nothing was saved.")
    assert not Patient.objects.filter(screening_number="S01-502").exists()


@pytest.mark.parametrize("what", ["screening", "consent", "randomize"])
def test_another_sites_pages_are_not_found(page: Page, site: str, what: str) -> None:
    sign_in(page, site, "coord-S02")
    response = page.goto(f"{site}/patients/S01-002/{what}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")


@pytest.mark.parametrize("width", [1280, 768])
def test_pages_labelled_and_fit_the_screen(page: Page, site: str, width: int, shots: Path) -> None:
    page.set_viewport_size({"width": width, "height": 800 if width > 1000 else 1024})
    sign_in(page, site, "coord-S01")
    for name, path in (
        ("screening", "/patients/S01-004/screening/"),
        ("consent", "/patients/S01-004/consent/"),
        ("randomize", "/patients/S01-004/randomize/"),
    ):
        page.goto(f"{site}{path}")
        assert page.evaluate(UNLABELLED) == [], path
        assert page.evaluate(OVERFLOW) <= 0, path
        if width < 1000:  # the 1280 px pages are pictured by the journeys' tests
            page.screenshot(path=str(shots / f"web-{name}-{width}.png"), full_page=True)
