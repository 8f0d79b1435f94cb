"""The audit table refuses UPDATE and DELETE at the database level; seed the singleton rows.

PostgreSQL: a plpgsql trigger raising an exception (row-level UPDATE/DELETE, and TRUNCATE).
SQLite: triggers raising ABORT. Vendor-conditional, reversible.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

GENESIS = "0" * 64

PG_UP = [
    """
    CREATE OR REPLACE FUNCTION edc_audit_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'the audit trail is append-only (% refused)', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER edc_auditentry_no_change BEFORE UPDATE OR DELETE ON edc_auditentry
    FOR EACH ROW EXECUTE FUNCTION edc_audit_append_only()
    """,
    """
    CREATE TRIGGER edc_auditentry_no_truncate BEFORE TRUNCATE ON edc_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION edc_audit_append_only()
    """,
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS edc_auditentry_no_truncate ON edc_auditentry",
    "DROP TRIGGER IF EXISTS edc_auditentry_no_change ON edc_auditentry",
    "DROP FUNCTION IF EXISTS edc_audit_append_only()",
]
SQLITE_UP = [
    """
    CREATE TRIGGER edc_auditentry_no_update BEFORE UPDATE ON edc_auditentry
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only (UPDATE refused)'); END
    """,
    """
    CREATE TRIGGER edc_auditentry_no_delete BEFORE DELETE ON edc_auditentry
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only (DELETE refused)'); END
    """,
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS edc_auditentry_no_update",
    "DROP TRIGGER IF EXISTS edc_auditentry_no_delete",
]


def _run(statements: dict[str, list[str]], schema_editor: Any) -> None:
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


def forwards(apps: Any, schema_editor: Any) -> None:
    _run({"postgresql": PG_UP, "sqlite": SQLITE_UP}, schema_editor)
    alias = schema_editor.connection.alias
    apps.get_model("edc", "ChainHead").objects.using(alias).get_or_create(
        id=1, defaults={"seq": 0, "hash": GENESIS}
    )
    apps.get_model("edc", "TrialState").objects.using(alias).get_or_create(id=1)


def backwards(apps: Any, schema_editor: Any) -> None:
    _run({"postgresql": PG_DOWN, "sqlite": SQLITE_DOWN}, schema_editor)


class Migration(migrations.Migration):
    dependencies = (("edc", "0001_initial"),)
    operations = (migrations.RunPython(forwards, backwards),)
