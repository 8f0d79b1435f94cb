"""Appending to and verifying the hash-chained audit trail.

Every service appends its entries in its own transaction, after its change: the chain head
row is locked (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already
serialises writers), the entry is hashed with the previous hash and the head moves on.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone

from oligotrial.edc.audit_chain import GENESIS, canonical_json, entry_hash
from oligotrial.edc.models import AuditEntry, ChainHead, Patient, Staff
from oligotrial.errors import InputError


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


def append(
    actor: Staff | None,
    action: str,
    instance: models.Model,
    changes: Mapping[str, Any],
    reason: str = "",
    patient: Patient | None = None,
) -> AuditEntry:
    """Append one entry; must run inside the service's transaction."""
    if action in {"update", "delete"} and not reason.strip():
        raise InputError("reason", "a reason is required for any change after first entry")
    head = ChainHead.objects.select_for_update().get(id=1)
    site = ""
    if patient is not None:
        site = patient.site.code
    elif actor is not None and actor.site is not None:
        site = actor.site.code
    content: dict[str, Any] = {
        "seq": head.seq + 1,
        "at": timezone.now(),
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
    digest = entry_hash(content, head.hash)
    entry = AuditEntry.objects.create(prev_hash=head.hash, hash=digest, **content)
    head.seq = entry.seq
    head.hash = digest
    head.save(update_fields=["seq", "hash"])
    return entry


@dataclass(frozen=True)
class ChainReport:
    """Outcome of verifying the chain: entries read and the problems found (seq, what)."""

    ok: bool
    entries: int
    head_seq: int
    problems: tuple[tuple[int, str], ...]


def _content(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at,
        "actor": entry.actor,
        "role": entry.role,
        "action": entry.action,
        "model": entry.model,
        "object_id": entry.object_id,
        "patient": entry.patient,
        "site": entry.site,
        "changes": entry.changes,
        "reason": entry.reason,
    }


def verify_chain(max_problems: int = 20) -> ChainReport:
    """Recompute every hash in order; report edited, inserted or deleted entries."""
    problems: list[tuple[int, str]] = []
    prev_hash, expected_seq, count = GENESIS, 1, 0
    for entry in _entries():
        count += 1
        if entry.seq != expected_seq:
            problems.append((expected_seq, f"entries {expected_seq}..{entry.seq - 1} are missing"))
        if entry.prev_hash != prev_hash:
            problems.append((entry.seq, "does not follow the previous entry (deleted or inserted)"))
        if entry_hash(_content(entry), entry.prev_hash) != entry.hash:
            problems.append((entry.seq, "content does not match its hash (edited)"))
        prev_hash, expected_seq = entry.hash, entry.seq + 1
        if len(problems) >= max_problems:
            break
    head = ChainHead.objects.get(id=1)
    if len(problems) < max_problems and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        problems.append(
            (
                head.seq,
                f"the chain head records entry {head.seq} but the trail "
                f"ends at {expected_seq - 1} (entries removed at the end)",
            )
        )
    return ChainReport(not problems, count, head.seq, tuple(problems))


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
