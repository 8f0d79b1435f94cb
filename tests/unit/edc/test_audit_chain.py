"""The keyed entry hash and the signed checkpoints (pure: no database)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from oligotrial.edc.audit_chain import (
    GENESIS,
    Checkpoint,
    checkpoint_line,
    checkpoint_valid,
    entry_hash,
    key_id,
    keyed_hash,
    parse_checkpoint,
    sign_checkpoint,
)

KEY = bytes(range(32))
CONTENT = {
    "seq": 1,
    "at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    "actor": "a",
    "role": "coordinator",
    "action": "create",
    "model": "edc.Patient",
    "object_id": "1",
    "patient": "S01-001",
    "site": "S01",
    "changes": '{"x":[null,1]}',
    "reason": "",
}


def test_plain_hash_covers_content_and_predecessor() -> None:
    h = entry_hash(CONTENT, GENESIS)
    assert len(h) == 64 and h == entry_hash(dict(CONTENT), GENESIS)
    assert h != entry_hash({**CONTENT, "actor": "b"}, GENESIS)
    assert h != entry_hash(CONTENT, "1" * 64)
    with pytest.raises(ValueError, match="timezone"):
        entry_hash({**CONTENT, "at": dt.datetime(2026, 1, 1)}, GENESIS)


def test_keyed_hash_depends_on_key_chain_content_and_predecessor() -> None:
    h = keyed_hash(KEY, "chain-a", CONTENT, GENESIS)
    assert len(h) == 64 and h == keyed_hash(KEY, "chain-a", dict(CONTENT), GENESIS)
    assert h != entry_hash(CONTENT, GENESIS)  # not the plain SHA-256
    assert h != keyed_hash(bytes(32), "chain-a", CONTENT, GENESIS)
    assert h != keyed_hash(KEY, "chain-b", CONTENT, GENESIS)
    assert h != keyed_hash(KEY, "chain-a", {**CONTENT, "actor": "b"}, GENESIS)
    assert h != keyed_hash(KEY, "chain-a", CONTENT, "1" * 64)


def test_key_id_names_the_key_without_revealing_it() -> None:
    assert key_id(KEY) == key_id(bytes(KEY)) and len(key_id(KEY)) == 16
    assert key_id(KEY) != key_id(bytes(32)) and KEY.hex()[:16] != key_id(KEY)


def test_checkpoint_round_trip_and_forgery() -> None:
    point = Checkpoint("chain-a", 12, "ab" * 32, 1, key_id(KEY), "2026-01-01T00:00:00+00:00")
    signed = sign_checkpoint(KEY, point)
    assert checkpoint_valid(KEY, signed)
    line = checkpoint_line(signed)
    assert line.endswith("\n") and parse_checkpoint(line) == signed
    assert not checkpoint_valid(bytes(32), signed)  # another key
    for change in ({"seq": 13}, {"hash": "cd" * 32}, {"chain": "chain-b"}, {"keyed_from": 5}):
        assert not checkpoint_valid(KEY, dataclasses.replace(signed, **change))  # type: ignore[arg-type]
    assert parse_checkpoint("not json") is None and parse_checkpoint('{"seq": 1}') is None
