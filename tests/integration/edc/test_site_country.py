"""A site's country: ISO 3166-1 alpha-3 from CDISC's COUNTRY list, required, CHN unless
told otherwise; a bad code is refused naming site.country and writes nothing; the migration
sets the sites already recorded to CHN (on a real PostgreSQL database)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from edc_support import TrialDb, build_trial
from typer.testing import CliRunner

from oligotrial.cli import app
from oligotrial.edc import services
from oligotrial.edc.models import AuditEntry, Site
from oligotrial.edc.services.directory import list_sites
from oligotrial.errors import InputError

SRC = Path(__file__).parents[3] / "src"


def test_a_site_is_in_china_unless_told_otherwise(trial_db: TrialDb) -> None:
    t = build_trial()
    assert set(Site.objects.values_list("country", flat=True)) == {"CHN"}
    services.add_site(t.admin, "S08", "Osaka hospital", "en", "JPN")
    listed = {s["code"]: s["country"] for s in list_sites(t.admin)}
    assert listed == {"S01": "CHN", "S02": "CHN", "S08": "JPN"}


@pytest.mark.parametrize("country", ["XYZ", "chn", "CN", "", "China"])
def test_a_country_not_in_the_list_is_refused_and_nothing_written(
    trial_db: TrialDb, country: str
) -> None:
    t = build_trial()
    entries = AuditEntry.objects.count()
    with pytest.raises(InputError) as caught:
        services.add_site(t.admin, "S09", "Ninth", "zh-hans", country)
    assert caught.value.field == "site.country"
    assert "ISO 3166-1 alpha-3" in caught.value.problem
    assert not Site.objects.filter(code="S09").exists()
    assert AuditEntry.objects.count() == entries


def test_the_command_line_takes_and_checks_the_country(trial_db: TrialDb) -> None:
    build_trial()
    extra = (
        ["--data-dir", trial_db.env["OLIGOTRIAL_DATA_DIR"]] if trial_db.vendor == "sqlite" else []
    )
    base = ["db", "add-site", "--user", "admin", *extra]
    done = CliRunner().invoke(app, [*base, "S08", "Paris", "--country", "FRA"], env=trial_db.env)
    assert done.exit_code == 0 and json.loads(done.stdout)["country"] == "FRA"
    bad = CliRunner().invoke(app, [*base, "S09", "Nowhere", "--country", "ZZZ"], env=trial_db.env)
    assert bad.exit_code != 0 and "site.country" in bad.stderr + bad.stdout
    assert "Traceback" not in bad.stderr + bad.stdout
    assert not Site.objects.filter(code="S09").exists()


MIGRATE = """
import sys
from oligotrial.edc.settings import configure
configure(database_url=sys.argv[1])
from django.core.management import call_command
from django.db import connection
call_command("migrate", "edc", "0011_fhir_provenance", verbosity=0)
with connection.cursor() as c:
    c.execute(
        "INSERT INTO edc_site (code, name, language, active, created_at) "
        "VALUES ('OLD1', 'Recorded before', 'zh-hans', true, now())"
    )
call_command("migrate", "edc", "0012_site_country", verbosity=0)
with connection.cursor() as c:
    c.execute("SELECT code, country FROM edc_site")
    print(c.fetchall())
"""


PG_ADMIN_URL = os.environ.get(
    "OLIGOTRIAL_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as con:
        con.execute(sql)


@pytest.mark.postgres
def test_the_migration_sets_existing_sites_to_china(tmp_path: Path) -> None:
    name = f"oligotrial_country_{uuid.uuid4().hex[:8]}"
    _admin(f"CREATE DATABASE {name}")
    try:
        env = {
            **os.environ,
            "PYTHONPATH": str(SRC),
            "OLIGOTRIAL_AUDIT_KEY": secrets.token_hex(32),
            "OLIGOTRIAL_AUDIT_DIR": str(tmp_path / "audit"),
        }
        env.pop("OLIGOTRIAL_DATABASE_URL", None)
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        done = subprocess.run(
            [sys.executable, "-c", MIGRATE, url],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        assert done.stdout.strip().splitlines()[-1] == "[('OLD1', 'CHN')]"
    finally:
        _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
