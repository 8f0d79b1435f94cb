"""The hash of an audit entry, and the signed checkpoints of the chain head.

An entry's hash is HMAC-SHA256, under the trial's audit key, over canonical JSON of its
content, the previous entry's hash and the chain id: whoever can write the database but
does not hold the key cannot recompute a valid chain after an edit (21 CFR 11.10(e)).
Entries written before the key existed (``seq`` below the chain's ``keyed_from``) keep their
plain SHA-256 hash; the first keyed entry's HMAC covers the last of them.

Canonical JSON: keys sorted, no whitespace, ASCII only, dates as ISO 8601 UTC with
microseconds. Pure (no Django) so any tool holding the key can re-verify an exported trail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

GENESIS = "0" * 64
KEY_BYTES = 32  # the minimum length of an audit key (256 bits)

#: The fields an entry's hash covers (with ``prev_hash``).
HASHED_FIELDS = (
    "seq",
    "at",
    "actor",
    "role",
    "action",
    "model",
    "object_id",
    "patient",
    "site",
    "changes",
    "reason",
)


def canonical_time(value: dt.datetime) -> str:
    """ISO 8601 in UTC with microseconds (``2026-01-02T03:04:05.000006+00:00``)."""
    if value.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical_json(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    )


def _body(content: Mapping[str, Any], prev_hash: str) -> bytes:
    body = {name: content[name] for name in HASHED_FIELDS}
    body["at"] = canonical_time(body["at"])
    body["prev_hash"] = prev_hash
    return canonical_json(body).encode("ascii")


def entry_hash(content: Mapping[str, Any], prev_hash: str) -> str:
    """Plain SHA-256 of one entry (entries written before the audit key existed)."""
    return hashlib.sha256(_body(content, prev_hash)).hexdigest()


def keyed_hash(key: bytes, chain_id: str, content: Mapping[str, Any], prev_hash: str) -> str:
    """HMAC-SHA256 of one entry under ``key``, bound to the chain ``chain_id``."""
    message = b"oligotrial-audit-entry\x00" + chain_id.encode("ascii") + b"\x00"
    return hmac.new(key, message + _body(content, prev_hash), hashlib.sha256).hexdigest()


def key_id(key: bytes) -> str:
    """A public name of the key (16 hex digits): tells which key wrote a chain."""
    return hmac.new(key, b"oligotrial-audit-key-id", hashlib.sha256).hexdigest()[:16]


@dataclass(frozen=True)
class Checkpoint:
    """The chain head at one moment, signed with the audit key; kept outside the database."""

    chain: str  # chain id
    seq: int
    hash: str  # hash of entry ``seq``
    keyed_from: int
    key_id: str
    at: str  # ISO time of writing
    mac: str = ""

    def payload(self) -> bytes:
        fields = asdict(self)
        fields.pop("mac")
        return b"oligotrial-audit-checkpoint\x00" + canonical_json(fields).encode("ascii")


def sign_checkpoint(key: bytes, point: Checkpoint) -> Checkpoint:
    mac = hmac.new(key, point.payload(), hashlib.sha256).hexdigest()
    return Checkpoint(**{**asdict(point), "mac": mac})


def checkpoint_valid(key: bytes, point: Checkpoint) -> bool:
    expected = hmac.new(key, point.payload(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, point.mac)


def checkpoint_line(point: Checkpoint) -> str:
    return canonical_json(asdict(point)) + "\n"


def parse_checkpoint(line: str) -> Checkpoint | None:
    """A checkpoint from one line of the file, or None when the line is not one."""
    try:
        raw = json.loads(line)
        return Checkpoint(
            chain=str(raw["chain"]),
            seq=int(raw["seq"]),
            hash=str(raw["hash"]),
            keyed_from=int(raw["keyed_from"]),
            key_id=str(raw["key_id"]),
            at=str(raw["at"]),
            mac=str(raw["mac"]),
        )
    except (ValueError, KeyError, TypeError):
        return None
