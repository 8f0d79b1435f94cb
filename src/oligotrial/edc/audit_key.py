"""The audit key: where it comes from, creating it once, and judging its strength.

The key lives outside the database, so a database administrator cannot recompute the chain:
``OLIGOTRIAL_AUDIT_KEY`` (64+ hex digits, e.g. from the server's secret store), else the file
``audit.key`` in the audit folder (``OLIGOTRIAL_AUDIT_DIR``, by default the folder of the
SQLite database or the data folder), created with mode 0600 by ``oligotrial db init`` or by
the first entry of an empty trail. A trail with entries is never given a new key silently:
without its key nothing more is written and ``audit verify`` fails.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from oligotrial.edc.audit_chain import KEY_BYTES, key_id
from oligotrial.errors import StateError

KEY_FILE = "audit.key"
CHECKPOINT_FILE = "audit-checkpoints.jsonl"

_cache: dict[str, bytes] = {}


def audit_dir() -> Path:
    from django.conf import settings

    return Path(getattr(settings, "OLIGOTRIAL_AUDIT_DIR", "oligotrial-data"))


def key_file() -> Path:
    return audit_dir() / KEY_FILE


def checkpoint_file() -> Path:
    return audit_dir() / CHECKPOINT_FILE


def _configured() -> str | None:
    from django.conf import settings

    value = getattr(settings, "OLIGOTRIAL_AUDIT_KEY", None)
    return str(value) if value else None


def parse_key(text: str) -> bytes:
    """Hex digits when the text is hex, else the text's UTF-8 bytes."""
    text = text.strip()
    try:
        return bytes.fromhex(text)
    except ValueError:
        return text.encode("utf-8")


def load_key() -> bytes | None:
    """The configured key, or the key file's, or None when there is none."""
    configured = _configured()
    if configured:
        return parse_key(configured)
    path = key_file()
    cached = _cache.get(str(path))
    if cached is not None:
        return cached
    try:
        key = parse_key(path.read_text(encoding="ascii"))
    except (OSError, UnicodeDecodeError):
        return None
    if key:
        _cache[str(path)] = key
    return key or None


def ensure_key() -> bytes:
    """The key, creating the key file (mode 0600) when no key is configured or stored."""
    key = load_key()
    if key is not None:
        return key
    path = key_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first
        key = load_key()
        if key is None:
            raise StateError(f"the audit key file {path} exists but cannot be read") from None
        return key
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_hex(KEY_BYTES) + "\n")
    key = load_key()
    assert key is not None
    return key


def key_status() -> tuple[bool, str]:
    """For ``oligotrial check``: is there a key, is it long enough, is its file private."""
    key = load_key()
    if key is None:
        return False, (
            f"no audit key: set OLIGOTRIAL_AUDIT_KEY or run 'oligotrial db init' "
            f"(creates {key_file()})"
        )
    if len(key) < KEY_BYTES or len(set(key)) < 8:
        return False, f"the audit key is weak ({len(key)} bytes; use {KEY_BYTES} random bytes)"
    where = "OLIGOTRIAL_AUDIT_KEY"
    if _configured() is None:
        where = str(key_file())
        mode = stat.S_IMODE(key_file().stat().st_mode)
        if mode & 0o077:
            return False, f"{where} is readable by others (mode {mode:o}; chmod 600)"
    return True, f"key {key_id(key)} from {where}"
