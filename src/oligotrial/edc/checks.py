"""Sanity checks of the configured database, for ``oligotrial check``."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, connection

from oligotrial.edc.settings import DatabaseChoice

Check = tuple[str, bool, str]

#: The guarding triggers of migrations 0002 and 0004, per table and vendor.
TRIGGERS = {
    "sqlite": {"edc_auditentry": 3, "edc_chainhead": 3},
    "postgresql": {"edc_auditentry": 3, "edc_chainhead": 2},
}


def _pending_migrations() -> list[str]:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _ in plan]


def _scalar(sql: str, params: tuple[Any, ...] = ()) -> Any:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    return row[0] if row else None


def _active_triggers(vendor: str, table: str) -> int:
    if vendor == "sqlite":
        sql = "SELECT count(*) FROM sqlite_master WHERE type='trigger' AND tbl_name=%s"
    else:
        sql = (
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass "
            "AND NOT tgisinternal AND tgenabled <> 'D'"
        )
    return int(_scalar(sql, (table,)) or 0)


def audit_checks(vendor: str) -> list[Check]:
    """The key, the guarding triggers, the keyed chain with its checkpoints, reconciliation."""
    from oligotrial.edc.audit_key import key_status
    from oligotrial.edc.audit_reconcile import reconcile
    from oligotrial.edc.audit_verify import verify_chain

    out: list[Check] = []
    ok, detail = key_status()
    out.append(("audit key", ok, detail))
    counts = {table: _active_triggers(vendor, table) for table in TRIGGERS[vendor]}
    missing = {t: n for t, n in counts.items() if n < TRIGGERS[vendor][t]}
    out.append(
        (
            "audit append-only",
            not missing,
            ", ".join(f"{t}: {n} trigger(s) active" for t, n in counts.items())
            + ("" if not missing else f" (expected {TRIGGERS[vendor]})"),
        )
    )
    report = verify_chain()
    out.append(
        (
            "audit chain",
            report.ok,
            f"{report.entries} entries, {report.checkpoints} signed checkpoint(s)"
            if report.ok
            else f"{len(report.problems)} problem(s), first at entry {report.problems[0][0]}: "
            f"{report.problems[0][1]}",
        )
    )
    rec = reconcile(max_differences=1)
    first = rec.differences[0] if rec.differences else None
    out.append(
        (
            "audit reconcile",
            rec.ok,
            f"{rec.rows} rows agree with the trail ({rec.seconds} s)"
            if first is None
            else f"{rec.total_differences} difference(s), first: {first.table} row {first.row} "
            f"{first.field or ''} {first.problem} (run 'oligotrial audit reconcile')",
        )
    )
    return out


def database_checks(choice: DatabaseChoice) -> list[Check]:
    """Each check as (name, ok, detail); stops early when the database cannot be reached."""
    out: list[Check] = []
    try:
        connection.ensure_connection()
    except DatabaseError as exc:
        return [("connect", False, f"{choice.description}: {exc}")]
    out.append(("connect", True, choice.description))
    pending = _pending_migrations()
    out.append(
        (
            "migrations",
            not pending,
            "up to date"
            if not pending
            else "not applied: " + ", ".join(pending) + " (run 'oligotrial db migrate')",
        )
    )
    if pending:
        return out
    if choice.vendor == "sqlite":
        mode = str(_scalar("PRAGMA journal_mode")).lower()
        out.append(("sqlite journal", mode == "wal", f"journal_mode={mode}"))
    out += audit_checks(choice.vendor)
    from oligotrial.edc.models import AllocationList

    lists = AllocationList.objects.filter(active=True).count()
    out.append(
        ("allocation list", True, "generated" if lists else "not generated yet (before go-live)")
    )
    return out
