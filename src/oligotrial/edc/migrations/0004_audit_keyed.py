"""Keyed audit chain: the head's identity fields, and triggers guarding inserts and the head.

- An entry may only be inserted as the next one (``seq`` = last + 1, ``prev_hash`` = the last
  hash) with an id and hash not in use: this also closes SQLite's ``INSERT OR REPLACE``, whose
  implicit delete fires no delete trigger.
- The chain head may not be inserted twice, deleted or truncated, and may only move forward
  to the last entry; its chain id, key id and ``keyed_from`` never change once set.

An existing trail keeps its plain SHA-256 hashes: ``keyed_from`` is set after its last entry
and a chain id is drawn, so the first keyed entry's HMAC covers the whole older trail.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import migrations, models

ZEROS = "0" * 64

PG_UP = [
    f"""
    CREATE OR REPLACE FUNCTION edc_audit_insert_guard() RETURNS trigger AS $$
    DECLARE last_seq bigint; last_hash text;
    BEGIN
        SELECT seq, hash INTO last_seq, last_hash FROM edc_auditentry ORDER BY seq DESC LIMIT 1;
        IF NEW.seq <> COALESCE(last_seq, 0) + 1
           OR NEW.prev_hash <> COALESCE(last_hash, '{ZEROS}') THEN
            RAISE EXCEPTION 'the audit trail is append-only (entry % does not follow entry %)',
                NEW.seq, COALESCE(last_seq, 0) USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER edc_auditentry_append_next BEFORE INSERT ON edc_auditentry
    FOR EACH ROW EXECUTE FUNCTION edc_audit_insert_guard()
    """,
    f"""
    CREATE OR REPLACE FUNCTION edc_chainhead_guard() RETURNS trigger AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
            RAISE EXCEPTION 'the audit chain head cannot be removed (% refused)', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF TG_OP = 'INSERT' THEN
            IF EXISTS (SELECT 1 FROM edc_chainhead) THEN
                RAISE EXCEPTION 'the audit chain head is one row (INSERT refused)'
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN NEW;
        END IF;
        IF NEW.id <> OLD.id OR NEW.seq < OLD.seq OR NEW.keyed_from <> OLD.keyed_from
           OR (OLD.chain_id <> '' AND NEW.chain_id <> OLD.chain_id)
           OR (OLD.key_id <> '' AND NEW.key_id <> OLD.key_id)
           OR NEW.seq <> COALESCE((SELECT max(seq) FROM edc_auditentry), 0)
           OR NEW.hash <> COALESCE(
                (SELECT hash FROM edc_auditentry WHERE seq = NEW.seq), '{ZEROS}') THEN
            RAISE EXCEPTION 'the audit chain head only moves forward to the last entry '
                '(UPDATE refused)' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER edc_chainhead_guard_row BEFORE INSERT OR UPDATE OR DELETE ON edc_chainhead
    FOR EACH ROW EXECUTE FUNCTION edc_chainhead_guard()
    """,
    """
    CREATE TRIGGER edc_chainhead_no_truncate BEFORE TRUNCATE ON edc_chainhead
    FOR EACH STATEMENT EXECUTE FUNCTION edc_chainhead_guard()
    """,
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS edc_chainhead_no_truncate ON edc_chainhead",
    "DROP TRIGGER IF EXISTS edc_chainhead_guard_row ON edc_chainhead",
    "DROP FUNCTION IF EXISTS edc_chainhead_guard()",
    "DROP TRIGGER IF EXISTS edc_auditentry_append_next ON edc_auditentry",
    "DROP FUNCTION IF EXISTS edc_audit_insert_guard()",
]
SQLITE_UP = [
    f"""
    CREATE TRIGGER edc_auditentry_append_next BEFORE INSERT ON edc_auditentry
    WHEN EXISTS (SELECT 1 FROM edc_auditentry WHERE id = NEW.id)
      OR EXISTS (SELECT 1 FROM edc_auditentry WHERE hash = NEW.hash)
      OR NEW.seq IS NOT COALESCE((SELECT max(seq) FROM edc_auditentry), 0) + 1
      OR NEW.prev_hash IS NOT COALESCE(
            (SELECT hash FROM edc_auditentry ORDER BY seq DESC LIMIT 1), '{ZEROS}')
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only (INSERT must add the next entry)');
    END
    """,
    """
    CREATE TRIGGER edc_chainhead_no_insert BEFORE INSERT ON edc_chainhead
    WHEN EXISTS (SELECT 1 FROM edc_chainhead)
    BEGIN SELECT RAISE(ABORT, 'the audit chain head is one row (INSERT refused)'); END
    """,
    """
    CREATE TRIGGER edc_chainhead_no_delete BEFORE DELETE ON edc_chainhead
    BEGIN SELECT RAISE(ABORT, 'the audit chain head cannot be removed (DELETE refused)'); END
    """,
    f"""
    CREATE TRIGGER edc_chainhead_forward_only BEFORE UPDATE ON edc_chainhead
    WHEN NEW.id IS NOT OLD.id OR NEW.seq < OLD.seq OR NEW.keyed_from IS NOT OLD.keyed_from
      OR (OLD.chain_id <> '' AND NEW.chain_id IS NOT OLD.chain_id)
      OR (OLD.key_id <> '' AND NEW.key_id IS NOT OLD.key_id)
      OR NEW.seq IS NOT COALESCE((SELECT max(seq) FROM edc_auditentry), 0)
      OR NEW.hash IS NOT COALESCE(
            (SELECT hash FROM edc_auditentry WHERE seq = NEW.seq), '{ZEROS}')
    BEGIN SELECT RAISE(ABORT,
        'the audit chain head only moves forward to the last entry (UPDATE refused)');
    END
    """,
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS edc_chainhead_forward_only",
    "DROP TRIGGER IF EXISTS edc_chainhead_no_delete",
    "DROP TRIGGER IF EXISTS edc_chainhead_no_insert",
    "DROP TRIGGER IF EXISTS edc_auditentry_append_next",
]


def _run(statements: dict[str, list[str]], schema_editor: Any) -> None:
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


def mark_older_trail(apps: Any, schema_editor: Any) -> None:
    """An existing trail stays plain SHA-256; keyed entries start after it, in a named chain."""
    heads = apps.get_model("edc", "ChainHead").objects.using(schema_editor.connection.alias)
    head = heads.filter(id=1).first()
    if head is not None and head.seq > 0:
        heads.filter(id=1).update(keyed_from=head.seq + 1, chain_id=uuid.uuid4().hex)


def triggers_up(apps: Any, schema_editor: Any) -> None:
    _run({"postgresql": PG_UP, "sqlite": SQLITE_UP}, schema_editor)


def triggers_down(apps: Any, schema_editor: Any) -> None:
    _run({"postgresql": PG_DOWN, "sqlite": SQLITE_DOWN}, schema_editor)


class Migration(migrations.Migration):
    dependencies = (("edc", "0003_lab_unit_blank_for_unitless"),)
    operations = (
        migrations.AddField(
            model_name="chainhead",
            name="chain_id",
            field=models.CharField(blank=True, default="", max_length=32),
        ),
        migrations.AddField(
            model_name="chainhead",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.AddField(
            model_name="chainhead",
            name="keyed_from",
            field=models.BigIntegerField(default=1),
        ),
        migrations.RunPython(mark_older_trail, migrations.RunPython.noop),
        migrations.RunPython(triggers_up, triggers_down),
    )
