"""The hash of an audit entry: SHA-256 over canonical JSON of its content and the previous hash.

Canonical JSON: keys sorted, no whitespace, ASCII only, dates as ISO 8601 UTC with
microseconds. Pure (no Django) so any tool can re-verify an exported trail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

GENESIS = "0" * 64

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


def entry_hash(content: Mapping[str, Any], prev_hash: str) -> str:
    """Hash of one entry; ``content`` holds :data:`HASHED_FIELDS` (``at`` as a datetime)."""
    body = {name: content[name] for name in HASHED_FIELDS}
    body["at"] = canonical_time(body["at"])
    body["prev_hash"] = prev_hash
    return hashlib.sha256(canonical_json(body).encode("ascii")).hexdigest()
