"""Sanity checks of the configured database, for ``oligotrial check``."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, connection

from oligotrial.edc.settings import DatabaseChoice

Check = tuple[str, bool, str]


def _pending_migrations() -> list[str]:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _ in plan]


def _scalar(sql: str) -> Any:
    with connection.cursor() as cur:
        cur.execute(sql)
        row = cur.fetchone()
    return row[0] if row else None


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
        triggers = _scalar(
            "SELECT count(*) FROM sqlite_master WHERE type='trigger' AND tbl_name='edc_auditentry'"
        )
    else:
        triggers = _scalar(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = "
            "'edc_auditentry'::regclass AND NOT tgisinternal AND tgenabled <> 'D'"
        )
    out.append(("audit append-only", bool(triggers), f"{triggers} trigger(s) active"))
    from oligotrial.edc.services.audit import verify_chain

    report = verify_chain()
    out.append(
        (
            "audit chain",
            report.ok,
            f"{report.entries} entries"
            if report.ok
            else f"{len(report.problems)} problem(s), first at entry {report.problems[0][0]}",
        )
    )
    from oligotrial.edc.models import AllocationList

    lists = AllocationList.objects.filter(active=True).count()
    out.append(
        ("allocation list", True, "generated" if lists else "not generated yet (before go-live)")
    )
    return out
