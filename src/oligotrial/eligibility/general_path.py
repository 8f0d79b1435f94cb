"""The general batch path: msgspec structs for what the compiled decoder declines (or for
parsed records), the pydantic model for what the structs refuse.

Records the structs accept are screened column-wise (:mod:`.struct_columns`); a record
the structs or the column checks do not accept as plainly valid goes through the full
pydantic model: if it is invalid the error names its line and field; if it is valid
after all, it is screened by the per-patient evaluator.
"""

from __future__ import annotations

import datetime as dt
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
)
from oligotrial.eligibility.reading import record_from_data
from oligotrial.eligibility.rules_check import derivation_settings
from oligotrial.eligibility.struct_columns import struct_columns
from oligotrial.eligibility.verdicts import OVERALL_CODES, STATUS_CODES
from oligotrial.errors import InputError
from oligotrial.protocol import Protocol


def criteria(protocol: Protocol) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(c.id for c in protocol.criteria), tuple(c.kind for c in protocol.criteria)


def parse_lines(lines: Sequence[str | bytes], first_line: int) -> list[Any]:
    """Parse each line as JSON; malformed JSON is an error naming its line and column."""
    loads = orjson.loads
    records: list[Any] = []
    for i, line in enumerate(lines):
        try:
            records.append(loads(line))
        except orjson.JSONDecodeError:
            if isinstance(line, bytes):
                utf8_text(line, first_line + i)
            text = line.decode("utf-8", "replace") if isinstance(line, bytes) else line
            try:
                json.loads(text)
            except json.JSONDecodeError as exc:
                problem = f"malformed JSON at column {exc.colno}: {exc.msg}"
            else:  # pragma: no cover - orjson is stricter only on exotic input
                problem = "malformed JSON"
            raise InputError(f"line {first_line + i}", problem) from None
    return records


def utf8_text(line: bytes, number: int) -> str:
    """``line`` as text; not UTF-8 is an error naming line ``number`` and the byte."""
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"line {number}", f"not UTF-8 text (byte {exc.start + 1}: {exc.reason})"
        ) from None


def structs_of(items: Sequence[Any], to_struct: Any) -> tuple[list[Any], Bools]:
    """Each item as a checked struct; a blank one where ``to_struct`` refuses (odd)."""
    blank = blank_record()
    structs: list[Any] = []
    odd = np.zeros(len(items), dtype=bool)
    for i, item in enumerate(items):
        try:
            structs.append(to_struct(item))
        except (DecodeError, ValidationError, UnicodeDecodeError):
            structs.append(blank)
            odd[i] = True
    return structs, odd


def screen_structs(
    protocol: Protocol,
    structs: list[Any],
    odd: Bools,
    day: dt.date,
    fallback: Any,
    numbers: Sequence[int],
) -> BatchResult:
    """Screen structs column-wise, odd ones (``fallback(i)`` gives record i as parsed
    JSON) through the pydantic model and the per-patient evaluator."""
    ids, kinds = criteria(protocol)
    n = len(structs)
    columns = struct_columns(structs, odd, day)
    facts = column_facts(columns, derivation_settings(protocol), fact_names(protocol))
    status, overall = evaluate_columns(protocol, facts, n)
    patients = list(columns.text["patient_id"])
    for i in (int(k) for k in np.flatnonzero(columns.odd)):
        where = f"line {numbers[i]}"
        record = record_from_data(fallback(i), as_of=day, where=where)
        result = evaluate(protocol, record, checked=True)
        status[i] = [STATUS_CODES[c.status] for c in result.criteria]
        overall[i] = OVERALL_CODES[result.overall]
        patients[i] = record.patient_id
    return BatchResult(ids, kinds, tuple(patients), status, overall)


def screen_general(
    protocol: Protocol, lines: Sequence[str | bytes], day: dt.date, numbers: Sequence[int]
) -> BatchResult:
    """The general path for ``lines`` (line ``numbers[i]`` each). The first line that is
    not JSON or not a valid record, in line order, stops the run naming it."""
    structs, odd = structs_of(lines, record_decoder().decode)

    def fallback(i: int) -> Any:
        return parse_lines([lines[i]], numbers[i])[0]

    return screen_structs(protocol, structs, odd, day, fallback, numbers)
