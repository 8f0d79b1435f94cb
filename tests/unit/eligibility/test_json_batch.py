"""The scans of JSON Lines bytes (:mod:`.json_scan`), the multi-process batch
(:mod:`.json_batch`) and the decoder's list capacity: equal texts get equal codes, lines
are numbered as ``bytes.splitlines`` numbers them, several processes give what one gives
(the first invalid line in line order is the one named), and records beyond the reserved
list rows are screened by the general path."""

from __future__ import annotations

import copy
import math
import pickle
import random
from typing import Any

import numpy as np
import pytest
from eligibility_kit import AS_OF, PROTOCOL, ROOT
from hypothesis import example, given
from hypothesis import strategies as st
from test_batch_agrees import EXAMPLES, lesion_records, records
from test_json_decoder import (
    BASE,
    MANY,
    SOME,
    _accepted,
    _assert_agree_with_structs,
    _assert_same_columns,
    _assert_screened_like_per_patient,
    _decode,
    _decoded_columns,
    _line,
    _many_lesions,
    _same,
    _verdicts,
)

from oligotrial.eligibility.batch import (
    jsonl_records,
    screen_jsonl,
    screen_lines,
    screen_lines_per_patient,
)
from oligotrial.eligibility.json_columns import decoded_columns
from oligotrial.eligibility.json_layout import CAPACITY
from oligotrial.eligibility.json_scan import intern, line_bounds, not_blank
from oligotrial.errors import InputError, ProtocolError


@st.composite
def text_lists(draw: st.DrawFn) -> list[bytes | None]:
    """Texts with repeats, shared 16-byte prefixes, empty texts and missing ones."""
    prefix = draw(st.binary(min_size=16, max_size=16))
    pool = [
        *draw(st.lists(st.binary(max_size=20), min_size=1, max_size=6)),
        *(prefix + s for s in draw(st.lists(st.binary(max_size=8), min_size=1, max_size=6))),
        prefix[: draw(st.integers(0, 16))],
        b"",
    ]
    item = st.one_of(st.none(), st.sampled_from(pool), st.binary(max_size=40))
    return draw(st.lists(item, max_size=60))


def _keys(text: bytes) -> tuple[int, int]:
    head = text[:16].ljust(16, b"\0")
    return int.from_bytes(head[:8], "little"), int.from_bytes(head[8:], "little")


@MANY
@given(text_lists(), st.randoms(use_true_random=False))
@example(
    [b"a" * 16 + b"x", b"a" * 16 + b"y", b"a" * 16 + b"x", b"a" * 16, None, b""], random.Random(0)
)
def test_intern_codes_equal_iff_texts_equal(texts: list[bytes | None], rnd: random.Random) -> None:
    data = bytearray()
    starts, lengths = [], []
    placed: dict[bytes, int] = {}
    for text in texts:
        if text is None:
            starts.append(rnd.randrange(len(data) + 1))
            lengths.append(-1)
            continue
        if text in placed and rnd.random() < 0.3:  # the same bytes again
            starts.append(placed[text])
        else:
            data += bytes(rnd.randrange(256) for _ in range(rnd.randrange(3)))
            placed[text] = len(data)
            starts.append(len(data))
            data += text
        lengths.append(len(text))
    keys = [_keys(t or b"") for t in texts]
    codes, first = intern(
        np.frombuffer(bytes(data), dtype=np.uint8),
        np.array(starts, dtype=np.int64),
        np.array(lengths, dtype=np.int64),
        np.array([k[0] for k in keys], dtype=np.uint64),
        np.array([k[1] for k in keys], dtype=np.uint64),
    )
    codes, first = codes.tolist(), first.tolist()
    distinct = list(dict.fromkeys(t for t in texts if t is not None))
    assert len(first) == len(distinct)
    for i, text in enumerate(texts):
        if text is None:
            assert codes[i] == -1
        else:
            assert texts[first[codes[i]]] == text
            assert first[codes[i]] == texts.index(text)  # the first occurrence
    assert [texts[f] for f in first] == distinct  # codes in order of first occurrence


# -- 8. lines ------------------------------------------------------------------------------

FRAGMENTS = [
    b"{}",
    b'{"a": 1}',
    b"x",
    b" ",
    b"\t",
    b"\x0b",
    b"\x0c",
    b"\n",
    b"\r",
    b"\r\n",
    b"\n\r",
]


def _expected_lines(data: bytes) -> list[tuple[int, bytes]]:
    return [(i + 1, line) for i, line in enumerate(data.splitlines()) if line.strip()]


@MANY
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30).map(b"".join))
@example(b"")
@example(b"{}")
@example(b"\r\n{}\r\n\r\n{}")
@example(b"{}\n \n\t\x0b\n{}\n")
def test_lines_numbered_like_splitlines(data: bytes) -> None:
    expected = _expected_lines(data)
    starts, ends, numbers = jsonl_records(data)
    assert [(int(n), data[s:e]) for s, e, n in zip(starts, ends, numbers, strict=True)] == expected
    buf = np.frombuffer(data, dtype=np.uint8)
    starts, ends, numbers = line_bounds(buf)
    assert [(int(n), data[s:e]) for s, e, n in zip(starts, ends, numbers, strict=True)] == expected
    pieces = data.splitlines()
    bounds = np.cumsum([len(p) + 1 for p in pieces], dtype=np.int64) - 1
    joined = np.frombuffer(b"\n".join(pieces), dtype=np.uint8)
    blank = not_blank(joined, bounds - np.array([len(p) for p in pieces], dtype=np.int64), bounds)
    assert blank.tolist() == [bool(p.strip()) for p in pieces]


# -- 9. processes --------------------------------------------------------------------------


def _varied_lines(count: int) -> list[bytes]:
    """Example lines, some of them declined (an escape) or left to the model (text ECOG)."""
    lines = []
    for i in range(count):
        record = copy.deepcopy(EXAMPLES[i % len(EXAMPLES)])
        record["patient_id"] = f"P{i:04d}"
        line = _line(record)
        if i % 7 == 3:
            line = line.replace(b'"patient_id": "P', b'"patient_id": "\\u0050', 1)
        elif i % 11 == 5:
            line = _line(record | {"ecog": "1"})
        lines.append(line)
    return lines


def _model_path_lines(count: int) -> list[bytes]:
    """Valid lines only the pydantic model accepts (slow: one model validation each)."""
    return [_line(EXAMPLES[i % len(EXAMPLES)] | {"ecog": "1"}) for i in range(count)]


BAD = _line(EXAMPLES[0] | {"ecog": 9})


def test_two_processes_give_the_verdicts_of_one() -> None:
    lines = _varied_lines(300)
    one = screen_lines(PROTOCOL, lines, as_of=AS_OF, workers=1)
    two = screen_lines(PROTOCOL, lines, as_of=AS_OF, workers=2)
    assert _verdicts(two) == _verdicts(one)
    assert one.patient_ids == tuple(f"P{i:04d}" for i in range(300))
    assert len(set(one.overall.tolist())) > 1


def test_two_processes_name_the_first_invalid_line() -> None:
    lines = _varied_lines(300)
    lines[20] = BAD
    lines[150:250] = _model_path_lines(100)  # the second half takes longer
    lines[250] = BAD
    for workers in (1, 2):
        with pytest.raises(InputError, match=r"^line 25: ecog"):
            screen_lines(PROTOCOL, lines, as_of=AS_OF, workers=workers, first_line=5)


def test_two_processes_name_an_invalid_line_in_the_second_half() -> None:
    lines = _varied_lines(300)
    lines[222] = BAD
    for workers in (1, 2):
        with pytest.raises(InputError, match=r"^line 223: ecog"):
            screen_lines(PROTOCOL, lines, as_of=AS_OF, workers=workers)


def test_two_processes_name_the_first_invalid_line_when_the_first_half_is_slow() -> None:
    lines = [*_model_path_lines(149), BAD, BAD, *_varied_lines(149)]
    with pytest.raises(InputError, match=r"^line 150: "):
        screen_lines(PROTOCOL, lines, as_of=AS_OF, workers=1)
    with pytest.raises(InputError, match=r"^line 150: "):
        screen_lines(PROTOCOL, lines, as_of=AS_OF, workers=2)


def test_malformed_json_after_an_invalid_record_names_the_invalid_one() -> None:
    lines = _varied_lines(20)
    lines[3] = BAD
    lines[15] = lines[15][:-1]  # not JSON
    with pytest.raises(InputError, match=r"^line 4: ecog"):
        screen_lines_per_patient(PROTOCOL, lines, as_of=AS_OF)
    with pytest.raises(InputError, match=r"^line 4: ecog"):
        screen_lines(PROTOCOL, lines, as_of=AS_OF, workers=1)


def test_screen_jsonl_equals_screen_lines() -> None:
    data = (ROOT / "examples" / "screening" / "all-examples.jsonl").read_bytes()
    lines = data.splitlines()
    assert len(lines) == 42
    expected = _verdicts(screen_lines(PROTOCOL, lines, as_of=AS_OF))
    assert _verdicts(screen_jsonl(PROTOCOL, data, as_of=AS_OF)) == expected
    assert _verdicts(screen_jsonl(PROTOCOL, data, as_of=AS_OF, workers=2)) == expected
    spaced = b"\r\n \r\n".join(lines) + b"\r\n\t\r\n"  # blank lines and CRLF: same records
    assert _verdicts(screen_jsonl(PROTOCOL, spaced, as_of=AS_OF)) == expected
    assert _verdicts(screen_lines_per_patient(PROTOCOL, lines, as_of=AS_OF)) == expected


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_screen_jsonl_names_the_physical_line(newline: bytes) -> None:
    lines = (ROOT / "examples" / "screening" / "all-examples.jsonl").read_bytes().splitlines()
    body = [lines[0], b"", b"  ", lines[1], BAD, lines[2]]
    data = newline.join(body) + newline
    for workers in (1, 2):
        with pytest.raises(InputError, match=r"^line 5: ecog"):
            screen_jsonl(PROTOCOL, data, as_of=AS_OF, workers=workers)


# -- 10. list capacity ---------------------------------------------------------------------


def _with_items(path: str, count: int) -> dict[str, Any]:
    record = copy.deepcopy(EXAMPLES[0])
    if path == "oligoprogression.lesions":
        return _many_lesions(count)
    if path == "flst.adverse_events":
        record["flst"]["adverse_events"] = [
            {"term": f"event {i}", "grade": 1 + i % 3, "attributed_to_flst": i % 2 == 0}
            for i in range(count)
        ]
    elif path == "history.other_malignancies":
        record["history"]["other_malignancies"] = [
            {
                "diagnosis": f"skin {i}",
                "category": "basal-cell-skin",
                "diagnosis_date": "2010-05-05",
                "curatively_treated": True,
            }
            for i in range(count)
        ]
    elif path == "history.prior_radiotherapy":
        record["history"]["prior_radiotherapy"] = [
            {"site": f"site {i}", "date": "2020-01-01"} for i in range(count)
        ]
    else:  # lesion ids named by radiotherapy courses: the capacity counts all courses
        assert path == "history.prior_radiotherapy[].lesion_ids"
        ids = [le["id"] for le in record["oligoprogression"]["lesions"]]
        named = [ids[i % len(ids)] for i in range(count)]
        record["history"]["prior_radiotherapy"] = [
            {"site": "liver", "lesion_ids": named[: count // 2]},
            {"site": "lung", "lesion_ids": named[count // 2 :]},
        ]
    return record


@pytest.mark.parametrize("path", sorted(CAPACITY))
def test_more_items_than_capacity_are_declined_but_screened(path: str) -> None:
    full, over = (
        _line(_with_items(path, CAPACITY[path])),
        _line(_with_items(path, CAPACITY[path] + 1)),
    )
    assert _decode([full, over, full])[1].tolist() == [True, False, True]
    _assert_agree_with_structs([full, over, full])
    _assert_screened_like_per_patient([full, over, full])


def test_many_lesions_over_capacity_same_verdict() -> None:
    record = _many_lesions(30)
    record["oligoprogression"]["lesions"][-1] |= {"organ": "bone", "progressing": True}
    line = _line(record)
    assert not _accepted(line)
    got = screen_lines(PROTOCOL, [line], as_of=AS_OF)
    want = screen_lines_per_patient(PROTOCOL, [line], as_of=AS_OF)
    assert _verdicts(got) == _verdicts(want)
    assert got.overall.tolist() == [0]  # too many lesions for oligoprogression


# -- 11. errors cross processes ------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        InputError("labs.bilirubin.unit", "unknown unit 'mg/furlong'"),
        InputError("", "no field"),
        ProtocolError("criteria.0.id", "duplicate"),
    ],
)
def test_input_error_pickles(error: InputError) -> None:
    copy_ = pickle.loads(pickle.dumps(error))
    assert type(copy_) is type(error)
    assert (copy_.field, copy_.problem, str(copy_)) == (error.field, error.problem, str(error))
    assert copy_.args == error.args


def test_input_error_from_a_batch_pickles() -> None:
    with pytest.raises(InputError) as caught:
        screen_lines(PROTOCOL, [BASE, BAD], as_of=AS_OF)
    error = pickle.loads(pickle.dumps(caught.value))
    assert str(error) == str(caught.value)
    assert str(error).startswith("line 2: ecog")
    assert error.field == caught.value.field
    assert error.problem == caught.value.problem


# -- 12. reused output arrays ---------------------------------------------------------------


@SOME
@given(
    st.lists(st.one_of(records(), lesion_records()), min_size=1, max_size=5),
    st.lists(st.one_of(records(), lesion_records()), min_size=5, max_size=5),
)
def test_reused_output_gives_the_fresh_decoding(
    first: list[dict[str, Any]], second: list[dict[str, Any]]
) -> None:
    """The batch path reuses the decoder's arrays from chunk to chunk: nothing of an earlier
    chunk (list rows, counts, texts) may leak into the next one."""
    first = copy.deepcopy((first * 5)[:5])
    for record in first:  # the earlier chunk fills the lesion table to its capacity
        lesions = record["oligoprogression"].get("lesions") or []
        record["oligoprogression"]["lesions"] = [
            *lesions,
            *({"id": f"W{i}", "organ": "liver", "progressing": True} for i in range(24)),
        ][: CAPACITY["oligoprogression.lesions"]]
    earlier = _decode([_line(r) for r in first])[0]
    reused, reused_ok = _decode([_line(r) for r in second], out=earlier.d)
    fresh, fresh_ok = _decode([_line(r) for r in second])
    assert reused.d is earlier.d
    assert _same(reused_ok, fresh_ok)
    _assert_same_columns(decoded_columns(reused, AS_OF), decoded_columns(fresh, AS_OF), fresh_ok)


def test_many_records_cross_the_decoder_blocks() -> None:
    """Records are reset in blocks of 64: a batch over several blocks decodes like each
    record alone."""
    lines = _varied_lines(150)
    lines[64] = _line(_many_lesions(24))
    lines[65] = _line(EXAMPLES[5])  # after a record with a full lesion table
    batch, ok = _decoded_columns(lines)
    for i in (0, 63, 64, 65, 127, 128, 149):
        alone, alone_ok = _decoded_columns([lines[i]])
        assert alone_ok[0] == ok[i]
        if ok[i]:
            picked = np.zeros(len(lines), dtype=bool)
            picked[i] = True
            assert _same(
                batch.lesions.owner[picked[batch.lesions.owner]], [i] * len(alone.lesions.owner)
            )
            for name in ("longest", "system", "ids"):
                assert _same(
                    getattr(batch.lesions, name)[picked[batch.lesions.owner]],
                    getattr(alone.lesions, name),
                )
            for name in batch.numbers:
                assert _same(batch.numbers[name][i], alone.numbers[name][0])
    _assert_agree_with_structs(lines)


def test_the_comparison_helper_tells_columns_apart() -> None:
    """The comparison helper itself distinguishes what it must."""
    assert _same([1.0, math.nan], [1.0, math.nan])
    assert not _same([1.0, 2.0], [1.0, 2.5])
    assert not _same([1.0], [1.0, 1.0])
    assert not _same(np.array(["a", None], dtype=object), np.array(["a", "b"], dtype=object))
