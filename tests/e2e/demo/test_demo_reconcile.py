"""The demo's tables agree with its audit trail: reconciliation finds nothing, quickly."""

from __future__ import annotations

import json
import sqlite3


def test_demo_reconciles_with_its_trail(demo_dir, cli):
    done = cli("audit", "reconcile", "--data-dir", str(demo_dir))
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["ok"] is True, report["differences"][:5]
    assert report["rows"] > 40 * 10 and report["total_differences"] == 0
    assert report["seconds"] < 1.0


def test_a_lab_value_changed_in_sql_is_listed(demo_dir, cli, tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("trial.sqlite3", "audit.key", "audit-checkpoints.jsonl"):
        (copy / name).write_bytes((demo_dir / name).read_bytes())
    (copy / "audit.key").chmod(0o600)
    with sqlite3.connect(copy / "trial.sqlite3") as con:
        lab_id, value = con.execute("SELECT id, value FROM edc_labresult ORDER BY id").fetchone()
        con.execute("UPDATE edc_labresult SET value = value + 1 WHERE id = ?", (lab_id,))
    done = cli("audit", "reconcile", "--data-dir", str(copy))
    report = json.loads(done.stdout)
    assert done.returncode == 1
    assert report["differences"] == [
        {
            "table": "edc_labresult",
            "row": str(lab_id),
            "field": "value",
            "problem": "changed",
            "audit_value": value,
            "table_value": value + 1,
        }
    ]
