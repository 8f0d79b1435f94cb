"""The compiled JSON Lines decoder (:mod:`.json_kernel`, :mod:`.json_columns`) against the
general path: it decodes exactly what msgspec decodes, into the same columns, and declines
(never mis-decodes) what it cannot (see also ``test_json_batch.py``)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import struct
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from eligibility_kit import AS_OF, PROTOCOL
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_batch_agrees import EXAMPLES, lesion_records, records

from oligotrial.eligibility.batch import (
    screen_lines,
    screen_lines_per_patient,
)
from oligotrial.eligibility.batch_result import BatchResult
from oligotrial.eligibility.columns import Columns
from oligotrial.eligibility.fast_decode import record_decoder
from oligotrial.eligibility.general_path import structs_of
from oligotrial.eligibility.json_columns import DecodedBatch, decoded_columns
from oligotrial.eligibility.json_kernel import Decoded, decode
from oligotrial.eligibility.json_layout import CAPACITY, record_layout
from oligotrial.eligibility.struct_columns import struct_columns
from oligotrial.errors import InputError

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

LAYOUT = record_layout()
SOME = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MANY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EPOCH = dt.date(1970, 1, 1)
RAW = "@@RAW@@"  # placeholder replaced by raw JSON text after serialising


def _line(record: Any, ensure_ascii: bool = False) -> bytes:
    return json.dumps(record, ensure_ascii=ensure_ascii).encode()


BASE = _line(EXAMPLES[0])  # eligible-01: an eligible record every variant below starts from


def _raw(record: dict[str, Any], set_: Callable[[dict[str, Any]], None], text: str) -> bytes:
    """``record`` serialised with the field that ``set_`` sets to ``RAW`` written as ``text``
    (raw JSON, not a JSON string)."""
    data = copy.deepcopy(record)
    set_(data)
    line = _line(data)
    assert line.count(f'"{RAW}"'.encode()) == 1
    return line.replace(f'"{RAW}"'.encode(), text.encode())


# -- decoding helpers ----------------------------------------------------------------------


def _buffer(lines: Sequence[bytes]) -> tuple[npt.NDArray[np.uint8], Ints, Ints]:
    """The lines joined by newlines (as ``screen_lines`` does), and each one's bounds."""
    ends = np.cumsum([len(x) + 1 for x in lines], dtype=np.int64) - 1
    starts = ends - np.array([len(x) for x in lines], dtype=np.int64)
    return np.frombuffer(b"\n".join(lines), dtype=np.uint8), starts, ends


def _decode(lines: Sequence[bytes], out: Decoded | None = None) -> tuple[DecodedBatch, Bools]:
    buf, starts, ends = _buffer(lines)
    decoded = decode(buf, starts, ends, LAYOUT, out)
    ok = decoded.ok.copy()
    return DecodedBatch(LAYOUT, buf, decoded), ok


def _accepted(line: bytes) -> bool:
    return bool(_decode([line])[1][0])


def _decoded_columns(lines: Sequence[bytes]) -> tuple[Columns, Bools]:
    batch, ok = _decode(lines)
    return decoded_columns(batch, AS_OF), ok


def _struct_columns(lines: Sequence[bytes]) -> Columns:
    structs, odd = structs_of(lines, record_decoder().decode)
    return struct_columns(structs, odd, AS_OF)


def _same(a: Any, b: Any) -> bool:
    """Equal arrays of the same shape (floats compared by value, NaN equal to NaN)."""
    x, y = np.asarray(a), np.asarray(b)
    if x.shape != y.shape:
        return False
    if x.dtype.kind == "f" or y.dtype.kind == "f":
        return bool(np.array_equal(x.astype(float), y.astype(float), equal_nan=True))
    return bool(x.tolist() == y.tolist())


def _assert_same_columns(a: Columns, b: Columns, rows: Bools) -> None:
    """``a`` and ``b`` agree on every record ``rows`` selects, list tables included."""
    assert a.n == b.n == len(rows)
    assert _same(a.odd[rows], b.odd[rows])
    for group in ("text", "days", "codes", "numbers"):
        first, second = getattr(a, group), getattr(b, group)
        assert first.keys() == second.keys(), group
        for name in first:
            assert _same(first[name][rows], second[name][rows]), (group, name)
    assert a.labs.keys() == b.labs.keys()
    for name in a.labs:
        for k in range(2):
            assert _same(a.labs[name][k][rows], b.labs[name][k][rows]), ("labs", name, k)
    la, lb = a.lesions, b.lesions
    ra, rb = rows[la.owner], rows[lb.owner]
    for name in la.__dataclass_fields__:
        if name in ("bone_system", "rt_refs"):
            continue
        assert _same(getattr(la, name)[ra], getattr(lb, name)[rb]), ("lesions", name)
    # ``bone_system`` is learnt lazily by a process-wide vocabulary: compare what it marks
    assert _same(la.system[ra] == la.bone_system, lb.system[rb] == lb.bone_system)
    assert {r for r in la.rt_refs if rows[r[0]]} == {r for r in lb.rt_refs if rows[r[0]]}
    ma, mb = a.malignancies, b.malignancies
    ra, rb = rows[ma.owner], rows[mb.owner]
    for name in ("owner", "days", "category", "cured"):
        assert _same(getattr(ma, name)[ra], getattr(mb, name)[rb]), ("malignancies", name)


def _assert_agree_with_structs(lines: Sequence[bytes]) -> Bools:
    """Decoded columns equal the struct path's for each record the decoder accepts and the
    structs do not leave to the model; the decoder marks odd exactly the records the struct
    path marks odd (among those it accepts), and every record it declines. Returns ``ok``."""
    decoded, ok = _decoded_columns(lines)
    structs = _struct_columns(lines)
    assert decoded.odd[~ok].all()
    assert _same(decoded.odd[ok], structs.odd[ok])
    _assert_same_columns(decoded, structs, ok & ~structs.odd)
    return ok


def _verdicts(result: BatchResult) -> tuple[Any, ...]:
    return (
        result.criterion_ids,
        result.patient_ids,
        result.status.tolist(),
        result.overall.tolist(),
    )


def _assert_screened_like_per_patient(lines: Sequence[bytes], first_line: int = 1) -> None:
    """``screen_lines`` gives the per-patient loop's verdicts, or the same InputError line."""
    try:
        expected = screen_lines_per_patient(PROTOCOL, lines, as_of=AS_OF, first_line=first_line)
    except InputError as exc:
        where = str(exc).split(": ", 1)[0]
        with pytest.raises(InputError, match=rf"^{where}: "):
            screen_lines(PROTOCOL, lines, as_of=AS_OF, first_line=first_line)
        return
    got = screen_lines(PROTOCOL, lines, as_of=AS_OF, first_line=first_line)
    assert _verdicts(got) == _verdicts(expected)


# -- 1. the decoded columns are the struct path's columns ------------------------------------


def test_examples_decode_to_the_struct_columns() -> None:
    lines = [_line(e) for e in EXAMPLES]
    assert len(lines) == 42
    ok = _assert_agree_with_structs(lines)
    assert ok.all()  # plain records are never declined
    columns, _ = _decoded_columns(lines)
    assert not columns.odd.any()
    assert len(columns.lesions.owner) == sum(
        len(e["oligoprogression"]["lesions"] or ()) for e in EXAMPLES
    )
    assert columns.lesions.rt_refs  # an example names a lesion in a radiotherapy course


@MANY
@given(st.lists(st.one_of(records(), lesion_records()), min_size=1, max_size=8), st.booleans())
def test_generated_records_decode_to_the_struct_columns(
    batch: list[dict[str, Any]], ascii_only: bool
) -> None:
    _assert_agree_with_structs([_line(r, ensure_ascii=ascii_only) for r in batch])


# -- 2. formatting does not change what is decoded -----------------------------------------


def _write(value: Any, rnd: random.Random, out: list[str]) -> None:
    """JSON of ``value`` with random white space between tokens and keys in random order."""

    def space() -> str:
        return "".join(rnd.choice(" \t\r\n") for _ in range(rnd.choice((0, 0, 1, 3))))

    if isinstance(value, dict):
        items = list(value.items())
        rnd.shuffle(items)
        out.append("{")
        for k, (key, item) in enumerate(items):
            out.append(space() + ("," if k else "") + space() + json.dumps(key))
            out.append(space() + ":" + space())
            _write(item, rnd, out)
        out.append(space() + "}")
    elif isinstance(value, list):
        out.append("[")
        for k, item in enumerate(value):
            out.append(space() + ("," if k else "") + space())
            _write(item, rnd, out)
        out.append(space() + "]")
    else:
        out.append(json.dumps(value, ensure_ascii=False))


def _formatted(record: dict[str, Any], rnd: random.Random) -> bytes:
    out: list[str] = [rnd.choice(("", " ", "\t"))]
    _write(record, rnd, out)
    out.append(rnd.choice(("", " ", "\t ")))
    return "".join(out).encode()


def _assert_same_decoding(reference: Sequence[bytes], variant: Sequence[bytes]) -> None:
    want, want_ok = _decoded_columns(reference)
    got, got_ok = _decoded_columns(variant)
    assert _same(got_ok, want_ok)
    _assert_same_columns(got, want, want_ok)


def test_compact_and_indented_examples_decode_the_same() -> None:
    plain = [_line(e) for e in EXAMPLES]
    for dumps in (
        lambda e: json.dumps(e, ensure_ascii=False, separators=(",", ":")),
        lambda e: json.dumps(e, ensure_ascii=False, indent=None),
        lambda e: json.dumps(e, ensure_ascii=False, indent="\t"),  # newlines: one buffer span
        lambda e: json.dumps(e, ensure_ascii=False, separators=(" , ", " : ")),
        lambda e: json.dumps(e, ensure_ascii=False, sort_keys=True),
    ):
        _assert_same_decoding(plain, [dumps(e).encode() for e in EXAMPLES])


@MANY
@given(st.lists(records(), min_size=1, max_size=4), st.randoms(use_true_random=False))
def test_white_space_and_key_order_do_not_change_the_columns(
    batch: list[dict[str, Any]], rnd: random.Random
) -> None:
    _assert_same_decoding([_line(r) for r in batch], [_formatted(r, rnd) for r in batch])


# -- 3. what the decoder declines ----------------------------------------------------------


def _sub(old: str | bytes, new: str | bytes, line: bytes = BASE) -> bytes:
    """``line`` with its first ``old`` replaced by ``new`` (``old`` must be there)."""
    a = old.encode() if isinstance(old, str) else old
    b = new.encode() if isinstance(new, str) else new
    assert a in line, a
    return line.replace(a, b, 1)


def _many_lesions(count: int) -> dict[str, Any]:
    record = copy.deepcopy(EXAMPLES[0])
    lesions = record["oligoprogression"]["lesions"]
    for i in range(count - len(lesions)):
        lesions.append({"id": f"X{i}", "organ": "liver", "progressing": False})
    return record


# (name, line, valid): every line is declined by the decoder; ``valid`` says whether the
# record is nevertheless a valid screening record (the general path screens it)
DECLINED: list[tuple[str, bytes, bool]] = [
    # escapes the decoder leaves to the general path: in keys and dates, surrogates
    ("escaped-key", _sub('"patient_id"', '"patient\\u005fid"'), True),
    ("escaped-date", _sub('"2025-09-15"', '"2025\\u002d09-15"'), True),
    ("surrogate-pair-escape", _sub('"Jinan"', '"Jinan \\ud83c\\udfe5"'), True),
    ("escape-not-json", _sub('"Jinan"', '"Ji\\xnan"'), False),
    ("short-unicode-escape", _sub('"Jinan"', '"Jinan\\u12"'), False),
    # numbers the decoder cannot read exactly
    ("16-significant-digits", _sub('"value": 15.2', '"value": 15.20000000000000'), True),
    ("22-significant-digits", _sub('"value": 845', '"value": 845.0000000000000000001'), True),
    ("16-digit-integer", _sub('"value": 845', '"value": 8450000000000000'), True),
    (
        "exponent-above-22",
        _sub('"expected_survival_months": 12', '"expected_survival_months": 12e23'),
        True,
    ),
    ("exponent-below-minus-22", _sub('"value": 845', '"value": 845e-25'), True),
    ("float-for-int", _sub('"grade": 2', '"grade": 2.0'), True),
    ("exponent-for-int", _sub('"grade": 2', '"grade": 2e0'), True),
    # valid JSON the model takes but the decoder does not
    ("repeated-key", _sub('"ascites": "none"', '"ascites": "none", "ascites": "none"'), True),
    ("repeated-key-in-list-item", _sub('"id": "L1"', '"id": "L1", "id": "L1"'), True),
    ("text-for-int", _sub('"ecog": 0, "ascites"', '"ecog": "0", "ascites"'), True),
    ("text-for-bool", _sub('"signed": true', '"signed": "true"'), True),
    ("number-for-bool", _sub('"signed": true', '"signed": 1'), True),
    (
        "more-lesions-than-capacity",
        _line(_many_lesions(CAPACITY["oligoprogression.lesions"] + 1)),
        True,
    ),
    # invalid records
    ("unknown-key", _sub('{"patient_id"', '{"colour": "red", "patient_id"'), False),
    ("unknown-nested-key", _sub('"signed": true', '"signed": true, "witness": "x"'), False),
    ("missing-required-key", _sub('"screening_date": "2025-09-15", ', ""), False),
    ("missing-required-in-list-item", _sub('"progressing": true, ', ""), False),
    ("null-for-required", _sub('"patient_id": "SDCH-0001"', '"patient_id": null'), False),
    ("empty-required-text", _sub('"patient_id": "SDCH-0001"', '"patient_id": ""'), False),
    ("number-for-text", _sub('"sex": "male"', '"sex": 1'), False),
    (
        "list-for-object",
        _sub('"hbv": {"hbsag_positive": true, "on_antiviral": true}', '"hbv": [true, true]'),
        False,
    ),
    ("object-for-list", _sub('"other_malignancies": []', '"other_malignancies": {}'), False),
    ("null-list-item", _sub('"other_malignancies": []', '"other_malignancies": [null]'), False),
    ("ecog-above-5", _sub('"ecog": 0, "ascites"', '"ecog": 6, "ascites"'), False),
    ("ecog-negative", _sub('"ecog": 0, "ascites"', '"ecog": -1, "ascites"'), False),
    ("negative-size", _sub('"longest_diameter_mm": 32', '"longest_diameter_mm": -32'), False),
    (
        "zero-slice-exclusive-bound",
        _sub('"slice_thickness_mm": 5', '"slice_thickness_mm": 0'),
        False,
    ),
    ("grade-0", _sub('"grade": 2', '"grade": 0'), False),
    (
        "february-30",
        _sub('"screening_date": "2025-09-15"', '"screening_date": "2025-02-30"'),
        False,
    ),
    (
        "date-without-padding",
        _sub('"screening_date": "2025-09-15"', '"screening_date": "2025-9-15"'),
        False,
    ),
    ("date-with-slashes", _sub('"date": "2025-09-10"', '"date": "2025/09/10"'), False),
    ("date-as-number", _sub('"date": "2025-09-10"', '"date": 20250910'), False),
    # not JSON
    ("trailing-comma-in-object", _sub(b"false}}", b"false,}}"), False),
    ("trailing-comma-in-list", _sub('"2024-06-02"}]', '"2024-06-02"},]'), False),
    ("leading-comma", _sub('"other_malignancies": []', '"other_malignancies": [,]'), False),
    ("double-comma", _sub('"sex": "male",', '"sex": "male",,'), False),
    ("missing-comma", _sub('"sex": "male",', '"sex": "male"'), False),
    ("missing-colon", _sub('"sex": "male"', '"sex" "male"'), False),
    ("unquoted-key", _sub('"sex": "male"', 'sex: "male"'), False),
    ("single-quotes", _sub('"sex": "male"', "'sex': 'male'"), False),
    ("trailing-garbage", BASE + b" x", False),
    ("two-objects", BASE + BASE, False),
    ("unclosed-object", BASE[:-1], False),
    ("unterminated-string", _sub('"Jinan"', '"Jinan'), False),
    ("mismatched-bracket", _sub('"other_malignancies": []', '"other_malignancies": [}'), False),
    ("raw-tab-in-text", _sub('"Jinan"', '"Ji\tnan"'), False),
    ("nan", _sub('"value": 15.2', '"value": NaN'), False),
    ("infinity", _sub('"value": 15.2', '"value": Infinity'), False),
    ("leading-zero", _sub('"ecog": 0, "ascites"', '"ecog": 00, "ascites"'), False),
    ("plus-sign", _sub('"value": 15.2', '"value": +15.2'), False),
    ("fraction-without-digits", _sub('"value": 15.2', '"value": 15.'), False),
    ("exponent-without-digits", _sub('"value": 15.2', '"value": 15e'), False),
    ("capitalised-true", _sub('"signed": true', '"signed": True'), False),
    ("truncated-null", _sub('"sex": "male"', '"sex": nul'), False),
    ("vertical-tab-as-space", _sub('"sex": "male"', '"sex":\x0b"male"'), False),
    ("array-record", b"[" + BASE + b"]", False),
]


def test_the_declined_variants_are_distinct_and_of_both_kinds() -> None:
    names = [name for name, _, _ in DECLINED]
    assert len(set(names)) == len(names) >= 15
    assert len({line for _, line, _ in DECLINED}) == len(DECLINED)
    assert {valid for _, _, valid in DECLINED} == {True, False}


@pytest.mark.parametrize(("name", "line", "valid"), DECLINED, ids=[d[0] for d in DECLINED])
def test_decoder_declines(name: str, line: bytes, valid: bool) -> None:
    ok = _decode([BASE, line, BASE])[1]
    assert ok.tolist() == [True, False, True]  # its neighbours are untouched


@pytest.mark.parametrize(("name", "line", "valid"), DECLINED, ids=[d[0] for d in DECLINED])
def test_declined_lines_are_screened_like_per_patient(name: str, line: bytes, valid: bool) -> None:
    lines = [BASE, line, BASE]
    if valid:
        expected = screen_lines_per_patient(PROTOCOL, lines, as_of=AS_OF)
        got = screen_lines(PROTOCOL, lines, as_of=AS_OF)
        assert _verdicts(got) == _verdicts(expected)
    else:
        with pytest.raises(InputError, match=r"^line 8: "):
            screen_lines_per_patient(PROTOCOL, lines, as_of=AS_OF, first_line=7)
        with pytest.raises(InputError, match=r"^line 8: "):
            screen_lines(PROTOCOL, lines, as_of=AS_OF, first_line=7)


def test_escapes_numbers_and_unicode_the_decoder_accepts() -> None:
    """Unusual but exact forms are decoded, not declined, and screened as per patient."""
    accepted = [
        _sub('"longest_diameter_mm": 32', '"longest_diameter_mm": 3.2e1'),
        _sub('"longest_diameter_mm": 32', '"longest_diameter_mm": 320E-1'),
        _sub('"longest_diameter_mm": 32', '"longest_diameter_mm": 0.32e+2'),
        _sub('"value": 845', '"value": 845.000000000000'),  # 15 significant digits
        _sub('"value": 845', '"value": 1.0e1'),
        _sub('"value": 845', '"value": -0'),
        _sub('"Jinan"', '"济南"'),
        _sub('"Jinan"', '"Jinan \U0001f3e5 \x7f"'),
        _sub('"Hypertension"', '"高血压"'),
        # escapes in texts: decoded as JSON decodes them
        _sub('"id": "L1"', '"id": "L\\u0031"'),
        _sub('"Jinan"', '"Jinan\\/Shandong\\t\\n"'),
        _sub('"Jinan"', '"Ji\\"nan\\\\"'),
        _sub('"µmol/L"', '"\\u00b5mol/L"'),
        _sub('"patient_id": "SDCH-0001"', '"patient_id": "SDCH\\u002D0001"'),
    ]
    for line in accepted:
        assert _accepted(line), line
    _assert_agree_with_structs(accepted)
    _assert_screened_like_per_patient(accepted)


def test_ascii_escaped_examples_decode_to_the_struct_columns() -> None:
    """``json.dumps``'s default escapes every non-ASCII character (``\\u00b5mol/L``)."""
    lines = [_line(e, ensure_ascii=True) for e in EXAMPLES]
    assert any(b"\\u00b5" in line for line in lines)
    assert _decode(lines)[1].all()
    _assert_agree_with_structs(lines)
    _assert_screened_like_per_patient(lines)


def test_two_spellings_of_one_lesion_id_are_one_id() -> None:
    twice = _sub('"id": "L2"', '"id": "L\\u0031"')  # L1 spelt with an escape: a repeated id
    assert _accepted(twice)
    columns, ok = _decoded_columns([twice])
    assert ok.all() and columns.odd.all()  # left to the model, which refuses it
    with pytest.raises(InputError) as per_patient:
        screen_lines_per_patient(PROTOCOL, [twice], as_of=AS_OF)
    with pytest.raises(InputError) as batch:
        screen_lines(PROTOCOL, [twice], as_of=AS_OF)
    assert str(batch.value) == str(per_patient.value)


def test_words_outside_a_literal_are_decoded_but_left_to_the_model() -> None:
    lines = [
        _sub('"sex": "male"', '"sex": "Male"'),
        _sub('"modality": "MRI"', '"modality": "MRT"'),
        _sub('"patient_id": "SDCH-0001"', '"patient_id": " SDCH-0001"'),  # the model strips
    ]
    columns, ok = _decoded_columns(lines)
    assert ok.all()
    assert columns.odd.all()
    _assert_screened_like_per_patient(lines[2:])
    for line in lines[:2]:
        with pytest.raises(InputError, match=r"^line 1: "):
            screen_lines(PROTOCOL, [line], as_of=AS_OF)


# -- 4. numbers are exact ------------------------------------------------------------------


def _set_afp(record: dict[str, Any]) -> None:
    record["labs"]["afp"]["value"] = RAW


def _set_size(record: dict[str, Any]) -> None:
    record["oligoprogression"]["lesions"][0]["longest_diameter_mm"] = RAW


def _set_count(record: dict[str, Any]) -> None:
    record["flst"]["at_start"]["tumour_count"] = RAW


NUMBER_SLOTS = {
    "labs.afp.value": _set_afp,
    "oligoprogression.lesions[].longest_diameter_mm": _set_size,
}


def _decoded_number(slot: str, text: str) -> float | None:
    """The number ``text`` as decoded in ``slot`` (first row), ``None`` when declined."""
    line = _raw(EXAMPLES[0], NUMBER_SLOTS.get(slot, _set_count), text)
    batch, ok = _decode([line])
    return float(batch.number(slot)[0]) if ok[0] else None


def _bits(x: float) -> bytes:
    return struct.pack("<d", x)


def _texts(x: float) -> list[str]:
    return [
        repr(x),
        json.dumps(x),
        f"{x:.15g}",
        f"{x:.12e}",
        f"{x:.6f}",
        f"{x:.3E}",
        f"{x:.1f}",
        f"{x:g}",
    ]


@MANY
@given(
    st.one_of(
        st.floats(-1e15, 1e15, allow_nan=False),
        st.integers(-(10**15), 10**15).map(float),
        st.floats(1e-25, 1e-5),
        st.decimals(0, 1000, places=3).map(float),
    )
)
@example(0.1)
@example(-0.0)
@example(2.2250738585072014e-308)
@example(123456789012345.0)
@example(999999999999999.0)
@example(9007199254740993.0)
def test_numbers_decode_exactly(x: float) -> None:
    for slot in NUMBER_SLOTS:
        for text in _texts(x):
            value = _decoded_number(slot, text)
            if value is not None:
                assert _bits(value) == _bits(float(text)), (slot, text, value)
            elif (
                slot.endswith("value")
                and 1e-6 <= abs(float(text)) < 1e9
                and "e" not in text.lower()
            ):
                digits = text.lstrip("-").replace(".", "").lstrip("0")
                assert len(digits) > 15, text  # a plain decimal is declined only when long


@SOME
@given(st.integers(-(10**15) + 1, 10**15 - 1))
def test_integers_up_to_15_digits_are_accepted(i: int) -> None:
    assert _decoded_number("labs.afp.value", str(i)) == float(i)
    if i >= 0:
        assert _decoded_number("flst.at_start.tumour_count", str(i)) == float(i)
        assert _decoded_number("oligoprogression.lesions[].longest_diameter_mm", str(i)) == i
    else:  # out of the schema's range
        assert _decoded_number("flst.at_start.tumour_count", str(i)) is None
        assert _decoded_number("oligoprogression.lesions[].longest_diameter_mm", str(i)) is None


@MANY
@given(
    st.text("0123456789", min_size=15, max_size=30),
    st.integers(1, 9),
    st.integers(0, 31),
    st.integers(0, 12),
    st.sampled_from(["", "e0", "E-3", "e+5", "e-10"]),
    st.booleans(),
)
@example("000000000000000", 1, 1, 0, "", False)  # "1000000000000000": 16 digits
@example("000000000000001", 5, 0, 1, "e-5", False)
def test_more_than_15_significant_digits_are_declined(
    tail: str, lead: int, point: int, zeros: int, exponent: str, negative: bool
) -> None:
    digits = str(lead) + tail  # at least 16 significant digits
    point = min(point, len(digits))
    mantissa = digits[:point] + "." + digits[point:] if 0 < point < len(digits) else digits
    if point == 0:
        mantissa = "0." + "0" * zeros + digits
    text = ("-" if negative else "") + mantissa + exponent
    float(text)  # a valid number
    json.loads(text)
    assert _decoded_number("labs.afp.value", text) is None, text


# -- 5. dates ------------------------------------------------------------------------------


def _set_lab_date(record: dict[str, Any]) -> None:
    record["labs"]["afp"]["date"] = RAW


def _set_event_date(record: dict[str, Any]) -> None:
    record["flst"]["adverse_events"][1]["onset_date"] = RAW


DATE_SLOTS = {
    "labs.afp.date": (_set_lab_date, 0),
    "flst.adverse_events[].onset_date": (_set_event_date, 1),
}


def _decoded_day(slot: str, text: str) -> int | None:
    set_, row = DATE_SLOTS[slot]
    batch, ok = _decode([_raw(EXAMPLES[0], set_, json.dumps(text, ensure_ascii=False))])
    return int(batch.day(slot)[row]) if ok[0] else None


@MANY
@given(st.dates())
@example(dt.date(1, 1, 1))
@example(dt.date(9999, 12, 31))
@example(dt.date(1969, 12, 31))
@example(dt.date(2000, 2, 29))
@example(dt.date(2024, 2, 29))
def test_dates_decode_to_days_since_1970(day: dt.date) -> None:
    for slot in DATE_SLOTS:
        assert _decoded_day(slot, day.isoformat()) == (day - EPOCH).days


@MANY
@given(st.integers(0, 9999), st.integers(0, 99), st.integers(0, 99))
@example(2025, 2, 29)
@example(1900, 2, 29)
@example(2100, 2, 29)
@example(2025, 13, 1)
@example(2025, 0, 10)
@example(2025, 1, 0)
@example(2025, 4, 31)
@example(0, 1, 1)
def test_only_calendar_dates_are_accepted(y: int, m: int, d: int) -> None:
    try:
        expected: int | None = (dt.date(y, m, d) - EPOCH).days
    except ValueError:
        expected = None
    assert _decoded_day("labs.afp.date", f"{y:04d}-{m:02d}-{d:02d}") == expected


@pytest.mark.parametrize(
    "text",
    [
        "2025-02-29",
        "1900-02-29",
        "2025-13-01",
        "2025-00-10",
        "2025-01-00",
        "2025-01-32",
        "2025-1-01",
        "2025-01-1",
        "2025-01-1 ",
        " 2025-01-01",
        "2025/01/01",
        "2025-01-01T00:00",
        "20250101",
        "2025-0a-01",
        "２０２５-01-01",
        "0000-01-01",
        "-002-01-01",
        "",
    ],
)
def test_impossible_dates_are_declined(text: str) -> None:
    for slot in DATE_SLOTS:
        assert _decoded_day(slot, text) is None


# -- 6. UTF-8 ------------------------------------------------------------------------------


def test_non_ascii_text_is_decoded_exactly() -> None:
    line = _sub('"Jinan"', '"济南"')
    line = _sub('"Hypertension"', '"高血压 \U0001f489"', line)
    batch, ok = _decode([line])
    assert ok.all()
    assert batch.texts("site").objects().tolist() == ["济南"]
    assert batch.texts("flst.adverse_events[].term").objects().tolist() == [
        "高血压 \U0001f489",
        "Proteinuria",
    ]
    assert batch.texts("labs.bilirubin.unit").objects().tolist() == ["µmol/L"]
    _assert_agree_with_structs([line])
    _assert_screened_like_per_patient([line])


INVALID_UTF8 = [
    pytest.param(b"\x80", id="lone-continuation-byte"),
    pytest.param(b"\xbf", id="lone-last-continuation-byte"),
    pytest.param(b"\xc0\xaf", id="overlong-2-bytes"),
    pytest.param(b"\xe0\x80\xaf", id="overlong-3-bytes"),
    pytest.param(b"\xf0\x80\x80\xaf", id="overlong-4-bytes"),
    pytest.param(b"\xed\xa0\x80", id="surrogate"),
    pytest.param(b"\xf4\x90\x80\x80", id="above-U+10FFFF"),
    pytest.param(b"\xf8\x88\x80\x80\x80", id="five-byte-form"),
    pytest.param(b"\xff", id="byte-ff"),
    pytest.param(b"\xc3", id="truncated-2-bytes"),
    pytest.param(b"\xe6\xb5", id="truncated-3-bytes"),
    pytest.param(b"\xf0\x9f\x8f", id="truncated-4-bytes"),
    pytest.param(b"\xe6x\xb5", id="interrupted"),
]


def _bad_site(bad: bytes) -> bytes:
    return _sub('"Jinan"', b'"Jinan' + bad + b'"')  # at the very end of the text


@pytest.mark.parametrize("bad", INVALID_UTF8)
def test_invalid_utf8_is_declined(bad: bytes) -> None:
    with pytest.raises(UnicodeDecodeError):
        bad.decode("utf-8")
    for line in (_bad_site(bad), _sub('"Jinan"', b'"' + bad + b'Jinan"')):
        assert _decode([BASE, line, BASE])[1].tolist() == [True, False, True]


@pytest.mark.parametrize("bad", INVALID_UTF8)
def test_invalid_utf8_in_text_is_an_input_error(bad: bytes) -> None:
    with pytest.raises(InputError, match=r"^line 2: "):
        screen_lines(PROTOCOL, [BASE, _bad_site(bad), BASE], as_of=AS_OF)


def test_invalid_utf8_between_tokens_is_an_input_error() -> None:
    line = _sub('"site": ', b'"site": \xff')
    assert not _accepted(line)
    with pytest.raises(InputError, match=r"^line 2: "):
        screen_lines(PROTOCOL, [BASE, line, BASE], as_of=AS_OF)


# -- 7. interning texts --------------------------------------------------------------------
