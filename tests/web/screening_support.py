"""Helpers of the screening page tests: a trial of their own, and a record typed into the
form field by field as a coordinator would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Page
from web_support import build_web_trial, screening_record, switch_database

ROWS = ".rows"
NONE = ".none"


@contextmanager
def on_database(config: dict[str, Any]) -> Iterator[None]:
    """Run the test (and the live server's threads) on ``config``'s database."""
    switch_database(config)
    yield


def new_trial(folder: Path) -> dict[str, Any]:
    """A fresh copy of the web tests' small trial in ``folder``."""
    return build_web_trial(folder)


def record_values(number: str, example: str = "eligible-01.json") -> dict[str, str]:
    """The form's fields for a shipped example record as patient ``number``'s."""
    from oligotrial.edc.web.screening.form_values import form_values
    from oligotrial.eligibility.reading import record_from_data

    record = record_from_data(screening_record(number, example))  # organs as their codes
    values = form_values(record.model_dump(mode="json"))
    values.pop("site", None)
    return values


def fill_form(page: Page, values: dict[str, str]) -> None:
    """Type ``values`` into the screening form: rows added first, then every field."""
    for key, count in values.items():
        if key.endswith(ROWS):
            for _ in range(int(count) - 1):
                page.locator(f'button[name=action][value="add:{key[: -len(ROWS)]}"]').click()
                page.wait_for_load_state()
    for key, value in values.items():
        if key.endswith(ROWS):
            continue
        field = page.locator(f'[name="{key}"]')
        if key.endswith(NONE):
            field.check()
        elif field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
