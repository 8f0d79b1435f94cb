"""Attacks by whoever can write the database (a superuser): each is refused or detected.

The attacker does not hold the audit key (it lives outside the database) and cannot write
the checkpoint file; everything else is allowed: dropping or bypassing triggers,
recomputing plain SHA-256 hashes, moving the chain head, editing clinical tables in SQL.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator

import pytest
from django.db import DatabaseError, connection, transaction
from edc_support import TODAY, TrialDb, build_trial, enrol, randomized_patients
from typer.testing import CliRunner

from oligotrial.cli import app
from oligotrial.edc import services
from oligotrial.edc.audit_chain import GENESIS, entry_hash
from oligotrial.edc.audit_checkpoints import read_checkpoints
from oligotrial.edc.audit_key import checkpoint_file
from oligotrial.edc.audit_reconcile import reconcile
from oligotrial.edc.audit_verify import _content
from oligotrial.edc.models import AdverseEvent, AuditEntry, ChainHead, LabResult

GUARDED = ("edc_auditentry", "edc_chainhead")


@contextlib.contextmanager
def superuser(db: TrialDb) -> Iterator[None]:
    """Triggers out of the way: PostgreSQL's replication role, SQLite's DROP TRIGGER."""
    with connection.cursor() as cur:
        if db.vendor == "postgresql":
            cur.execute("SET session_replication_role = replica")
        else:
            cur.execute(
                "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name IN (%s, %s)",
                GUARDED,
            )
            for (name,) in cur.fetchall():
                cur.execute(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        if db.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SET session_replication_role = origin")


def _rechain_plain(start: int) -> None:
    """Recompute every plain SHA-256 hash from ``start`` on and move the head (old defence)."""
    prev = AuditEntry.objects.get(seq=start - 1).hash if start > 1 else GENESIS
    for entry in AuditEntry.objects.filter(seq__gte=start).order_by("seq"):
        digest = entry_hash(_content(entry), prev)
        AuditEntry.objects.filter(pk=entry.pk).update(prev_hash=prev, hash=digest)
        prev = digest
    last = AuditEntry.objects.order_by("-seq").first()
    assert last is not None
    ChainHead.objects.filter(id=1).update(seq=last.seq, hash=last.hash)


def _plain_chain_consistent(start: int) -> bool:
    """What the plain SHA-256 check saw from ``start``: links and hashes agree, head at the end."""
    prev = AuditEntry.objects.get(seq=start - 1).hash if start > 1 else GENESIS
    for entry in AuditEntry.objects.filter(seq__gte=start).order_by("seq"):
        if entry.prev_hash != prev or entry_hash(_content(entry), prev) != entry.hash:
            return False
        prev = entry.hash
    head = ChainHead.objects.get(id=1)
    return head.hash == prev


def _marks(n: int) -> str:
    return ", ".join(["%s"] * n)


def _cli(db: TrialDb, *args: str) -> tuple[int, dict[str, object]]:
    extra = ["--data-dir", db.env["OLIGOTRIAL_DATA_DIR"]] if db.vendor == "sqlite" else []
    result = CliRunner().invoke(app, [*args, *extra], env=db.env)
    return result.exit_code, json.loads(result.stdout)


def test_untouched_trail_verifies_and_reconciles(
    trial_db: TrialDb, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="oligotrial.audit"):
        randomized_patients()
    head = ChainHead.objects.get(id=1)
    logged = [r.getMessage() for r in caplog.records if r.name == "oligotrial.audit"]
    assert logged[-1].startswith(f"audit checkpoint chain={head.chain_id} seq={head.seq} ")
    report = services.verify_chain()
    assert report.ok and report.checkpoints == len(logged), report.problems
    assert reconcile().ok
    code, out = _cli(trial_db, "audit", "verify")
    assert code == 0 and out["ok"] is True


def test_edit_with_every_later_plain_hash_recomputed(trial_db: TrialDb) -> None:
    randomized_patients()
    target = AuditEntry.objects.filter(model="edc.Allocation").order_by("seq").first()
    assert target is not None
    with superuser(trial_db):
        AuditEntry.objects.filter(pk=target.pk).update(actor="someone-else")
        _rechain_plain(target.seq)
    assert _plain_chain_consistent(target.seq)  # the plain SHA-256 chain no longer tells
    report = services.verify_chain()
    assert not report.ok
    assert (target.seq, "content does not match its hash (edited)") in report.problems
    code, out = _cli(trial_db, "audit", "verify")
    assert code == 1 and out["ok"] is False


def test_cut_tail_with_the_head_moved_back(trial_db: TrialDb) -> None:
    randomized_patients()
    last = ChainHead.objects.get(id=1).seq
    keep = last - 4
    with superuser(trial_db):
        AuditEntry.objects.filter(seq__gt=keep).delete()
        kept = AuditEntry.objects.get(seq=keep)
        ChainHead.objects.filter(id=1).update(seq=keep, hash=kept.hash)
    report = services.verify_chain()
    assert not report.ok
    # the chain itself is consistent; only the signed checkpoint outside the database tells
    assert all("checkpoint" in p for _, p in report.problems), report.problems
    assert any(s == last and "entries removed at the end" in p for s, p in report.problems)


def test_chain_head_refuses_moves_back_deletes_and_a_second_row(trial_db: TrialDb) -> None:
    randomized_patients()
    head = ChainHead.objects.get(id=1)
    previous = AuditEntry.objects.get(seq=head.seq - 1)
    for sql, params in (
        (
            "UPDATE edc_chainhead SET seq = %s, hash = %s WHERE id = 1",
            [previous.seq, previous.hash],
        ),
        ("UPDATE edc_chainhead SET keyed_from = 5 WHERE id = 1", []),
        ("UPDATE edc_chainhead SET chain_id = 'other' WHERE id = 1", []),
        ("DELETE FROM edc_chainhead", []),
        (
            "INSERT INTO edc_chainhead (id, seq, hash, chain_id, key_id, keyed_from) "
            "VALUES (2, 0, %s, '', '', 1)",
            [GENESIS],
        ),
    ):
        with (
            pytest.raises(DatabaseError, match="chain head"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(sql, params)
    assert ChainHead.objects.get(id=1).seq == head.seq
    assert services.verify_chain().ok


def test_audit_rows_accept_only_the_next_entry(trial_db: TrialDb) -> None:
    randomized_patients()
    first = AuditEntry.objects.get(seq=1)
    columns = [f.column for f in AuditEntry._meta.concrete_fields if f.column != "id"]
    values = [
        getattr(first, f.attname) for f in AuditEntry._meta.concrete_fields if f.column != "id"
    ]
    sql = f"INSERT INTO edc_auditentry ({', '.join(columns)}) VALUES ({_marks(len(columns))})"
    values[columns.index("seq")] = 10_000  # a gap
    values[columns.index("hash")] = "f" * 64
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute(sql, values)
    assert services.verify_chain().ok


ONLY_SQLITE = pytest.mark.parametrize("trial_db", ["sqlite"], indirect=True)
ONLY_POSTGRES = pytest.mark.parametrize(
    "trial_db", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


@ONLY_SQLITE
@pytest.mark.parametrize("table", ["edc_auditentry", "edc_chainhead"])
def test_sqlite_insert_or_replace_is_refused(trial_db: TrialDb, table: str) -> None:
    randomized_patients()
    before = list(AuditEntry.objects.order_by("seq").values_list("seq", "hash", "actor"))
    with connection.cursor() as cur:
        cur.execute(f"SELECT * FROM {table} WHERE id = 1")
        names = [c[0] for c in cur.description]
        row = list(cur.fetchone())
    if table == "edc_auditentry":
        row[names.index("actor")] = "someone-else"
    else:
        row[names.index("seq")] = 1
    sql = f"INSERT OR REPLACE INTO {table} ({', '.join(names)}) VALUES ({_marks(len(names))})"
    refusal = "append-only" if table == "edc_auditentry" else "chain head is one row"
    with (
        pytest.raises(DatabaseError, match=refusal),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute(sql, row)
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", "hash", "actor")) == before
    assert services.verify_chain().ok


@ONLY_SQLITE
def test_sqlite_insert_or_replace_without_the_trigger_is_detected(trial_db: TrialDb) -> None:
    randomized_patients()
    entry = AuditEntry.objects.get(seq=4)
    forged = {**_content(entry), "actor": "someone-else"}
    digest = entry_hash(forged, entry.prev_hash)  # what the old defence checked
    with superuser(trial_db), connection.cursor() as cur:
        cur.execute(
            "INSERT OR REPLACE INTO edc_auditentry (id, seq, at, actor, role, action, model, "
            "object_id, patient, site, changes, reason, prev_hash, hash) "
            "SELECT id, seq, at, %s, role, action, model, object_id, patient, site, changes, "
            "reason, prev_hash, %s FROM edc_auditentry WHERE seq = 4",
            ["someone-else", digest],
        )
        _rechain_plain(5)
    assert AuditEntry.objects.get(seq=4).actor == "someone-else" and _plain_chain_consistent(4)
    report = services.verify_chain()
    assert (4, "content does not match its hash (edited)") in report.problems


@ONLY_POSTGRES
def test_postgres_replication_role_update_and_delete_are_detected(trial_db: TrialDb) -> None:
    randomized_patients()
    with connection.cursor() as cur:
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cur.fetchone()[0] is True  # the attacker is a superuser
        cur.execute("SET session_replication_role = replica")
        cur.execute("UPDATE edc_auditentry SET reason = 'nothing happened' WHERE seq = 3")
        cur.execute("DELETE FROM edc_auditentry WHERE seq = 6")
        cur.execute("SET session_replication_role = origin")
    assert AuditEntry.objects.get(seq=3).reason == "nothing happened"  # the triggers were off
    report = services.verify_chain()
    assert (3, "content does not match its hash (edited)") in report.problems
    assert (6, "entries 6..6 are missing") in report.problems


def test_clinical_rows_edited_in_sql_are_listed(trial_db: TrialDb) -> None:
    t = build_trial()
    c = t.coord["S01"]
    enrol(c, "S01-001")
    lab = services.record(
        c,
        "S01-001",
        "lab",
        {"analyte": "albumin", "value": 35.0, "unit": "g/L", "sampled_on": TODAY},
    )
    ae = services.record(
        c, "S01-001", "adverse_event", {"term": "Fatigue", "grade": 2, "onset_date": TODAY}
    )
    assert reconcile().ok
    with connection.cursor() as cur:
        cur.execute("UPDATE edc_labresult SET value = 41.5 WHERE id = %s", [lab.pk])
        cur.execute("DELETE FROM edc_adverseevent WHERE id = %s", [ae.pk])
    LabResult.objects.bulk_create(
        [
            LabResult(
                patient=lab.patient, analyte="bilirubin", value=9.0, unit="umol/L", sampled_on=TODAY
            )
        ]
    )
    added = LabResult.objects.exclude(pk=lab.pk).get()
    report = reconcile()
    assert not report.ok
    found = {(d.table, d.row, d.field, d.problem, d.audit, d.found) for d in report.differences}
    assert found == {
        ("edc_labresult", str(lab.pk), "value", "changed", 35.0, 41.5),
        ("edc_adverseevent", str(ae.pk), "", "removed", "row recorded", None),
        ("edc_labresult", str(added.pk), "", "added", None, "row present"),
    }
    assert not AdverseEvent.objects.exists()
    code, out = _cli(trial_db, "audit", "reconcile")
    assert code == 1 and out["total_differences"] == 3
    code, out = _cli(trial_db, "audit", "verify")
    assert code == 1 and out["problems"] == []  # the chain is intact; reconciliation is not
    code, out = _cli(trial_db, "check")
    checks = {c["check"]: c["ok"] for c in out["checks"]}  # type: ignore[attr-defined]
    assert code == 1 and checks["audit reconcile"] is False and checks["audit chain"] is True


def test_forged_checkpoint_line_is_reported(trial_db: TrialDb) -> None:
    randomized_patients()
    head = ChainHead.objects.get(id=1)
    points, _ = read_checkpoints(head.chain_id)
    assert points and max(p.seq for p in points) == head.seq
    line = json.dumps({**points[-1].__dict__, "seq": head.seq + 50, "mac": "0" * 64})
    with checkpoint_file().open("a", encoding="ascii") as out:
        out.write(line + "\n")
    report = services.verify_chain()
    assert not report.ok
    assert [p for _, p in report.problems] == [
        "1 checkpoint(s) of this chain are not signed with the audit key"
    ]


def test_whole_trail_made_plain_under_a_new_chain_id(trial_db: TrialDb) -> None:
    """Pretend every entry predates the key: plain hashes, keyed_from past the end, new id."""
    randomized_patients()
    last = ChainHead.objects.get(id=1).seq
    with superuser(trial_db):
        _rechain_plain(1)
        ChainHead.objects.filter(id=1).update(keyed_from=last + 1, chain_id="f" * 32, key_id="")
    assert _plain_chain_consistent(1)
    report = services.verify_chain()
    assert not report.ok
    assert any("none of this chain" in p for _, p in report.problems), report.problems


def test_api_tokens_issued_and_used_reconcile_and_a_changed_role_is_listed(
    trial_db: TrialDb,
) -> None:
    """A token's hash is never in the trail and its last use is not trial data: issuing and
    using a token leaves ``audit verify`` passing; a role changed in SQL is still found."""
    from oligotrial.edc.services.tokens import create_token, revoke_token, staff_for_token

    randomized_patients()
    used = create_token("coord-S01", days=1, name="lab interface")
    assert staff_for_token(used.secret) is not None  # records the token's use
    revoked = create_token("dm", days=1)
    revoke_token(revoked.row.pk, reason="interface retired")
    report = reconcile()
    assert report.ok, report.differences
    code, out = _cli(trial_db, "audit", "verify")
    assert code == 0 and out["ok"] is True
    with connection.cursor() as cur:
        cur.execute("UPDATE edc_apitoken SET role = 'data_manager' WHERE id = %s", [used.row.pk])
    found = {(d.table, d.row, d.field, d.audit, d.found) for d in reconcile().differences}
    assert found == {("edc_apitoken", str(used.row.pk), "role", "coordinator", "data_manager")}
