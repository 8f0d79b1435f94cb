"""Screen many patients from JSON Lines.

:func:`screen_lines` takes raw lines and returns a :class:`BatchResult`. The fast path
decodes each line into typed structs checked in C (:mod:`~oligotrial.eligibility.fast_decode`,
generated from the pydantic record), extracts rows and columns without building pydantic
models (:mod:`~oligotrial.eligibility.columns`), derives the facts as numpy
columns and evaluates every rule column-wise (:mod:`~oligotrial.eligibility.vectorised`).
A record the lean check does not recognise as plainly valid goes through the full
pydantic model: if it is invalid the error names its line and field; if it is valid
after all, it is screened by the per-patient evaluator. Both paths give the same
verdicts (checked by property tests). :func:`screen_lines_per_patient` is the
straightforward loop, kept as the reference and the benchmark's anchor.
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
from oligotrial.eligibility.columns import build_columns
from oligotrial.eligibility.evaluate import evaluate, fact_names
from oligotrial.eligibility.fast_decode import DecodeError, record_decoder
from oligotrial.eligibility.lean_extract import extract
from oligotrial.eligibility.reading import parse_json, record_from_data
from oligotrial.eligibility.rows import LeanRows, Odd
from oligotrial.eligibility.rules_check import check_protocol, derivation_settings
from oligotrial.eligibility.struct_extract import extract_struct
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


def _decode_lines(lines: Sequence[str | bytes]) -> LeanRows:
    """Decode each line into a struct and extract its rows; the others become odd."""
    decode = record_decoder().decode
    rows = LeanRows()
    for i, line in enumerate(lines):
        try:
            extract_struct(i, decode(line), rows)
        except (DecodeError, Odd):
            rows.odd.append(i)
    return rows


def _screen_rows(
    protocol: Protocol,
    rows: LeanRows,
    n: int,
    day: dt.date,
    fallback: Any,
    first_line: int,
) -> BatchResult:
    ids, kinds = _criteria(protocol)
    columns = build_columns(rows, n, day)
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


def screen_records(
    protocol: Protocol, records: Sequence[Any], *, as_of: dt.date | None = None, first_line: int = 1
) -> BatchResult:
    """Screen parsed records (dicts) column-wise; odd ones through the pydantic model."""
    check_protocol(protocol)
    day = as_of or dt.date.today()
    rows = extract(records)
    return _screen_rows(protocol, rows, len(records), day, records.__getitem__, first_line)


def screen_lines(
    protocol: Protocol,
    lines: Sequence[str | bytes],
    *,
    as_of: dt.date | None = None,
    first_line: int = 1,
) -> BatchResult:
    """Screen ``lines`` (one JSON record each) on the fast column-wise path.

    The garbage collector is paused meanwhile: parsing creates millions of small objects
    that all stay alive, so collecting them repeatedly would only cost time.
    """
    check_protocol(protocol)
    day = as_of or dt.date.today()
    paused = gc.isenabled()
    gc.disable()
    try:
        rows = _decode_lines(lines)

        def fallback(i: int) -> Any:
            return _parse([lines[i]], first_line + i)[0]

        # malformed JSON is reported in line order before anything else
        for i in rows.odd:
            fallback(i)
        return _screen_rows(protocol, rows, len(lines), day, fallback, first_line)
    finally:
        if paused:
            gc.enable()
