"""The same demo on PostgreSQL: a new database filled through the services gives the same
analysis data sets as the SQLite demo with the same seed, and ``oligotrial report
--database postgresql://…`` reports from it. The server is the one the data-capture tests
use (``OLIGOTRIAL_TEST_PG_URL``; their set-up starts or installs it when nothing answers)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pandas as pd
import pytest

EDC_CONFTEST = Path(__file__).resolve().parents[2] / "integration" / "edc" / "conftest.py"


@pytest.fixture(scope="module")
def pg_database():
    spec = importlib.util.spec_from_file_location("edc_pg_setup", EDC_CONFTEST)
    assert spec is not None and spec.loader is not None
    setup = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(setup)
    setup.ensure_postgres()
    name = f"oligotrial_demo_e2e_{os.getpid()}"
    with setup._pg_connect() as con:
        con.execute(f"DROP DATABASE IF EXISTS {name}")
        con.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(setup.PG_ADMIN_URL)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with setup._pg_connect() as con:
        con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.postgres
def test_postgres_demo_equals_sqlite_demo(pg_database, demo_dir, demo_args, manifest, cli,
                                          tmp_path):
    out = tmp_path / "pg-demo"
    done = cli("demo", "--out", str(out), *demo_args, "--database", pg_database)
    assert done.returncode == 0, done.stderr
    for name in ("adsl", "adtte", "adrs", "adae", "screening", "visits", "ctdna"):
        pd.testing.assert_frame_equal(pd.read_csv(out / "analysis" / f"{name}.csv"),
                                      pd.read_csv(demo_dir / "analysis" / f"{name}.csv"))
    again = cli("demo", "--out", str(tmp_path / "second"), *demo_args, "--database",
                pg_database)
    assert again.returncode == 2 and "not empty" in again.stderr
    report = cli("report", "--database", pg_database, "--out", str(tmp_path / "report"),
                 "--format", "html", "--cutoff", str(manifest["data_cutoff"]))
    assert report.returncode == 0, report.stderr
    html = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert '<section id="pfs">' in html and "oligotrial_demo_e2e_" in html
