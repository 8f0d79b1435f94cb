"""The migrations describe the models exactly: no model change is left without its migration
(branches made side by side each add one; a missing merge or field would surface here)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


def test_no_model_change_lacks_a_migration(trial_db: object) -> None:
    out = io.StringIO()
    try:
        call_command("makemigrations", "edc", "--check", "--dry-run", stdout=out)
    except SystemExit:
        pytest.fail(f"models and migrations differ:\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()
