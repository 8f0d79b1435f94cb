"""Settings from the environment (read only when asked), the visit schedule, entry hashes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from oligotrial.edc.schedule import assessment_due_dates
from oligotrial.edc.settings import choose_database, parse_database_url
from oligotrial.edc.trial_config import AssessmentRule
from oligotrial.errors import InputError

SRC = Path(__file__).parents[3] / "src"


def test_sqlite_in_wal_by_default(tmp_path: Path) -> None:
    choice = choose_database(environ={"OLIGOTRIAL_DATA_DIR": str(tmp_path)})
    assert choice.vendor == "sqlite"
    assert choice.django["NAME"] == str(tmp_path / "trial.sqlite3")
    assert "journal_mode=WAL" in choice.django["OPTIONS"]["init_command"]
    assert choice.django["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_postgresql_url_is_parsed_and_the_password_is_not_shown() -> None:
    choice = choose_database(
        environ={"OLIGOTRIAL_DATABASE_URL": "postgresql://ana:s%40cret@db.example:6543/trial"}
    )
    assert choice.vendor == "postgresql"
    cfg = choice.django
    assert (cfg["USER"], cfg["PASSWORD"], cfg["HOST"], cfg["PORT"], cfg["NAME"]) == (
        "ana",
        "s@cret",
        "db.example",
        "6543",
        "trial",
    )
    assert "s@cret" not in choice.description


@pytest.mark.parametrize("url", ["mysql://x/y", "postgresql://host:5432/", "postgresql://h:x/y"])
def test_bad_urls_are_refused(url: str) -> None:
    with pytest.raises(InputError) as err:
        parse_database_url(url)
    assert err.value.field == "OLIGOTRIAL_DATABASE_URL"


def test_importing_the_app_reads_no_environment_and_connects_nowhere() -> None:
    code = (
        "import os, sys\n"
        "os.environ['OLIGOTRIAL_DATABASE_URL'] = 'postgresql://nobody@256.0.0.1:1/none'\n"
        "import oligotrial.edc, oligotrial.edc.settings, oligotrial.edc.trial_config\n"
        "import oligotrial.edc.schedule, oligotrial.edc.audit_chain\n"
        "from django.conf import settings\n"
        "print(settings.configured)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(SRC)},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert out.stdout.strip() == "False"


def test_schedule_every_8_weeks_in_year_one_then_every_12() -> None:
    rules = (AssessmentRule(0, 52, 8, 7), AssessmentRule(52, None, 12, 7))
    start = dt.date(2026, 1, 5)
    due = assessment_due_dates(start, rules, horizon_weeks=100)
    assert [d.week for d in due] == [8, 16, 24, 32, 40, 48, 60, 72, 84, 96]
    assert due[0].due == dt.date(2026, 3, 2) and all(d.window_days == 7 for d in due)
    assert [d.number for d in due] == list(range(1, 11))
