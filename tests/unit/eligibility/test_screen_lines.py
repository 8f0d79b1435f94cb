"""Many records (JSON Lines) go down the one per-record path: the verdicts are those of
``evaluate`` on each record, in line order, with one process or several; the first bad line
in line order is named (number and field path); a patient id given twice is refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from eligibility_kit import AS_OF, PROTOCOL, ROOT

import oligotrial.eligibility.batch as batch
from oligotrial.eligibility import BatchResult, screen_lines
from oligotrial.eligibility.evaluate import evaluate
from oligotrial.eligibility.reading import record_from_data
from oligotrial.eligibility.verdicts import OVERALL_CODES, STATUS_CODES
from oligotrial.errors import InputError

_ALL = ROOT / "examples" / "screening" / "all-examples.jsonl"
EXAMPLES = [json.loads(line) for line in _ALL.read_text("utf-8").splitlines()]


def _records(count: int) -> list[dict[str, Any]]:
    """``count`` example records with distinct patient ids."""
    return [EXAMPLES[i % len(EXAMPLES)] | {"patient_id": f"P{i:04d}"} for i in range(count)]


def _lines(records: list[dict[str, Any]]) -> list[str]:
    return [json.dumps(r, ensure_ascii=False) for r in records]


def _expected(records: list[dict[str, Any]]) -> tuple[list[list[int]], list[int]]:
    status, overall = [], []
    for data in records:
        result = evaluate(PROTOCOL, record_from_data(data, as_of=AS_OF))
        status.append([STATUS_CODES[c.status] for c in result.criteria])
        overall.append(OVERALL_CODES[result.overall])
    return status, overall


def _got(result: BatchResult) -> tuple[list[list[int]], list[int]]:
    return result.status.tolist(), result.overall.tolist()


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of 7 lines: a few dozen records already go through the process pool."""
    monkeypatch.setattr(batch, "CHUNK", 7)


def test_verdicts_are_those_of_evaluate_on_each_record() -> None:
    records = _records(len(EXAMPLES))
    result = screen_lines(PROTOCOL, _lines(records), as_of=AS_OF)
    assert _got(result) == _expected(records)
    assert result.patient_ids == tuple(r["patient_id"] for r in records)
    assert set(result.overall.tolist()) == {0, 1, 2}


@pytest.mark.usefixtures("small_chunks")
def test_a_pool_of_two_gives_the_verdicts_of_one_process_in_line_order() -> None:
    records = _records(60)
    data = "\n".join(_lines(records)).encode()
    one = screen_lines(PROTOCOL, data, as_of=AS_OF, workers=1)
    two = screen_lines(PROTOCOL, data, as_of=AS_OF, workers=2)
    assert _got(two) == _got(one) == _expected(records)
    assert two.patient_ids == one.patient_ids == tuple(r["patient_id"] for r in records)


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("workers", [1, 2])
def test_the_first_bad_line_in_line_order_is_named(workers: int) -> None:
    lines = _lines(_records(60))
    lines[24] = json.dumps(json.loads(lines[24]) | {"ecog": 9})
    lines[3] = lines[3][:-1]  # cut short: not JSON, an earlier line than the bad record
    lines[50] = "{bad"
    with pytest.raises(InputError, match=r"^line 4: malformed JSON at column"):
        screen_lines(PROTOCOL, lines, as_of=AS_OF, workers=workers)
    lines[3] = json.dumps(_records(4)[3])
    with pytest.raises(InputError, match=r"^line 25: ecog: Input should be less than"):
        screen_lines(PROTOCOL, lines, as_of=AS_OF, workers=workers)
    with pytest.raises(InputError, match=r"^line 30: ecog"):
        screen_lines(PROTOCOL, lines, as_of=AS_OF, workers=workers, first_line=6)


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("workers", [1, 2])
def test_a_patient_id_given_twice_names_both_lines(workers: int) -> None:
    records = _records(40)
    records[33]["patient_id"] = records[2]["patient_id"]
    records[35]["ecog"] = 9  # a later bad line does not hide the duplicate
    with pytest.raises(InputError) as caught:
        screen_lines(PROTOCOL, _lines(records), as_of=AS_OF, workers=workers)
    assert caught.value.field == "line 34: patient_id"
    assert caught.value.problem == "'P0002' is already given on line 3"


def test_a_duplicate_after_a_bad_line_leaves_the_bad_line_named() -> None:
    records = _records(5)
    records[4]["patient_id"] = "P0000"
    lines = _lines(records)
    lines[2] = "[]"
    with pytest.raises(InputError, match=r"^line 3: a screening record must be a JSON object"):
        screen_lines(PROTOCOL, lines, as_of=AS_OF)


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_blank_lines_are_skipped_but_counted(newline: bytes) -> None:
    good = [line.encode() for line in _lines(_records(3))]
    data = newline.join([good[0], b"", b"  \t", good[1], good[2]]) + newline
    result = screen_lines(PROTOCOL, data, as_of=AS_OF)
    assert result.patient_ids == ("P0000", "P0001", "P0002")
    bad = newline.join([good[0], b"", b" ", good[1], b'{"patient_id": "x"}', good[2]])
    with pytest.raises(InputError, match=r"^line 5: screening_date: required field is missing"):
        screen_lines(PROTOCOL, bad, as_of=AS_OF)


def test_text_that_is_not_utf8_is_named_with_its_byte() -> None:
    good = _lines(_records(2))[0].encode()
    words = r"^line 2: not UTF-8 text \(byte 17: invalid start byte\)"
    with pytest.raises(InputError, match=words):
        screen_lines(PROTOCOL, good + b'\n{"patient_id": "\xff"}\n', as_of=AS_OF)


@pytest.mark.usefixtures("small_chunks")
def test_progress_is_told_of_every_record_and_nothing_when_empty() -> None:
    told: list[int] = []
    result = screen_lines(PROTOCOL, _lines(_records(30)), as_of=AS_OF, progress=told.append)
    assert told == [7, 7, 7, 7, 2] and len(result) == 30
    told.clear()
    empty = screen_lines(PROTOCOL, b"\n \n", as_of=AS_OF, progress=told.append)
    assert len(empty) == 0 and empty.status.shape == (0, len(PROTOCOL.criteria))
    assert told == []


def test_summary_counts_each_criterion() -> None:
    result = screen_lines(PROTOCOL, _lines(_records(len(EXAMPLES))), as_of=AS_OF)
    summary = result.summary()
    assert summary["patients"] == 42
    assert summary["overall"] == {"ineligible": 33, "eligible": 7, "incomplete": 2}
    by_id = {row["id"]: row for row in summary["criteria"]}
    assert by_id["I9"] == {"id": "I9", "fail": 2, "fail_alone": 2, "cannot_tell": 0}


_SURVIVAL = "attestations.expected_survival_months"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("NaN", f"line 1: {_SURVIVAL}"),  # json reads NaN, msgspec does not
        ("1e400", f"line 1: {_SURVIVAL}"),  # json reads infinity, msgspec does not
        ("12,}", "line 1"),  # malformed: json's own message
    ],
)
def test_a_line_the_fast_decoder_refuses_is_read_as_json_reads_it(text: str, field: str) -> None:
    given = '"expected_survival_months": 12'
    line = _lines(_records(1))[0]
    assert given in line
    line = line.replace(given, f'"expected_survival_months": {text}', 1)
    with pytest.raises(InputError) as batch_error:
        screen_lines(PROTOCOL, [line], as_of=AS_OF)
    try:
        record_from_data(json.loads(line), as_of=AS_OF, where="line 1")
    except (InputError, json.JSONDecodeError) as exc:
        one = exc
    assert batch_error.value.field == field
    if isinstance(one, InputError):
        assert str(batch_error.value) == str(one)
    else:
        assert f"malformed JSON at column {one.colno}: {one.msg}" in str(batch_error.value)


def test_a_lone_surrogate_is_refused_as_for_the_record_json_reads() -> None:
    record = _records(1)[0] | {"patient_id": "P\ud800"}
    line = json.dumps(record)  # ASCII with the escape \ud800, which msgspec refuses
    with pytest.raises(InputError) as batch_error:
        screen_lines(PROTOCOL, [line], as_of=AS_OF)
    with pytest.raises(InputError) as one:
        record_from_data(json.loads(line), as_of=AS_OF, where="line 1")
    assert str(batch_error.value) == str(one.value)
    assert batch_error.value.field == "line 1: patient_id"
