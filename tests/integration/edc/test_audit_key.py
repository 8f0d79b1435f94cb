"""The audit key: created once with mode 0600, never replaced silently, reported by ``check``;
and a trail written before the key (plain SHA-256) stays verifiable after migration 0004."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from edc_support import TODAY, TrialDb, build_trial, enrol

from oligotrial.edc import services
from oligotrial.edc.audit_chain import GENESIS, entry_hash
from oligotrial.edc.audit_key import KEY_FILE, key_status
from oligotrial.edc.models import AuditEntry, ChainHead, Site
from oligotrial.errors import StateError

SRC = Path(__file__).parents[3] / "src"


def test_first_entry_creates_a_private_key_file(trial_db: TrialDb, tmp_path: Path) -> None:
    with override_settings(OLIGOTRIAL_AUDIT_KEY=None, OLIGOTRIAL_AUDIT_DIR=str(tmp_path)):
        assert key_status()[0] is False  # nothing yet
        build_trial()
        key = tmp_path / KEY_FILE
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        assert len(bytes.fromhex(key.read_text().strip())) == 32
        assert key_status()[0] is True
        report = services.verify_chain()
        assert report.ok and report.checkpoints > 0, report.problems
        key.chmod(0o644)
        ok, detail = key_status()
        assert not ok and "readable by others" in detail


def test_weak_key_is_reported() -> None:
    with override_settings(OLIGOTRIAL_AUDIT_KEY="secret"):
        ok, detail = key_status()
    assert not ok and "weak" in detail


def test_lost_key_stops_writes_and_fails_verify(trial_db: TrialDb, tmp_path: Path) -> None:
    t = build_trial()
    sites = Site.objects.count()
    with override_settings(OLIGOTRIAL_AUDIT_KEY=None, OLIGOTRIAL_AUDIT_DIR=str(tmp_path)):
        with pytest.raises(StateError, match="audit key is missing"):
            services.add_site(t.admin, "S09", "Hospital S09")
        assert not (tmp_path / KEY_FILE).exists()  # no new key for a keyed chain
        report = services.verify_chain()
        assert not report.ok
        assert "the audit key is not available" in report.problems[0][1]
    assert Site.objects.count() == sites  # nothing written


def test_another_key_stops_writes_and_fails_verify(trial_db: TrialDb) -> None:
    t = build_trial()
    with override_settings(OLIGOTRIAL_AUDIT_KEY="ab" * 32):
        with pytest.raises(StateError, match="not the key of this trial"):
            services.add_site(t.admin, "S09", "Hospital S09")
        report = services.verify_chain()
    assert not report.ok and "is not the key that signs this chain" in report.problems[0][1]
    assert services.verify_chain().ok  # with the trial's key again


def test_db_init_creates_the_key_and_check_reports_it(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    for name in ("OLIGOTRIAL_DATABASE_URL", "OLIGOTRIAL_AUDIT_KEY", "OLIGOTRIAL_AUDIT_DIR"):
        env.pop(name, None)
    folder = tmp_path / "fresh"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "oligotrial", *args, "--data-dir", str(folder)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

    assert run("db", "init", "--admin", "admin").returncode == 0
    assert stat.S_IMODE((folder / KEY_FILE).stat().st_mode) == 0o600
    check = run("check")
    assert check.returncode == 0, check.stdout + check.stderr
    details = {c["check"]: c for c in json.loads(check.stdout)["checks"]}
    assert details["audit key"]["ok"] and str(folder / KEY_FILE) in details["audit key"]["detail"]
    assert details["audit reconcile"]["ok"] and details["audit chain"]["ok"]
    (folder / KEY_FILE).unlink()
    check = run("check")
    details = {c["check"]: c for c in json.loads(check.stdout)["checks"]}
    assert check.returncode == 1
    assert not details["audit key"]["ok"] and not details["audit chain"]["ok"]


def _legacy_entries(n: int) -> None:
    """Entries as the plain SHA-256 code wrote them (before migration 0004)."""
    prev = GENESIS
    for seq in range(1, n + 1):
        content = {
            "seq": seq,
            "at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=seq),
            "actor": "system",
            "role": "system",
            "action": "note",
            "model": "legacy.Note",
            "object_id": str(seq),
            "patient": "",
            "site": "",
            "changes": "{}",
            "reason": "",
        }
        digest = entry_hash(content, prev)
        AuditEntry.objects.create(prev_hash=prev, hash=digest, **content)
        prev = digest
    with connection.cursor() as cur:
        cur.execute("UPDATE edc_chainhead SET seq = %s, hash = %s WHERE id = 1", [n, prev])


def test_trail_written_before_the_key_stays_verifiable(trial_db: TrialDb, tmp_path: Path) -> None:
    with override_settings(OLIGOTRIAL_AUDIT_DIR=str(tmp_path)):  # this trial's checkpoints only
        _older_trail_then_keyed(trial_db)


def _older_trail_then_keyed(trial_db: TrialDb) -> None:
    call_command("migrate", "edc", "0003", verbosity=0)
    _legacy_entries(5)
    call_command("migrate", verbosity=0)
    head = ChainHead.objects.get(id=1)
    assert head.keyed_from == 6 and head.chain_id and not head.key_id
    assert services.verify_chain().ok  # plain hashes before keyed_from; nothing keyed yet
    t = build_trial()
    enrol(t.coord["S01"], "S01-001")
    services.randomize(t.coord["S01"], "S01-001", randomized_on=TODAY)
    report = services.verify_chain()
    assert report.ok and report.entries > 6, report.problems
    # an attacker rewrites an older entry and recomputes the older plain hashes
    with connection.cursor() as cur:
        if trial_db.vendor == "postgresql":
            cur.execute("SET session_replication_role = replica")
        else:
            cur.execute("DROP TRIGGER edc_auditentry_no_update")
    prev = GENESIS
    for entry in AuditEntry.objects.filter(seq__lte=5).order_by("seq"):
        entry.actor = "someone-else" if entry.seq == 2 else entry.actor
        entry.prev_hash = prev
        entry.hash = entry_hash({f: getattr(entry, f) for f in _fields()}, prev)
        entry.save()
        prev = entry.hash
    if trial_db.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET session_replication_role = origin")
    report = services.verify_chain()
    assert (6, "does not follow the previous entry (deleted or inserted)") in report.problems


def _fields() -> tuple[str, ...]:
    from oligotrial.edc.audit_chain import HASHED_FIELDS

    return HASHED_FIELDS
