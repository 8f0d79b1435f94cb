"""Screen many patients from JSON Lines through the one per-record path, over a process pool.

Every line is decoded as UTF-8, parsed as JSON, validated as a :class:`ScreeningRecord`
(:func:`record_from_data`) and screened by :func:`evaluate`: exactly what one record
gets. Lines go to the processes in chunks and the verdicts come back in line order; a
small input (one chunk) is screened in this process. The first bad line in line order
stops the run, named by its number and field path: not UTF-8, malformed JSON, an invalid
record, or a patient id already given on an earlier line. Blank lines are skipped but
counted, so the numbers are those an editor shows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

import msgspec
import numpy as np

from oligotrial.eligibility.batch_result import BatchResult, Codes
from oligotrial.eligibility.evaluate import evaluate
from oligotrial.eligibility.reading import record_from_data
from oligotrial.eligibility.rules_check import check_protocol
from oligotrial.eligibility.verdicts import OVERALL_CODES, STATUS_CODES
from oligotrial.errors import InputError
from oligotrial.protocol import Protocol

CHUNK = 1000  # lines per task: a progress step, and the most screened without a pool
Line = tuple[int, bytes | str]  # (line number, text)
Progress = Callable[[int], None]


@dataclass(frozen=True)
class _Part:
    """Verdicts of a chunk's lines up to its first bad line (``error``), if any."""

    numbers: list[int]
    patient_ids: list[str]
    status: Codes
    overall: Codes
    error: InputError | None


def _text(line: bytes | str, where: str) -> str:
    if isinstance(line, str):
        return line
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(where, f"not UTF-8 text (byte {exc.start + 1}: {exc.reason})") from None


def _parsed(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"malformed JSON at column {exc.colno}: {exc.msg}") from None


def _data(line: bytes | str, where: str) -> Any:
    """The parsed line. msgspec's decoder reads a line several times faster than ``json``;
    whatever it refuses (malformed JSON, but also NaN, 1e400 or a lone surrogate, which
    ``json`` reads) is read again by ``json``, so that the answer and every error are
    ``json``'s own."""
    try:
        return _decode(line)
    except msgspec.MsgspecError:
        return _parsed(_text(line, where), where)


_decode = msgspec.json.Decoder().decode


def screen_chunk(protocol: Protocol, day: dt.date, lines: list[Line]) -> _Part:
    """Screen ``lines`` in order; stop at the first bad one and return it as ``error``."""
    codes: list[int] = []  # the verdict matrix row after row, made an array once
    overall: list[int] = []
    ids: list[str] = []
    error = None
    for number, line in lines:
        where = f"line {number}"
        try:
            record = record_from_data(_data(line, where), as_of=day, where=where)
        except InputError as exc:
            error = exc
            break
        result = evaluate(protocol, record, checked=True)
        codes += [STATUS_CODES[c.status] for c in result.criteria]
        overall.append(OVERALL_CODES[result.overall])
        ids.append(record.patient_id)
    status = np.array(codes, dtype=np.int8).reshape(len(ids), len(protocol.criteria))
    numbers = [n for n, _ in lines[: len(ids)]]
    return _Part(numbers, ids, status, np.array(overall, dtype=np.int8), error)


def _bytes_lines(data: bytes, first_line: int) -> Iterator[Line]:
    """The non-blank lines of JSON Lines ``data``, numbered as ``bytes.splitlines`` numbers
    them (a line ends at \\n, \\r\\n or \\r), one at a time."""
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    find, start, number = data.find, 0, first_line
    while start < len(data):
        end = find(b"\n", start)
        end = len(data) if end < 0 else end
        line = data[start:end]
        if line.strip():
            yield number, line
        start, number = end + 1, number + 1


def _numbered(data: bytes | Iterable[str | bytes], first_line: int) -> Iterator[Line]:
    if isinstance(data, bytes | bytearray | memoryview):
        return _bytes_lines(bytes(data), first_line)
    numbered = enumerate(data, start=first_line)
    return ((n, line) for n, line in numbered if line.strip())


# What each worker process holds: the protocol and the as-of date (set by its initializer).
_WORKER: tuple[Protocol, dt.date] | None = None


def _start_worker(protocol: Protocol, day: dt.date) -> None:
    global _WORKER
    _WORKER = (protocol, day)


def _work(lines: list[Line]) -> _Part:
    assert _WORKER is not None
    return screen_chunk(*_WORKER, lines)


def _pool(workers: int, protocol: Protocol, day: dt.date) -> ProcessPoolExecutor:
    """Worker processes forked from a clean server process (safe when this process runs
    threads), with the eligibility engine already imported there."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        context.set_forkserver_preload(["oligotrial.eligibility.batch"])
    return ProcessPoolExecutor(workers, context, _start_worker, (protocol, day))


def default_workers() -> int:
    """One process per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _parts(
    chunks: Iterator[list[Line]], protocol: Protocol, day: dt.date, workers: int
) -> Generator[_Part, None, None]:
    """The parts in line order: in this process for a single chunk, else over a pool with a
    few chunks in flight per process (memory stays bounded however long the input)."""
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    if second is None or workers <= 1:
        for chunk in itertools.chain([first], [] if second is None else [second], chunks):
            yield screen_chunk(protocol, day, chunk)
        return
    pending: deque[Future[_Part]] = deque()
    queue = itertools.chain([first, second], chunks)
    with _pool(workers, protocol, day) as pool:
        try:
            for chunk in itertools.islice(queue, 2 * workers):
                pending.append(pool.submit(_work, chunk))
            while pending:
                part = pending.popleft().result()
                for chunk in itertools.islice(queue, 1):
                    pending.append(pool.submit(_work, chunk))
                yield part
        finally:
            # Stopped early (a bad line): drop the queued chunks and let the running ones
            # finish before the pool shuts down (a shut-down with work in flight hung on
            # Python 3.11.2).
            for future in pending:
                future.cancel()
            wait(pending)


def _check_part(part: _Part, seen: dict[str, int]) -> None:
    """Refuse a patient id given on an earlier line, then the part's own bad line."""
    for number, pid in zip(part.numbers, part.patient_ids, strict=True):
        earlier = seen.setdefault(pid, number)
        if earlier != number:
            raise InputError(
                f"line {number}: patient_id", f"{pid!r} is already given on line {earlier}"
            )
    if part.error is not None:
        raise part.error


def screen_lines(
    protocol: Protocol,
    data: bytes | Iterable[str | bytes],
    *,
    as_of: dt.date | None = None,
    workers: int | None = None,
    first_line: int = 1,
    progress: Progress | None = None,
) -> BatchResult:
    """Screen JSON Lines: ``data`` is a file's bytes, or one record per item; lines are
    numbered from ``first_line``. ``workers``: processes (default: one per core; a
    single chunk is screened in this process). ``progress(n)`` is told of each ``n``
    records screened. Raises :class:`InputError` naming the first bad line."""
    check_protocol(protocol)
    day = as_of or dt.date.today()
    lines = _numbered(data, first_line)
    chunks = iter(lambda: list(itertools.islice(lines, CHUNK)), [])
    seen: dict[str, int] = {}
    done: list[_Part] = []
    parts = _parts(chunks, protocol, day, workers or default_workers())
    with contextlib.closing(parts):  # a stop ends the pool at once, not when collected
        for part in parts:
            _check_part(part, seen)
            done.append(part)
            if progress is not None:
                progress(len(part.patient_ids))
    ids = tuple(c.id for c in protocol.criteria)
    kinds = tuple(c.kind for c in protocol.criteria)
    if not done:
        empty = np.empty((0, len(ids)), dtype=np.int8)
        return BatchResult(ids, kinds, (), empty, np.empty(0, dtype=np.int8))
    return BatchResult(
        ids,
        kinds,
        tuple(pid for p in done for pid in p.patient_ids),
        np.concatenate([p.status for p in done]),
        np.concatenate([p.overall for p in done]),
    )
