"""The SDTM tests' trial: built (the demo's builder, 12 patients) and exported in child
processes, each configuring Django for its own database, which a test process hosting
other database tests must not do."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
CHILD = """
import sys
from pathlib import Path
out, mode = Path(sys.argv[1]), sys.argv[2]
url = sys.argv[3] if len(sys.argv) > 3 else f"sqlite:///{out / 'trial.sqlite3'}"
if mode == "build":
    from oligotrial.demo import DemoOptions, run_demo
    options = DemoOptions(out, seed=11, n_patients=12, formats=(), xpt=False)
    options = options if url.startswith("sqlite") else DemoOptions(
        out, seed=11, n_patients=12, formats=(), xpt=False, database_url=url
    )
    run_demo(options, lambda label, total: (lambda: None))
else:
    from oligotrial.edc.settings import configure
    configure(database_url=url)
    import django
    django.setup()
    import json
    from oligotrial.edc import services
    from oligotrial.edc.models import AuditEntry, Staff
    from oligotrial.errors import PermissionDenied
    from oligotrial.interop.cdisc.sdtm import sdtm_export, write_sdtm
    before = AuditEntry.objects.count()
    export = sdtm_export(services.get_actor("statistician"))
    coordinator = Staff.objects.filter(role="coordinator").first()
    try:
        sdtm_export(coordinator)
        refused = ""
    except PermissionDenied as exc:
        refused = str(exc)
    print(json.dumps({"audit": [before, AuditEntry.objects.count()], "refused": refused}))
    write_sdtm(export, out / "sdtm", study_oid="NCT06841172", source_version="test")
    from oligotrial.interop.cdisc.define import render_html, write_define
    from oligotrial.protocol import load_protocol
    define = write_define(export.domains, load_protocol(), out / "sdtm" / "define.xml")
    render_html(define, out / "sdtm" / "define.html")
"""
SUBJECT_DOMAINS = ("DM", "DS", "DD", "SV", "EX", "PR", "CM", "AE", "MH", "LB", "TU", "TR", "RS")
DESIGN_DOMAINS = ("TA", "TE", "TV", "TI", "TS")


def child(folder: Path, mode: str, *url: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(SRC), "OLIGOTRIAL_AUDIT_DIR": str(folder)}
    env.pop("OLIGOTRIAL_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder), mode, *url],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="session")
def trial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sdtm") / "trial"
    child(folder, "build")
    return folder


@pytest.fixture(scope="session")
def exported(trial: Path) -> dict[str, object]:
    """The export's report: audit entries before and after, a coordinator's refusal."""
    return json.loads(child(trial, "export").strip().splitlines()[-1])


@pytest.fixture(scope="session")
def sdtm(trial: Path, exported: dict[str, object]) -> Path:
    return trial / "sdtm"


def read_xpt(path: Path) -> tuple[pd.DataFrame, object]:
    import pyreadstat

    return pyreadstat.read_xport(str(path))
