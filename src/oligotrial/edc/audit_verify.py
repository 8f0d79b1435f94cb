"""Verifying the audit trail: every hash in order, the head, and the signed checkpoints.

Entries from ``keyed_from`` on must carry the HMAC of their content under the audit key;
older entries (written before the key existed) their plain SHA-256. The head must point at
the last entry; no signed checkpoint outside the database may name an entry beyond it or
a hash other than the entry's. All is read in one consistent snapshot.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from oligotrial.edc.audit_chain import (
    GENESIS,
    Checkpoint,
    checkpoint_valid,
    entry_hash,
    key_id,
    keyed_hash,
)
from oligotrial.edc.audit_checkpoints import read_checkpoints
from oligotrial.edc.audit_key import checkpoint_file, load_key
from oligotrial.edc.models import AuditEntry, ChainHead


@dataclass(frozen=True)
class ChainReport:
    """Outcome of verifying the chain: entries read and the problems found (seq, what)."""

    ok: bool
    entries: int
    head_seq: int
    problems: tuple[tuple[int, str], ...]
    checkpoints: int = 0  # signed checkpoints of this chain checked


@contextlib.contextmanager
def consistent_snapshot() -> Iterator[None]:
    """Read everything from one snapshot (PostgreSQL: repeatable read, read only)."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


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


def _key_problem(head: ChainHead, key: bytes | None) -> str | None:
    if head.seq < head.keyed_from:
        return None
    if key is None:
        return "the audit key is not available: the keyed entries cannot be verified"
    if head.key_id and key_id(key) != head.key_id:
        return (
            f"the configured audit key ({key_id(key)}) is not the key that signs this "
            f"chain ({head.key_id}): the keyed entries cannot be verified"
        )
    return None


def verify_chain(max_problems: int = 20) -> ChainReport:
    """Recompute every hash in order; report edited, inserted, deleted or cut entries."""
    with consistent_snapshot():
        return _verify(max_problems)


def _verify(max_problems: int) -> ChainReport:
    head = ChainHead.objects.get(id=1)
    key = load_key()
    problems: list[tuple[int, str]] = []
    key_problem = _key_problem(head, key)
    if key_problem:
        problems.append((0, key_problem))
    usable = None if key_problem else key
    every, unreadable = read_checkpoints()
    points = [p for p in every if p.chain == head.chain_id]
    others = [p for p in every if p.chain != head.chain_id]
    if unreadable:
        problems.append((0, f"{unreadable} line(s) of {checkpoint_file()} are not checkpoints"))
    wanted = {p.seq for p in points}
    seen: dict[int, str] = {}
    prev_hash, expected_seq, count = GENESIS, 1, 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        count += 1
        if entry.seq != expected_seq:
            problems.append((expected_seq, f"entries {expected_seq}..{entry.seq - 1} are missing"))
        if entry.prev_hash != prev_hash:
            problems.append((entry.seq, "does not follow the previous entry (deleted or inserted)"))
        if entry.seq < head.keyed_from:
            expected = entry_hash(_content(entry), entry.prev_hash)
        elif usable is not None:
            expected = keyed_hash(usable, head.chain_id, _content(entry), entry.prev_hash)
        else:
            expected = entry.hash  # reported once above: no key to check it with
        if expected != entry.hash:
            problems.append((entry.seq, "content does not match its hash (edited)"))
        if entry.seq in wanted:
            seen[entry.seq] = entry.hash
        prev_hash, expected_seq = entry.hash, entry.seq + 1
        if len(problems) >= max_problems:
            return ChainReport(False, count, head.seq, tuple(problems))
    last = expected_seq - 1
    if head.seq != last or head.hash != prev_hash:
        problems.append(
            (
                head.seq,
                f"the chain head records entry {head.seq} but the trail "
                f"ends at {last} (entries removed at the end)",
            )
        )
    problems += _checkpoint_problems(head, usable, points, seen, last)
    downgraded = 0 < last < head.keyed_from  # nothing keyed: only a migrated older trail
    if downgraded and usable is not None and not points and _any_valid(usable, others):
        problems.append(
            (
                last,
                f"{checkpoint_file()} holds checkpoints of other chains signed with this key but "
                f"none of this chain ({head.chain_id or 'no chain id'}): was the chain id changed?",
            )
        )
    return ChainReport(not problems, count, head.seq, tuple(problems[:max_problems]), len(points))


def _any_valid(key: bytes, points: list[Checkpoint]) -> bool:
    return any(checkpoint_valid(key, p) for p in reversed(points))


def _checkpoint_problems(
    head: ChainHead,
    key: bytes | None,
    points: list[Checkpoint],
    seen: dict[int, str],
    last: int,
) -> list[tuple[int, str]]:
    """Each signed checkpoint must name an entry of the trail, with the entry's hash."""
    out: list[tuple[int, str]] = []
    if key is None:
        return out
    valid = [p for p in points if checkpoint_valid(key, p)]
    forged = len(points) - len(valid)
    if forged:
        out.append((0, f"{forged} checkpoint(s) of this chain are not signed with the audit key"))
    if last >= head.keyed_from and not valid:
        out.append(
            (
                last,
                f"no signed checkpoint of this chain ({head.chain_id}) in {checkpoint_file()}; "
                "the end of the trail cannot be confirmed",
            )
        )
        return out
    if valid:
        furthest = max(valid, key=lambda p: p.seq)
        if furthest.seq > last:
            out.append(
                (
                    furthest.seq,
                    f"a signed checkpoint records entry {furthest.seq} ({furthest.at}) but the "
                    f"trail ends at {last} (entries removed at the end)",
                )
            )
    rewritten = sorted({p.seq for p in valid if p.seq <= last and seen.get(p.seq) != p.hash})
    out += [(seq, "differs from its signed checkpoint (rewritten)") for seq in rewritten[:5]]
    if any(p.keyed_from != head.keyed_from or p.key_id != head.key_id for p in valid):
        out.append((0, "the chain head's key or keyed_from differ from the signed checkpoints"))
    return out
