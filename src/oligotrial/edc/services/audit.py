"""Appending to the keyed, hash-chained audit trail.

Every service records its entries in its own transaction; they are appended together at the
end of the service call, still in that transaction: the chain head row is locked (``SELECT
... FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already serialises writers),
each entry's HMAC is computed under the audit key with the previous hash, the entries are
inserted in one statement and the head moves on. The head lock is thus held for the last
statements of a transaction, not for the whole call, and is always the last lock taken.
After the commit a signed checkpoint of the head is written outside the database
(:mod:`oligotrial.edc.audit_checkpoints`). Verification and reconciliation live in
:mod:`oligotrial.edc.audit_verify` and :mod:`oligotrial.edc.audit_reconcile`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils import timezone

from oligotrial.edc.audit_chain import canonical_json, key_id, keyed_hash
from oligotrial.edc.audit_checkpoints import checkpoint_at_commit
from oligotrial.edc.audit_key import ensure_key, load_key
from oligotrial.edc.audit_verify import ChainReport, verify_chain
from oligotrial.edc.models import AuditEntry, ChainHead, Patient, Staff
from oligotrial.edc.services.transactions import defer_to_end
from oligotrial.errors import InputError, StateError

__all__ = [
    "ChainReport",
    "append",
    "changes_between",
    "json_value",
    "prepare_key",
    "snapshot",
    "verify_chain",
]


def json_value(value: Any) -> Any:
    """A field value as JSON (dates ISO, decimals as strings, model instances by key)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """Every concrete field of ``instance`` (foreign keys by id) as JSON values."""
    out: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        out[field.attname] = json_value(getattr(instance, field.attname))
    return out


def changes_between(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> dict[str, Any]:
    """``{field: [old, new]}`` for every field that differs."""
    old = old or {}
    new = new or {}
    return {
        k: [old.get(k), new.get(k)] for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)
    }


def prepare_key() -> None:
    """Create the audit key file (mode 0600) when no key exists and the chain has none yet.

    A chain already bound to a key is never given a new one here: a lost key is reported by
    ``audit verify`` and ``oligotrial check`` instead.
    """
    head = ChainHead.objects.filter(id=1).first()
    if head is not None and not head.key_id:
        ensure_key()


def _writing_key(head: ChainHead) -> bytes:
    """The key to extend this chain with; a new chain is named and bound to the key here."""
    key = ensure_key() if not head.key_id else load_key()
    if key is None:
        raise StateError(
            "the audit key is missing (OLIGOTRIAL_AUDIT_KEY or the audit key file); "
            "nothing can be recorded until the trial's key is restored"
        )
    kid = key_id(key)
    if not head.chain_id:
        head.chain_id = uuid.uuid4().hex
    if not head.key_id:
        head.key_id = kid
    elif head.key_id != kid:
        raise StateError(
            f"the configured audit key ({kid}) is not the key of this trial's audit chain "
            f"({head.key_id}); nothing can be recorded until the trial's key is restored"
        )
    return key


def append(
    actor: Staff | None,
    action: str,
    instance: models.Model,
    changes: Mapping[str, Any],
    reason: str = "",
    patient: Patient | None = None,
) -> None:
    """Record one entry; must run inside the service's transaction.

    Within a service call the entry is appended with the call's others at its end (see
    :func:`write_entries`); outside one (a script in its own transaction) at once."""
    if action in {"update", "delete"} and not reason.strip():
        raise InputError("reason", "a reason is required for any change after first entry")
    site = ""
    if patient is not None:
        site = patient.site.code
    elif actor is not None and actor.site is not None:
        site = actor.site.code
    content: dict[str, Any] = {
        "actor": actor.username if actor else "system",
        "role": actor.role if actor else "system",
        "action": action,
        "model": instance._meta.label,
        "object_id": str(instance.pk),
        "patient": patient.screening_number if patient else "",
        "site": site,
        "changes": canonical_json(
            {k: [json_value(v[0]), json_value(v[1])] for k, v in changes.items()}
        ),
        "reason": reason.strip(),
    }
    if not defer_to_end("audit", content, write_entries):
        write_entries([content])
    from oligotrial.edc.services.data_guard import on_change  # it reads the record kinds

    on_change(actor, action, instance, patient, tuple(changes))


def write_entries(contents: list[dict[str, Any]]) -> None:
    """Append entries to the chain in one short step: lock the head, one insert, move the head.

    The head stays locked from here to the commit, so the chain has one tail; the entries of
    one transaction follow each other and carry the time they were appended."""
    head = ChainHead.objects.select_for_update().get(id=1)
    key = _writing_key(head)
    at = timezone.now()
    entries = []
    for content in contents:
        content = {**content, "seq": head.seq + 1, "at": at}
        digest = keyed_hash(key, head.chain_id, content, head.hash)
        entries.append(AuditEntry(prev_hash=head.hash, hash=digest, **content))
        head.seq, head.hash = head.seq + 1, digest
    AuditEntry.objects.bulk_create(entries)
    head.save(update_fields=["seq", "hash", "chain_id", "key_id"])
    checkpoint_at_commit(head, key)
