"""One transaction per service call, retried when the database asks for it.

SQLite runs every transaction as ``BEGIN IMMEDIATE`` (settings), so writers queue on the
write lock; a "database is locked" after the busy timeout, a PostgreSQL deadlock or
serialization failure rolls everything back and the whole call is retried.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import OperationalError, connection, transaction

P = ParamSpec("P")
R = TypeVar("R")

RETRIES = 8
_RETRYABLE = (
    "database is locked",
    "database table is locked",
    "deadlock detected",
    "could not serialize access",
)


def _retryable(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(marker in text for marker in _RETRYABLE)


def atomic_service(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` in one transaction; retry the whole call on lock conflicts."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if connection.in_atomic_block:  # called inside another service: one transaction
            return func(*args, **kwargs)
        for attempt in range(RETRIES):
            try:
                with transaction.atomic():
                    return func(*args, **kwargs)
            except OperationalError as exc:
                if not _retryable(exc) or attempt == RETRIES - 1:
                    raise
                time.sleep(min(0.5, 0.01 * 2**attempt) * (0.5 + random.random()))
        raise AssertionError("unreachable")

    return wrapper
