"""Releasing a locked account: administrators only, with a reason, audited; through the
service and ``oligotrial db unlock-user``."""

from __future__ import annotations

import json

import pytest
from axes.models import AccessAttempt
from django.utils import timezone
from edc_support import TrialDb, build_trial
from typer.testing import CliRunner

from oligotrial.cli import app
from oligotrial.edc.models import AuditEntry
from oligotrial.edc.services.lockouts import unlock_account
from oligotrial.errors import InputError, PermissionDenied


def _locked(username: str, failures: int) -> None:
    """The row django-axes keeps for a user name locked at one address (set-up only)."""
    AccessAttempt.objects.create(
        username=username,
        ip_address="127.0.0.1",
        user_agent="test",
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/patients/S01-001/signatures/",
        failures_since_start=failures,
        attempt_time=timezone.now(),
    )


def test_only_an_administrator_releases_an_account_with_a_reason(trial_db: TrialDb) -> None:
    t = build_trial()
    _locked("coord-S01", 5)
    with pytest.raises(PermissionDenied, match="releasing a locked account"):
        unlock_account(t.dm, "coord-S01", reason="x")
    with pytest.raises(InputError, match="reason: a reason is required"):
        unlock_account(t.admin, "coord-S01", reason=" ")
    with pytest.raises(InputError, match="username: no member of the trial staff"):
        unlock_account(t.admin, "nobody", reason="x")
    assert AccessAttempt.objects.count() == 1
    assert not AuditEntry.objects.filter(action="unlock_account").exists()
    extra = (
        ["--data-dir", trial_db.env["OLIGOTRIAL_DATA_DIR"]] if trial_db.vendor == "sqlite" else []
    )
    args = ["db", "unlock-user", "coord-S01", "--user", "admin", "--reason", "called the site"]
    result = CliRunner().invoke(app, [*args, *extra], env=trial_db.env)
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout) == {"username": "coord-S01", "failed_attempts_forgotten": 5}
    assert not AccessAttempt.objects.exists()
    entry = AuditEntry.objects.get(action="unlock_account")
    assert (entry.actor, entry.reason, entry.model) == ("admin", "called the site", "edc.Staff")
    assert json.loads(entry.changes) == {"failed_attempts": [5, 0]}
