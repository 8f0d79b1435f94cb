"""The database commands: in process with CliRunner, and once through ``python -m oligotrial``."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from django.db import connection
from edc_support import TODAY, TrialDb, build_trial, enrol
from typer.testing import CliRunner

from oligotrial.cli import app
from oligotrial.edc import services
from oligotrial.edc.models import Site

SRC = Path(__file__).parents[3] / "src"


def _invoke(db: TrialDb, *args: str) -> tuple[int, str, str]:
    extra = ["--data-dir", db.env["OLIGOTRIAL_DATA_DIR"]] if db.vendor == "sqlite" else []
    result = CliRunner().invoke(app, [*args, *extra], env=db.env)
    return result.exit_code, result.stdout, result.stderr


def test_verify_export_and_check(trial_db: TrialDb, tmp_path: Path) -> None:
    t = build_trial()
    enrol(t.coord["S01"], "S01-001")
    services.randomize(t.coord["S01"], "S01-001", randomized_on=TODAY)
    code, out, _ = _invoke(trial_db, "audit", "verify")
    assert code == 0 and json.loads(out)["ok"] is True
    code, out, _ = _invoke(trial_db, "randomization", "verify", "--user", "stat")
    assert code == 0 and json.loads(out)["slots_compared"] > 0
    target = tmp_path / "history.json"
    code, out, _ = _invoke(
        trial_db, "audit", "export", "S01-001", "--user", "coord-S01", "--out", str(target)
    )
    assert code == 0
    history = json.loads(target.read_text())
    assert {h["action"] for h in history} >= {"create", "randomize"}
    code, out, _ = _invoke(
        trial_db, "audit", "export", "S01-001", "--user", "monitor", "--format", "csv"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["record"].split("#")[0] for r in rows} >= {"edc.Patient", "edc.Allocation"}
    arm_row = next(
        r for r in rows if r["record"].startswith("edc.Allocation") and r["field"] == "arm"
    )
    assert arm_row["old"] == "" and arm_row["new"] in {"A", "B"}
    code, out, _ = _invoke(trial_db, "check")
    assert code == 0, out
    assert all(c["ok"] for c in json.loads(out)["checks"])


def test_extend_for_a_new_site(trial_db: TrialDb) -> None:
    t = build_trial()
    services.add_site(t.admin, "S09", "Late site")
    code, out, _ = _invoke(trial_db, "randomization", "extend", "--user", "stat")
    assert code == 0 and len(json.loads(out)["strata_added"]) == 4
    code, out, _ = _invoke(trial_db, "randomization", "verify", "--user", "stat")
    assert code == 0 and json.loads(out)["ok"] is True


def test_a_site_speaks_chinese_unless_told_otherwise(trial_db: TrialDb) -> None:
    build_trial()
    code, out, _ = _invoke(trial_db, "db", "add-site", "S08", "Hospital 8", "--user", "admin")
    assert code == 0 and json.loads(out)["language"] == "zh-hans"
    code, out, _ = _invoke(
        trial_db, "db", "add-site", "S09", "Hospital 9", "--user", "admin", "--language", "en"
    )
    assert code == 0 and json.loads(out)["language"] == "en"
    code, _, err = _invoke(
        trial_db, "db", "add-site", "S10", "Hospital 10", "--user", "admin", "--language", "fr"
    )
    assert code != 0 and "site.language" in err and "not a valid choice" in err
    assert not Site.objects.filter(code="S10").exists()


def test_refusals_are_one_line_messages(trial_db: TrialDb) -> None:
    build_trial()
    code, _, err = _invoke(
        trial_db,
        "randomization",
        "generate",
        "--user",
        "coord-S01",
        "--seed",
        "1",
        "--slots-per-stratum",
        "4",
    )
    assert code == 2
    assert "needs one of the roles statistician" in err and "Traceback" not in err
    code, _, err = _invoke(trial_db, "audit", "export", "S01-404", "--user", "coord-S01")
    assert code == 2 and "no patient 'S01-404'" in err


def test_tampered_trail_fails_audit_verify(trial_db: TrialDb) -> None:
    build_trial()
    with connection.cursor() as cur:
        if trial_db.vendor == "postgresql":
            cur.execute("ALTER TABLE edc_auditentry DISABLE TRIGGER USER")
        else:
            cur.execute("DROP TRIGGER edc_auditentry_no_update")
        cur.execute("UPDATE edc_auditentry SET actor = 'someone-else' WHERE seq = 3")
    code, out, _ = _invoke(trial_db, "audit", "verify")
    assert code == 1
    assert json.loads(out)["problems"][0]["seq"] == 3
    code, out, _ = _invoke(trial_db, "check")
    assert code == 1


def test_subprocess_init_and_check(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("OLIGOTRIAL_DATABASE_URL", None)
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

    init = run("db", "init", "--admin", "admin")
    assert init.returncode == 0, init.stderr
    assert "edc.0002_audit_append_only" in json.loads(init.stdout)["migrations_applied"]
    check = run("check")
    assert check.returncode == 0, check.stdout + check.stderr
    details = {c["check"]: c["detail"] for c in json.loads(check.stdout)["checks"]}
    assert details["sqlite journal"] == "journal_mode=wal"
    again = run("db", "init", "--admin", "other")
    assert again.returncode == 2 and "staff already exist" in again.stderr
    assert "Traceback" not in again.stderr


def test_unreachable_server_is_a_clear_message(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "OLIGOTRIAL_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/nothing",
    }
    result = subprocess.run(
        [sys.executable, "-m", "oligotrial", "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 2
    assert "cannot connect to the database at 127.0.0.1:1/nothing" in result.stderr
    assert "Traceback" not in result.stderr
