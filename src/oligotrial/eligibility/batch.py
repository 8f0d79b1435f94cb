"""Screen many patients from JSON Lines.

:func:`screen_lines` takes raw lines and returns a :class:`BatchResult`; :func:`screen_records`
takes parsed records (dicts). Both turn each record into a typed struct checked in C
(:mod:`~oligotrial.eligibility.fast_decode`, generated from the pydantic record), build
numpy columns field by field over the whole batch and finish the model's checks on them
(:mod:`~oligotrial.eligibility.struct_columns`), derive the facts as columns
(:mod:`~oligotrial.eligibility.column_facts`) and evaluate every rule column-wise
(:mod:`~oligotrial.eligibility.column_rules`). A record the structs or the column checks
do not accept as plainly valid goes through the full pydantic model: if it is invalid
the error names its line and field; if it is valid after all, it is screened by the
per-patient evaluator. Both paths give the same verdicts (checked by property tests).
:func:`screen_lines_per_patient` is the straightforward loop, kept as the reference and
the benchmark's anchor.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Sequence
from typing import Any

import numpy as np
import orjson

from oligotrial.eligibility.batch_result import BatchResult
from oligotrial.eligibility.column_facts import column_facts
from oligotrial.eligibility.column_rules import evaluate_columns
from oligotrial.eligibility.columns import Bools
from oligotrial.eligibility.evaluate import evaluate, fact_names
from oligotrial.eligibility.fast_decode import (
    DecodeError,
    ValidationError,
    blank_record,
    record_decoder,
    to_record_struct,
)
from oligotrial.eligibility.reading import parse_json, record_from_data
from oligotrial.eligibility.rules_check import check_protocol, derivation_settings
from oligotrial.eligibility.struct_columns import struct_columns
from oligotrial.eligibility.verdicts import OVERALL_CODES, STATUS_CODES
from oligotrial.errors import InputError
from oligotrial.protocol import Protocol


def _criteria(protocol: Protocol) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(c.id for c in protocol.criteria), tuple(c.kind for c in protocol.criteria)


def screen_lines_per_patient(
    protocol: Protocol,
    lines: Sequence[str | bytes],
    *,
    as_of: dt.date | None = None,
    first_line: int = 1,
) -> BatchResult:
    """The straightforward loop: parse, validate with pydantic, evaluate, one at a time."""
    check_protocol(protocol)
    ids, kinds = _criteria(protocol)
    status = np.empty((len(lines), len(ids)), dtype=np.int8)
    overall = np.empty(len(lines), dtype=np.int8)
    patients = []
    for i, line in enumerate(lines):
        where = f"line {first_line + i}"
        text = line.decode("utf-8") if isinstance(line, bytes) else line
        record = record_from_data(parse_json(text, where), as_of=as_of, where=where)
        result = evaluate(protocol, record, checked=True)
        status[i] = [STATUS_CODES[c.status] for c in result.criteria]
        overall[i] = OVERALL_CODES[result.overall]
        patients.append(record.patient_id)
    return BatchResult(ids, kinds, tuple(patients), status, overall)


def _parse(lines: Sequence[str | bytes], first_line: int) -> list[Any]:
    loads = orjson.loads
    records: list[Any] = []
    for i, line in enumerate(lines):
        try:
            records.append(loads(line))
        except orjson.JSONDecodeError:
            text = line.decode("utf-8", "replace") if isinstance(line, bytes) else line
            try:
                json.loads(text)
            except json.JSONDecodeError as exc:
                problem = f"malformed JSON at column {exc.colno}: {exc.msg}"
            else:  # pragma: no cover - orjson is stricter only on exotic input
                problem = "malformed JSON"
            raise InputError(f"line {first_line + i}", problem) from None
    return records


def _structs(items: Sequence[Any], to_struct: Any) -> tuple[list[Any], Bools]:
    """Each item as a checked struct; a blank one where ``to_struct`` refuses (odd)."""
    blank = blank_record()
    structs: list[Any] = []
    odd = np.zeros(len(items), dtype=bool)
    for i, item in enumerate(items):
        try:
            structs.append(to_struct(item))
        except (DecodeError, ValidationError):
            structs.append(blank)
            odd[i] = True
    return structs, odd


def _screen_structs(
    protocol: Protocol,
    structs: list[Any],
    odd: Bools,
    day: dt.date,
    fallback: Any,
    first_line: int,
) -> BatchResult:
    ids, kinds = _criteria(protocol)
    n = len(structs)
    columns = struct_columns(structs, odd, day)
    facts = column_facts(columns, derivation_settings(protocol), fact_names(protocol))
    status, overall = evaluate_columns(protocol, facts, n)
    patients = list(columns.text["patient_id"])
    for i in (int(k) for k in np.flatnonzero(columns.odd)):
        where = f"line {first_line + i}"
        record = record_from_data(fallback(i), as_of=day, where=where)
        result = evaluate(protocol, record, checked=True)
        status[i] = [STATUS_CODES[c.status] for c in result.criteria]
        overall[i] = OVERALL_CODES[result.overall]
        patients[i] = record.patient_id
    return BatchResult(ids, kinds, tuple(patients), status, overall)


_CHUNK = 1024  # records screened together: large enough for numpy, small enough for caches


def _starts(n: int) -> range:
    """First positions of the chunks of ``n`` records (one empty chunk when ``n`` is 0)."""
    return range(0, max(n, 1), _CHUNK)


def screen_records(
    protocol: Protocol, records: Sequence[Any], *, as_of: dt.date | None = None, first_line: int = 1
) -> BatchResult:
    """Screen parsed records (dicts) column-wise; odd ones through the pydantic model."""
    check_protocol(protocol)
    day = as_of or dt.date.today()
    parts = []
    for start in _starts(len(records)):
        chunk = records[start : start + _CHUNK]
        structs, odd = _structs(chunk, to_record_struct)
        parts.append(
            _screen_structs(protocol, structs, odd, day, chunk.__getitem__, first_line + start)
        )
    return BatchResult.joined(parts)


def _screen_chunk(
    protocol: Protocol, lines: Sequence[str | bytes], day: dt.date, first_line: int
) -> BatchResult:
    structs, odd = _structs(lines, record_decoder().decode)

    def fallback(i: int) -> Any:
        return _parse([lines[i]], first_line + i)[0]

    # malformed JSON is reported in line order before anything else
    for i in np.flatnonzero(odd).tolist():
        fallback(i)
    return _screen_structs(protocol, structs, odd, day, fallback, first_line)


def screen_lines(
    protocol: Protocol,
    lines: Sequence[str | bytes],
    *,
    as_of: dt.date | None = None,
    first_line: int = 1,
) -> BatchResult:
    """Screen ``lines`` (one JSON record each) on the fast column-wise path.

    Lines are screened in chunks of a few thousand, so that each record's objects are
    still in the processor's caches when its columns are built, and are freed soon after.
    The garbage collector is paused meanwhile: parsing creates many small objects that
    are freed by reference counting anyway, so collecting them would only cost time.
    A chunk with a record the model refuses stops the run: malformed JSON is reported
    first, then the first invalid record, each naming its line.
    """
    check_protocol(protocol)
    day = as_of or dt.date.today()
    paused = gc.isenabled()
    gc.disable()
    try:
        return BatchResult.joined(
            [
                _screen_chunk(protocol, lines[start : start + _CHUNK], day, first_line + start)
                for start in _starts(len(lines))
            ]
        )
    finally:
        if paused:
            gc.enable()
