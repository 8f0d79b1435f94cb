"""Screen many patients from JSON Lines.

:func:`screen_jsonl` takes the bytes of a JSON Lines file, :func:`screen_lines` a list of
lines, :func:`screen_records` parsed records (dicts); each returns a :class:`BatchResult`.
Lines are decoded straight into columns by a compiled decoder (:mod:`.json_kernel`,
:mod:`.json_columns`); facts are derived as columns (:mod:`.column_facts`) and every rule
evaluated column-wise (:mod:`.column_rules`), several processes sharing a large batch
(:mod:`.json_batch`). What the decoder declines, and parsed records, take the general
path (:mod:`.general_path`): typed structs checked in C, and the full pydantic model for
what they refuse, whose errors name the line and field. All paths give the same verdicts
as the per-patient evaluator (checked by property tests).
:func:`screen_lines_per_patient` is the straightforward loop, kept as the reference and
the benchmark's anchor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np

from oligotrial.eligibility.batch_result import BatchResult
from oligotrial.eligibility.evaluate import evaluate
from oligotrial.eligibility.fast_decode import to_record_struct
from oligotrial.eligibility.general_path import criteria, screen_structs, structs_of, utf8_text
from oligotrial.eligibility.json_batch import Ints, screen_buffer
from oligotrial.eligibility.json_scan import line_bounds, not_blank
from oligotrial.eligibility.reading import parse_json, record_from_data
from oligotrial.eligibility.rules_check import check_protocol
from oligotrial.eligibility.verdicts import OVERALL_CODES, STATUS_CODES
from oligotrial.protocol import Protocol


def screen_lines_per_patient(
    protocol: Protocol,
    lines: Sequence[str | bytes],
    *,
    as_of: dt.date | None = None,
    first_line: int = 1,
) -> BatchResult:
    """The straightforward loop: parse, validate with pydantic, evaluate, one at a time."""
    check_protocol(protocol)
    ids, kinds = criteria(protocol)
    status = np.empty((len(lines), len(ids)), dtype=np.int8)
    overall = np.empty(len(lines), dtype=np.int8)
    patients = []
    for i, line in enumerate(lines):
        where = f"line {first_line + i}"
        text = utf8_text(line, first_line + i) if isinstance(line, bytes) else line
        record = record_from_data(parse_json(text, where), as_of=as_of, where=where)
        result = evaluate(protocol, record, checked=True)
        status[i] = [STATUS_CODES[c.status] for c in result.criteria]
        overall[i] = OVERALL_CODES[result.overall]
        patients.append(record.patient_id)
    return BatchResult(ids, kinds, tuple(patients), status, overall)


_RECORD_CHUNK = 1024  # parsed records screened together


def screen_records(
    protocol: Protocol, records: Sequence[Any], *, as_of: dt.date | None = None, first_line: int = 1
) -> BatchResult:
    """Screen parsed records (dicts) column-wise; odd ones through the pydantic model."""
    check_protocol(protocol)
    day = as_of or dt.date.today()
    parts = []
    for start in range(0, max(len(records), 1), _RECORD_CHUNK):
        chunk = records[start : start + _RECORD_CHUNK]
        structs, odd = structs_of(chunk, to_record_struct)
        numbers = range(first_line + start, first_line + start + len(chunk))
        parts.append(screen_structs(protocol, structs, odd, day, chunk.__getitem__, numbers))
    return BatchResult.joined(parts)


def screen_lines(
    protocol: Protocol,
    lines: Sequence[str | bytes],
    *,
    as_of: dt.date | None = None,
    first_line: int = 1,
    workers: int | None = None,
) -> BatchResult:
    """Screen ``lines`` (one JSON record each, numbered from ``first_line``)."""
    encoded = [line.encode("utf-8") if isinstance(line, str) else line for line in lines]
    ends = np.cumsum([len(line) + 1 for line in encoded], dtype=np.int64) - 1
    starts = ends - np.array([len(line) for line in encoded], dtype=np.int64)
    numbers = np.arange(first_line, first_line + len(lines), dtype=np.int64)
    data = b"\n".join(encoded)
    return screen_buffer(protocol, data, starts, ends, numbers, as_of or dt.date.today(), workers)


def jsonl_records(data: bytes) -> tuple[Ints, Ints, Ints]:
    """(start, end, line number) of each record of JSON Lines ``data``: lines as
    ``bytes.splitlines`` numbers them from 1, blank ones skipped."""
    buf = np.frombuffer(data, dtype=np.uint8)
    if data.find(b"\r") >= 0:  # lines may also end at \r or \r\n
        return line_bounds(buf)  # type: ignore[no-any-return]
    ends, find, i = [], data.find, 0  # memchr is the fastest way to the newlines
    while (j := find(b"\n", i)) >= 0:
        ends.append(j)
        i = j + 1
    if i < len(data):
        ends.append(len(data))
    stop = np.array(ends, dtype=np.int64)
    start = np.concatenate([[0], stop[:-1] + 1]).astype(np.int64)[: len(stop)]
    keep = not_blank(buf, start, stop)
    return start[keep], stop[keep], np.flatnonzero(keep) + 1


def screen_jsonl(
    protocol: Protocol, data: bytes, *, as_of: dt.date | None = None, workers: int | None = None
) -> BatchResult:
    """Screen the records of JSON Lines ``data`` (the bytes of a ``.jsonl`` file)."""
    starts, ends, numbers = jsonl_records(data)
    return screen_buffer(protocol, data, starts, ends, numbers, as_of or dt.date.today(), workers)
