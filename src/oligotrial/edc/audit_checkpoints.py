"""Signed checkpoints of the chain head, written outside the database after each commit.

Every transaction that appended audit entries leaves, once committed, one line in the
append-only file ``audit-checkpoints.jsonl`` of the audit folder and one record in the log
(logger ``oligotrial.audit``): chain id, sequence number and hash of the head, signed with
the audit key. ``audit verify`` then refuses a database whose head is behind a checkpoint or
whose checkpointed entry changed: a cut tail cannot be hidden by moving the head back.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import connection, transaction

from oligotrial.edc.audit_chain import (
    Checkpoint,
    checkpoint_line,
    parse_checkpoint,
    sign_checkpoint,
)
from oligotrial.edc.audit_key import checkpoint_file, load_key

if TYPE_CHECKING:
    from oligotrial.edc.models import ChainHead

log = logging.getLogger("oligotrial.audit")


def write_checkpoint(point: Checkpoint, key: bytes, path: Path | None = None) -> Checkpoint:
    """Sign ``point`` and append it to the checkpoint file (one ``write`` of one line)."""
    signed = sign_checkpoint(key, point)
    target = path or checkpoint_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, checkpoint_line(signed).encode("ascii"))
    finally:
        os.close(fd)
    log.info(
        "audit checkpoint chain=%s seq=%d hash=%s mac=%s",
        signed.chain,
        signed.seq,
        signed.hash,
        signed.mac,
    )
    return signed


def checkpoint_head() -> Checkpoint | None:
    """Checkpoint the committed head of this database (None when there is nothing to sign)."""
    from oligotrial.edc.models import ChainHead

    key = load_key()
    head = ChainHead.objects.filter(id=1).first()
    if key is None or head is None or not head.chain_id or head.seq < head.keyed_from:
        return None
    point = Checkpoint(
        chain=head.chain_id,
        seq=head.seq,
        hash=head.hash,
        keyed_from=head.keyed_from,
        key_id=head.key_id,
        at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    return write_checkpoint(point, key)


class _AfterCommit:
    """The one checkpoint a transaction writes once committed.

    It signs the head the transaction moved last when that move was made outside any
    savepoint (so it cannot be undone without the whole transaction); otherwise it reads the
    committed head again."""

    def __init__(self) -> None:
        self.point: Checkpoint | None = None
        self.key: bytes | None = None

    def __call__(self) -> None:
        try:
            if self.point is not None and self.key is not None:
                now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
                write_checkpoint(replace(self.point, at=now), self.key)
            else:
                checkpoint_head()
        except Exception:  # the data is committed; a lost checkpoint only weakens a later check
            log.exception("audit checkpoint could not be written")


def checkpoint_at_commit(head: ChainHead | None = None, key: bytes | None = None) -> None:
    """Arrange for one checkpoint when the current transaction commits (of ``head``, the
    head as this transaction just wrote it under ``key``, when given)."""
    pending = next(
        (item[1] for item in connection.run_on_commit if isinstance(item[1], _AfterCommit)),
        None,
    )
    if pending is None:
        pending = _AfterCommit()
        transaction.on_commit(pending)
    pending.point, pending.key = None, None
    if head is None or key is None or connection.savepoint_ids:
        return
    if head.chain_id and head.seq >= head.keyed_from:
        pending.point = Checkpoint(
            chain=head.chain_id,
            seq=head.seq,
            hash=head.hash,
            keyed_from=head.keyed_from,
            key_id=head.key_id,
            at="",
        )
        pending.key = key


def read_checkpoints(
    chain_id: str | None = None, path: Path | None = None
) -> tuple[list[Checkpoint], int]:
    """The checkpoints in the file (of chain ``chain_id`` only, when given), and how many lines
    were unreadable."""
    target = path or checkpoint_file()
    points: list[Checkpoint] = []
    unreadable = 0
    try:
        lines = target.read_text(encoding="ascii", errors="replace").splitlines()
    except FileNotFoundError:
        return [], 0
    for line in lines:
        if not line.strip():
            continue
        point = parse_checkpoint(line)
        if point is None:
            unreadable += 1
        elif chain_id is None or point.chain == chain_id:
            points.append(point)
    return points, unreadable
