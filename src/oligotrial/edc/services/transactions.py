"""One transaction per service call, retried when the database asks for it.

SQLite runs every transaction as ``BEGIN IMMEDIATE`` (settings), so writers queue on the
write lock; a "database is locked" after the busy timeout, a PostgreSQL deadlock or
serialization failure rolls everything back and the whole call is retried.

A constraint the database refuses is reported by its real cause, never as a raw database
error: a unique constraint as a :class:`~oligotrial.errors.ConflictError` (the record exists,
typically just created by a concurrent call), a foreign key, check or not-null constraint
as an :class:`~oligotrial.errors.InputError` naming the column; a value PostgreSQL cannot
store (a NUL byte, a text longer than its column) as an InputError too.

Work a call defers with :func:`defer_to_end` (the audit entries it records) runs once, at the
end of the outermost service call and still inside its transaction: what is locked there
(the audit chain head) is held from then to the commit only, not for the whole call.

A refusal that must leave a trace although the call rolls back (a change of frozen data)
carries an ``after_rollback`` step: the outermost call runs it once the transaction is
rolled back, in a transaction of its own, and raises the refusal after it.
"""

from __future__ import annotations

import contextlib
import functools
import random
import re
from collections.abc import Callable
from contextvars import ContextVar
from time import sleep
from typing import Any, ParamSpec, TypeVar

from django.db import DataError, IntegrityError, OperationalError, connection, transaction

from oligotrial.errors import ConflictError, InputError, OligotrialError

P = ParamSpec("P")
R = TypeVar("R")

RETRIES = 8
_RETRYABLE = (
    "database is locked",
    "database table is locked",
    "deadlock detected",
    "could not serialize access",
)


class ServiceCall:
    """One attempt of the outermost service call, and the work deferred to its end."""

    __slots__ = ("_deferred",)

    def __init__(self) -> None:
        self._deferred: dict[str, tuple[Callable[[list[Any]], None], list[Any]]] = {}

    def defer(self, name: str, item: Any, run: Callable[[list[Any]], None]) -> None:
        self._deferred.setdefault(name, (run, []))[1].append(item)

    def finish(self) -> None:
        """Run the deferred work, each kind once with all its items in order."""
        while self._deferred:
            name = next(iter(self._deferred))
            run, items = self._deferred.pop(name)
            run(items)


#: The service call running now (one per attempt of the outermost call), so that what a call
#: has read and checked once (the acting user) is not read again within it.
CURRENT_CALL: ContextVar[ServiceCall | None] = ContextVar("oligotrial_service_call", default=None)


def defer_to_end(name: str, item: Any, run: Callable[[list[Any]], None]) -> bool:
    """Hand ``item`` to ``run`` at the end of the current service call, in its transaction.

    ``run`` is called once per call with every item deferred under ``name``, after the
    call's own work and before its commit; nothing runs when the call fails. False when no
    service call is running (the caller then does the work at once)."""
    call = CURRENT_CALL.get() if connection.in_atomic_block else None
    if call is None:
        return False
    call.defer(name, item, run)
    return True


# PostgreSQL SQLSTATE codes of integrity violations.
_UNIQUE, _FOREIGN_KEY, _CHECK, _NOT_NULL = "23505", "23503", "23514", "23502"


def _retryable(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(marker in text for marker in _RETRYABLE)


def _cause(exc: IntegrityError) -> tuple[str, str]:
    """(kind, detail): kind one of unique, foreign_key, check, not_null, other."""
    source = exc.__cause__
    state = getattr(source, "sqlstate", None)
    if state is not None:  # PostgreSQL (psycopg): the SQLSTATE and the diagnostics say it
        diag = getattr(source, "diag", None)
        detail = (
            getattr(diag, "constraint_name", None)
            or getattr(diag, "column_name", None)
            or getattr(diag, "message_detail", None)
            or ""
        )
        kind = {_UNIQUE: "unique", _FOREIGN_KEY: "foreign_key", _CHECK: "check"}.get(state)
        kind = kind or ("not_null" if state == _NOT_NULL else "other")
        if kind == "not_null" and diag is not None:
            detail = f"{diag.table_name}.{diag.column_name}"
        return kind, str(detail)
    text = str(exc)  # SQLite: "UNIQUE constraint failed: edc_lesion.patient_id, ..."
    match = re.match(r"(UNIQUE|FOREIGN KEY|CHECK|NOT NULL) constraint failed:?\s*(.*)", text)
    if match is None:
        return "other", text
    kinds = {"UNIQUE": "unique", "FOREIGN KEY": "foreign_key", "CHECK": "check"}
    return kinds.get(match.group(1), "not_null"), match.group(2)


def integrity_error(exc: IntegrityError) -> OligotrialError:
    """The domain error for a constraint the database refused, by its real cause."""
    kind, detail = _cause(exc)
    where = f" ({detail})" if detail else ""
    if kind == "unique":
        return ConflictError(
            f"this record already exists{where}; it may have just been entered by someone "
            "else: reload it, and correct it instead of entering it again"
        )
    if kind == "foreign_key":
        return InputError("reference", f"refers to a record that does not exist{where}")
    if kind == "check":
        return InputError("value", f"refused by the database's rule{where}")
    if kind == "not_null":
        return InputError(detail.rsplit(".", 1)[-1] or "value", "a value is required")
    return ConflictError(f"the database refused the change: {detail}")


def _after_rollback(exc: OligotrialError) -> None:
    """Run the refusal's own step (its audit entry) now that the call is rolled back; a
    failure of that step never hides the refusal itself."""
    step = getattr(exc, "after_rollback", None)
    if step is not None:
        with contextlib.suppress(OligotrialError):
            step()


def atomic_service(func: Callable[P, R]) -> Callable[P, R]:
    """Run ``func`` in one transaction; retry the whole call on lock conflicts."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if connection.in_atomic_block:  # inside another service or the caller's transaction
            if CURRENT_CALL.get() is not None:  # inside another service: its call
                return func(*args, **kwargs)
            call = ServiceCall()
            token = CURRENT_CALL.set(call)
            try:
                result = func(*args, **kwargs)
                call.finish()
                return result
            finally:
                CURRENT_CALL.reset(token)
        for attempt in range(RETRIES):
            call = ServiceCall()
            token = CURRENT_CALL.set(call)
            try:
                with transaction.atomic():
                    result = func(*args, **kwargs)
                    call.finish()
                    return result
            except IntegrityError as exc:
                raise integrity_error(exc) from exc
            except DataError as exc:  # PostgreSQL: a NUL byte, a text too long for its column
                raise InputError("value", f"cannot be stored: {exc}".strip()) from exc
            except OperationalError as exc:
                if not _retryable(exc) or attempt == RETRIES - 1:
                    raise
            except OligotrialError as exc:
                _after_rollback(exc)
                raise
            finally:
                CURRENT_CALL.reset(token)
            # rolled back on a lock conflict: wait a little (more each time), then again
            sleep(min(0.5, 0.01 * 2**attempt) * (0.5 + random.random()))
        raise AssertionError("unreachable")

    return wrapper
