"""ICH E2A seriousness criteria of an adverse event, enforced by the one record service:
serious needs a criterion, a criterion needs serious, a fatal event is serious and results
in death (and only it). Refusals name the field and write nothing; a correction making an
event serious changes both fields together, in one audit entry."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from edc_support import TODAY, TrialDb, build_trial, enrol

from oligotrial.edc import services
from oligotrial.edc.models import AdverseEvent, AuditEntry
from oligotrial.errors import InputError

SRC = Path(__file__).parents[3] / "src"
BASE = {"term": "Hypertension", "grade": 3, "onset_date": TODAY}
FATAL = {**BASE, "grade": 5, "outcome": "fatal"}


def _coordinator() -> Any:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001")
    return c


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({**BASE, "serious": True}, "serious", "at least one seriousness criterion"),
        ({**BASE, "sae_hospitalisation": True}, "sae_hospitalisation", "tick serious"),
        (
            {**BASE, "serious": True, "sae_hospitalisation": True, "sae_death": True},
            "sae_death",
            "only a fatal event",
        ),
        ({**FATAL, "serious": False}, "serious", "a fatal event (grade 5) is serious"),
        ({**FATAL, "serious": True, "sae_hospitalisation": True}, "sae_death", "results in death"),
    ],
)
def test_contradictions_are_refused_naming_the_field(
    trial_db: TrialDb, values: dict[str, Any], field: str, words: str
) -> None:
    c = _coordinator()
    before = AuditEntry.objects.count()
    with pytest.raises(InputError) as err:
        services.record(c, "S01-001", "adverse_event", values)
    assert err.value.field == field
    assert words in str(err.value)
    assert AuditEntry.objects.count() == before
    assert not AdverseEvent.objects.exists()


def test_a_serious_event_with_its_criteria_and_a_fatal_one_are_recorded(
    trial_db: TrialDb,
) -> None:
    c = _coordinator()
    serious = services.record(
        c,
        "S01-001",
        "adverse_event",
        {**BASE, "serious": True, "sae_hospitalisation": True, "sae_life_threatening": True},
    )
    fatal = services.record(
        c, "S01-001", "adverse_event", {**FATAL, "serious": True, "sae_death": True}
    )
    plain = services.record(c, "S01-001", "adverse_event", BASE)
    assert isinstance(serious, AdverseEvent) and isinstance(fatal, AdverseEvent)
    assert (serious.sae_hospitalisation, serious.sae_life_threatening, serious.sae_death) == (
        True,
        True,
        False,
    )
    assert fatal.sae_death and not plain.serious


def test_making_an_event_serious_corrects_both_fields_together(trial_db: TrialDb) -> None:
    c = _coordinator()
    ae = services.record(c, "S01-001", "adverse_event", BASE)
    with pytest.raises(InputError) as alone:
        services.correct_value(c, "adverse_event", ae.pk, "serious", True, reason="SAE report")
    assert alone.value.field == "serious"
    services.correct_values(
        c,
        "adverse_event",
        ae.pk,
        {"serious": True, "sae_hospitalisation": True},
        reason="admitted to hospital",
    )
    ae.refresh_from_db()
    assert ae.serious and ae.sae_hospitalisation
    entry = AuditEntry.objects.filter(action="update", object_id=str(ae.pk)).get()
    assert json.loads(entry.changes) == {
        "serious": [False, True],
        "sae_hospitalisation": [False, True],
    }
    assert entry.reason == "admitted to hospital"
    # a criterion swapped one field at a time; the last one cannot be removed alone
    services.correct_value(
        c, "adverse_event", ae.pk, "sae_medically_important", True, reason="reviewed"
    )
    services.correct_value(
        c, "adverse_event", ae.pk, "sae_hospitalisation", False, reason="reviewed"
    )
    with pytest.raises(InputError) as last:
        services.correct_value(
            c, "adverse_event", ae.pk, "sae_medically_important", False, reason="reviewed"
        )
    assert last.value.field == "serious"
    ae.refresh_from_db()
    assert ae.sae_medically_important and not ae.sae_hospitalisation


def test_a_bad_field_among_several_writes_nothing(trial_db: TrialDb) -> None:
    c = _coordinator()
    ae = services.record(c, "S01-001", "adverse_event", BASE)
    before = AuditEntry.objects.count()
    with pytest.raises(InputError) as err:
        services.correct_values(
            c,
            "adverse_event",
            ae.pk,
            {"serious": True, "sae_hospitalisation": "yes"},
            reason="SAE",
        )
    assert err.value.field == "adverse_event.sae_hospitalisation"
    assert AuditEntry.objects.count() == before
    ae.refresh_from_db()
    assert not ae.serious


MIGRATE = """
import sys
from oligotrial.edc.settings import configure
configure(database_url=sys.argv[1])
from django.core.management import call_command
from django.db import connection
call_command("migrate", "edc", "0013_merge_site_country_ctdna_results", verbosity=0)
with connection.cursor() as c:
    c.execute(
        "INSERT INTO edc_site (code, name, language, country, active, created_at) "
        "VALUES ('OLD1', 'Recorded before', 'zh-hans', 'CHN', true, now()) RETURNING id"
    )
    site = c.fetchone()[0]
    c.execute(
        "INSERT INTO edc_patient (site_id, screening_number, sex, status, stratification, "
        "created_at) VALUES (%s, 'OLD1-001', 'M', 'randomized', '{}', now()) RETURNING id",
        [site],
    )
    patient = c.fetchone()[0]
    for term, grade, serious, outcome in (
        ("Hepatic failure", 5, True, "fatal"),
        ("Hypertension", 3, True, "not_recovered"),
        ("Fatigue", 1, False, "recovered"),
    ):
        c.execute(
            "INSERT INTO edc_adverseevent (patient_id, term, grade, onset_date, serious, "
            "related_rt, related_flst, related_slst, outcome) "
            "VALUES (%s, %s, %s, '2026-01-05', %s, 'not_applicable', 'not_applicable', "
            "'not_applicable', %s)",
            [patient, term, grade, serious, outcome],
        )
call_command("migrate", "edc", "0013_ae_seriousness", verbosity=0)
with connection.cursor() as c:
    c.execute(
        "SELECT term, serious, sae_death, sae_life_threatening, sae_hospitalisation, "
        "sae_disability, sae_congenital_anomaly, sae_medically_important "
        "FROM edc_adverseevent ORDER BY id"
    )
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
def test_the_migration_sets_death_on_fatal_serious_events_only(tmp_path: Path) -> None:
    name = f"oligotrial_aeser_{uuid.uuid4().hex[:8]}"
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
        assert done.stdout.strip().splitlines()[-1] == repr(
            [
                ("Hepatic failure", True, True, False, False, False, False, False),
                ("Hypertension", True, False, False, False, False, False, False),
                ("Fatigue", False, False, False, False, False, False, False),
            ]
        )
    finally:
        _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
