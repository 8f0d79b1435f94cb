"""Property: the column-wise batch path and the per-patient evaluator agree on every
verdict, for valid records and odd ones alike, and refuse the same invalid records."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import numpy as np
import pytest
from eligibility_kit import AS_OF, PROTOCOL, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oligotrial.eligibility.batch import screen_lines, screen_records
from oligotrial.eligibility.evaluate import evaluate
from oligotrial.eligibility.reading import record_from_data
from oligotrial.eligibility.verdicts import OVERALL_CODES, STATUS_CODES
from oligotrial.errors import InputError
from oligotrial.protocol import Protocol, load_protocol

EXAMPLES = [
    json.loads(p.read_text("utf-8"))
    for p in sorted((ROOT / "examples" / "screening").glob("*.json"))
]
BREAST = load_protocol(ROOT / "tests" / "unit" / "protocol" / "data" / "oligo_breast.yaml")


def _day(draw: st.DrawFn, low: str = "1940-01-01", high: str = "2026-03-01") -> str:
    value = draw(st.dates(dt.date.fromisoformat(low), dt.date.fromisoformat(high)))
    return value.isoformat()


def _lesion(draw: st.DrawFn, i: int) -> dict[str, Any]:
    organ = draw(
        st.sampled_from(
            ["liver", "left lung", "bone", "rib", "lymph node", "adrenal", "peritoneum", "brain"]
        )
    )
    nodal = organ == "lymph node" or draw(st.booleans())
    lesion: dict[str, Any] = {"id": f"Z{i}", "organ": organ, "progressing": draw(st.booleans())}
    if nodal:
        lesion["nodal"] = True
        region = draw(st.sampled_from([None, "16a1", "16a2", "16b1", "12p", "12a", "8", "16"]))
        if region is not None:
            lesion["lymph_node_region"] = region
    sizes = st.one_of(
        st.none(),
        st.sampled_from([0, 9.9, 10, 14.9, 15, 16, 20]),
        st.floats(0, 80, allow_nan=False),
    )
    for key in ("longest_diameter_mm", "short_axis_mm", "soft_tissue_component_mm"):
        lesion[key] = draw(sizes)
    lesion["slice_thickness_mm"] = draw(st.sampled_from([None, 1.25, 5, 5.5, 8]))
    lesion["modality"] = draw(st.sampled_from(["CT", "MRI", "X-ray", "clinical", "PET", "PET-CT"]))
    if organ in ("bone", "rib"):
        lesion["bone_type"] = draw(st.sampled_from([None, "lytic", "mixed", "blastic"]))
    lesion["kind"] = draw(st.sampled_from(["solid", "solid", "cystic", "effusion"]))
    irradiated = draw(st.sampled_from([None, True, False]))
    lesion["previously_irradiated"] = irradiated
    lesion["progressed_after_rt"] = bool(irradiated) and draw(st.booleans())
    lesion["amenable_to_rt"] = draw(st.sampled_from([None, True, False, True]))
    return lesion


def _mutate(draw: st.DrawFn, record: dict[str, Any]) -> None:
    """Apply one random change (values at boundaries, gaps, odd but valid JSON types)."""
    kind = draw(st.integers(0, 17))
    if kind == 0:
        record["birth_date"] = draw(
            st.sampled_from([None, "1950-09-10", "1949-09-10", "2007-09-11", "1948-02-29"])
        )
    elif kind == 1:
        lab = draw(st.sampled_from(["bilirubin", "albumin", "inr", "afp"]))
        record["labs"][lab] = draw(
            st.one_of(
                st.none(),
                st.fixed_dictionaries(
                    {
                        "value": st.sampled_from(
                            [0.5, 1.7, 2.3, 28, 34, 35, 51, 2.0, 3.5, 9999, 10000, 8265]
                        ),
                        "unit": st.sampled_from(
                            {
                                "bilirubin": ["µmol/L", "mg/dL"],
                                "albumin": ["g/L", "g/dL"],
                                "inr": ["", "ratio"],
                                "afp": ["ng/mL", "IU/mL"],
                            }[lab]
                        ),
                    }
                ),
            )
        )
    elif kind == 2:
        record["ascites"] = draw(st.sampled_from([None, "none", "mild", "moderate-severe"]))
        record["encephalopathy"] = draw(st.sampled_from([None, "none", "grade-1-2"]))
    elif kind == 3:
        record["oligoprogression"]["lesions"] = (
            draw(st.one_of(st.none(), st.builds(list, st.just([]))))
            if draw(st.booleans())
            else [_lesion(draw, i) for i in range(draw(st.integers(0, 7)))]
        )
    elif kind == 4:
        record["hbv"] = {
            "hbsag_positive": draw(st.sampled_from([None, True, False])),
            "on_antiviral": draw(st.sampled_from([None, True, False])),
        }
        record["labs"]["hbv_dna"] = draw(
            st.sampled_from(
                [
                    None,
                    {"value": 20, "unit": "IU/mL", "upper_limit": 20},
                    {"value": 21, "unit": "IU/mL", "upper_limit": 20},
                    {"value": 21, "unit": "IU/mL"},
                    {"value": 2.5, "unit": "log10 IU/mL", "upper_limit": 1.3},
                ]
            )
        )
    elif kind == 5:
        record["history"]["other_malignancies"] = draw(
            st.one_of(
                st.none(),
                st.lists(
                    st.fixed_dictionaries(
                        {
                            "diagnosis": st.just("x"),
                            "category": st.sampled_from(
                                [
                                    "basal-cell-skin",
                                    "squamous-cell-skin",
                                    "carcinoma-in-situ",
                                    "other",
                                ]
                            ),
                            "diagnosis_date": st.sampled_from(
                                ["2022-09-14", "2022-09-15", "2024-01-01", "2010-05-05"]
                            ),
                            "curatively_treated": st.sampled_from([None, True, False]),
                        }
                    ),
                    max_size=3,
                ),
            )
        )
    elif kind == 6:
        days = draw(st.sampled_from([60, 90, 91, 92, 400]))
        start = dt.date(2025, 8, 28) - dt.timedelta(days=days)
        record["flst"]["start_date"] = start.isoformat()
        record["flst"]["disease_control_date"] = draw(
            st.sampled_from([None, (start + dt.timedelta(days=1)).isoformat()])
        )
        record["diagnosis"]["date"] = draw(st.sampled_from([None, "2024-12-01", "2025-04-01"]))
        record["flst"]["adverse_events"] = []
    elif kind == 7:
        record["flst"]["at_start"] = {
            key: draw(values)
            for key, values in {
                "bclc_stage": st.sampled_from([None, "B", "C"]),
                "ecog": st.sampled_from([None, 0, 1, 2, 3]),
                "macrovascular_invasion": st.sampled_from([None, True, False]),
                "extrahepatic_spread": st.sampled_from([None, False, True]),
                "child_pugh_score": st.sampled_from([None, 5, 6, 7, 8, 10]),
                "tumour_count": st.sampled_from([None, 1, 2, 4]),
                "largest_tumour_mm": st.sampled_from([None, 15, 25, 45]),
            }.items()
        }
    elif kind == 8:
        record["oligoprogression"]["prior_polymetastatic_disease"] = draw(
            st.sampled_from([None, True, False])
        )
        record["oligoprogression"]["prior_oligometastatic_disease"] = draw(
            st.sampled_from([None, True, False])
        )
        record["flst"]["ongoing_at_oligoprogression"] = draw(st.sampled_from([None, True, False]))
    elif kind == 9:
        record["sex"] = draw(st.sampled_from([None, "female", "male"]))
        record["reproductive"] = {
            "pregnant": draw(st.sampled_from([None, True, False])),
            "breastfeeding": draw(st.sampled_from([None, False])),
        }
    elif kind == 10:
        record["history"]["received_investigational_therapy"] = draw(
            st.sampled_from([None, True, False])
        )
        record["history"]["last_investigational_therapy_date"] = draw(
            st.sampled_from([None, "2025-08-18", "2025-08-19"])
        )
    elif kind == 11:
        record["consent"] = {
            "signed": draw(st.sampled_from([None, True, False])),
            "date": draw(st.sampled_from([None, "2025-09-10"])),
            "first_study_procedure_date": draw(
                st.sampled_from([None, "2025-09-09", "2025-09-10", "2025-09-11"])
            ),
        }
    elif kind == 12:  # odd but valid JSON: pydantic coerces, the lean check declines
        record["ecog"] = draw(st.sampled_from([1.0, "1", True]))
    elif kind == 13:  # invalid: both paths must refuse
        choice = draw(st.integers(0, 13))
        lesion = {"id": "a", "organ": "liver", "progressing": True}
        if choice == 6:
            record["labs"]["alt"] = {"value": 5, "unit": "U/L", "lower_limit": 9, "upper_limit": 8}
        elif choice == 7:
            record["oligoprogression"]["lesions"] = [lesion | {"lymph_node_region": "12p"}]
        elif choice == 8:
            record["oligoprogression"]["lesions"] = [lesion, lesion | {"organ": "bone"}]
        elif choice == 9:
            record["oligoprogression"]["lesions"] = [lesion]
            record["history"]["prior_radiotherapy"] = [{"site": "liver", "lesion_ids": ["b"]}]
        elif choice == 10:
            record["flst"]["adverse_events"] = [
                {"term": " ", "grade": 2, "attributed_to_flst": True}
            ]
        elif choice == 11:
            record["labs"]["ast"] = {"value": 30, "unit": "U/L", "date": "1900-01-01"}
        elif choice == 12:
            record["oligoprogression"]["lesions"] = [lesion | {"bone_type": "lytic"}]
        elif choice == 13:
            record["oligoprogression"]["lesions"] = [
                lesion | {"previously_irradiated": False, "progressed_after_rt": True}
            ]
        elif choice == 0:
            record["colour"] = "red"
        elif choice == 1:
            record["labs"]["afp"] = {"value": 5, "unit": "mg/furlong"}
        elif choice == 2:
            record["screening_date"] = "2027-01-01"
        elif choice == 3:
            record["flst"]["start_date"] = "2025-09-01"
        elif choice == 4:
            record["labs"]["inr"] = {"value": 0, "unit": ""}
        else:
            record["oligoprogression"]["lesions"] = [
                {"id": "a", "organ": "liver", "progressing": True, "longest_diameter_mm": -1}
            ]
    elif kind == 14:
        record["ecog"] = draw(st.sampled_from([None, 0, 1, 2]))
        record["attestations"]["expected_survival_months"] = draw(
            st.sampled_from([None, 5.9, 6, 24])
        )
    elif kind == 15:
        record["history"]["prior_radiotherapy"] = draw(st.sampled_from([None, []]))
    elif kind == 16:
        record["flst"]["adverse_events"] = draw(
            st.sampled_from(
                [
                    None,
                    [],
                    [{"term": "x", "grade": 3, "attributed_to_flst": False}],
                    [
                        {
                            "term": "x",
                            "grade": 3,
                            "attributed_to_flst": True,
                            "onset_date": "2024-06-01",
                        }
                    ],
                ]
            )
        )
    else:
        group, key = draw(
            st.sampled_from(
                [
                    ("diagnosis", "basis"),
                    ("diagnosis", "histology"),
                    ("samples", "tumour"),
                    ("history", "organ_transplant"),
                    ("flst", "setting"),
                    ("oligoprogression", "confirmed_by"),
                    ("attestations", "investigator_excludes"),
                ]
            )
        )
        record[group][key] = None


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    record = copy.deepcopy(draw(st.sampled_from(EXAMPLES)))
    for _ in range(draw(st.integers(0, 4))):
        _mutate(draw, record)
    return record


def _per_patient(protocol: Protocol, data: dict[str, Any]) -> tuple[list[int], int] | None:
    try:
        record = record_from_data(data, as_of=AS_OF)
    except InputError:
        return None
    result = evaluate(protocol, record)
    return [STATUS_CODES[c.status] for c in result.criteria], OVERALL_CODES[result.overall]


def _check(protocol: Protocol, batch: list[dict[str, Any]]) -> None:
    """Both batch entry points (parsed dicts and JSON lines) against the per-patient path."""
    expected = [_per_patient(protocol, copy.deepcopy(d)) for d in batch]
    lines = [json.dumps(d, ensure_ascii=False).encode() for d in batch]
    if any(e is None for e in expected):
        first_bad = next(i for i, e in enumerate(expected) if e is None) + 1
        with pytest.raises(InputError, match=rf"^line {first_bad}: "):
            screen_records(protocol, batch, as_of=AS_OF)
        with pytest.raises(InputError, match=rf"^line {first_bad}: "):
            screen_lines(protocol, lines, as_of=AS_OF)
        return
    for result in (
        screen_records(protocol, batch, as_of=AS_OF),
        screen_lines(protocol, lines, as_of=AS_OF),
    ):
        _same(result, expected, batch)


def _same(result: Any, expected: list[Any], batch: list[dict[str, Any]]) -> None:
    for i, e in enumerate(expected):
        assert e is not None
        assert result.status[i].tolist() == e[0], (i, batch[i])
        assert int(result.overall[i]) == e[1]


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(records())
def test_one_record_same_verdicts_both_paths(data: dict[str, Any]) -> None:
    _check(PROTOCOL, [data])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records(), min_size=2, max_size=12))
def test_batches_same_verdicts_both_paths(batch: list[dict[str, Any]]) -> None:
    _check(PROTOCOL, batch)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(records(), min_size=1, max_size=6))
def test_second_protocol_same_verdicts_both_paths(batch: list[dict[str, Any]]) -> None:
    _check(BREAST, batch)


def test_structs_mirror_the_pydantic_record() -> None:
    from oligotrial.eligibility.fast_decode import struct_for
    from oligotrial.eligibility.record import ScreeningRecord

    def walk(model: Any) -> None:
        struct = struct_for(model)
        assert struct.__struct_fields__ == tuple(model.model_fields)
        for info in model.model_fields.values():
            for arg in [info.annotation, *getattr(info.annotation, "__args__", ())]:
                inner = getattr(arg, "__args__", (arg,))[0]
                if isinstance(inner, type) and hasattr(inner, "model_fields"):
                    walk(inner)
                if isinstance(arg, type) and hasattr(arg, "model_fields"):
                    walk(arg)

    walk(ScreeningRecord)


def test_lines_with_odd_spacing_or_types_take_the_model_path() -> None:
    data = copy.deepcopy(EXAMPLES[0])
    data["patient_id"] = " SDCH-0001 "  # the model trims it; the struct path declines
    data["ecog"] = "1"  # the model coerces it; the struct path declines
    line = json.dumps(data).encode()
    result = screen_lines(PROTOCOL, [line], as_of=AS_OF)
    assert result.patient_ids == ("SDCH-0001",)
    assert result.status.tolist()[0] == _per_patient(PROTOCOL, data)[0]  # type: ignore[index]


def test_examples_take_the_fast_path() -> None:
    from oligotrial.eligibility.fast_decode import to_record_struct
    from oligotrial.eligibility.general_path import structs_of
    from oligotrial.eligibility.struct_columns import struct_columns

    structs, odd = structs_of(EXAMPLES, to_record_struct)
    assert not odd.any()
    columns = struct_columns(structs, odd, AS_OF)
    assert not columns.odd.any()
    result = screen_records(PROTOCOL, EXAMPLES, as_of=AS_OF)
    assert np.array_equal(result.overall, [_per_patient(PROTOCOL, e)[1] for e in EXAMPLES])  # type: ignore[index]


def test_chunks_agree_and_name_the_right_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import oligotrial.eligibility.batch as batch
    import oligotrial.eligibility.json_batch as json_batch

    monkeypatch.setattr(json_batch, "CHUNK", 3)
    monkeypatch.setattr(batch, "_RECORD_CHUNK", 3)
    odd = copy.deepcopy(EXAMPLES[1])
    odd["ecog"] = "1"  # valid, but only the model accepts it
    records = [*EXAMPLES[:7], odd, *EXAMPLES[7:10]]
    _check(PROTOCOL, records)
    bad = copy.deepcopy(EXAMPLES[2])
    bad["labs"]["inr"] = {"value": 0, "unit": ""}
    _check(PROTOCOL, [*records[:8], bad, *records[8:]])
    result = screen_lines(PROTOCOL, [json.dumps(r).encode() for r in records], as_of=AS_OF)
    assert result.patient_ids == tuple(r["patient_id"] for r in records)


def _column_facts(protocol: Protocol, batch: list[dict[str, Any]]) -> tuple[Any, dict[str, Any]]:
    from oligotrial.eligibility.column_facts import column_facts
    from oligotrial.eligibility.evaluate import fact_names
    from oligotrial.eligibility.fast_decode import to_record_struct
    from oligotrial.eligibility.general_path import structs_of as _structs
    from oligotrial.eligibility.rules_check import derivation_settings
    from oligotrial.eligibility.struct_columns import struct_columns

    structs, odd = _structs(batch, to_record_struct)
    columns = struct_columns(structs, odd, AS_OF)
    settings = derivation_settings(protocol)
    return columns.odd, column_facts(columns, settings, fact_names(protocol))


@st.composite
def lesion_records(draw: st.DrawFn) -> dict[str, Any]:
    """An example record with new random lesions (the lesion facts have many branches)."""
    record = copy.deepcopy(draw(st.sampled_from(EXAMPLES)))
    count = draw(st.integers(1, 6))
    record["oligoprogression"]["lesions"] = [_lesion(draw, i) for i in range(count)]
    return record


def _assert_same_facts(protocol: Protocol, batch: list[dict[str, Any]]) -> None:
    """Every fact, known or not, of each record the fast path accepts equals the
    per-patient fact; a record the model refuses is never accepted."""
    from oligotrial.eligibility.evaluate import fact_names
    from oligotrial.eligibility.facts import Missing, derive_facts
    from oligotrial.eligibility.rules_check import derivation_settings

    odd, facts = _column_facts(protocol, batch)
    settings_ = derivation_settings(protocol)
    for i, data in enumerate(batch):
        try:
            record = record_from_data(copy.deepcopy(data), as_of=AS_OF)
        except InputError:
            assert odd[i]
            continue
        if odd[i]:
            continue
        expected = derive_facts(record, settings_, fact_names(protocol))
        for name, (values, known) in facts.items():
            want = expected[name]
            assert bool(known[i]) == (not isinstance(want, Missing)), (name, i, want)
            if known[i]:
                assert values[i] == want, (name, values[i], want)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(records(), lesion_records()), min_size=1, max_size=8))
def test_fast_path_facts_equal_per_patient_facts(batch: list[dict[str, Any]]) -> None:
    _assert_same_facts(PROTOCOL, batch)


def test_lesion_size_boundaries_same_facts() -> None:
    """Measurability at its thresholds (10 mm, 2 x slice, 20 mm on X-ray, 15 mm nodes)."""
    batch = []
    for organ, nodal, key in (
        ("liver", False, "longest_diameter_mm"),
        ("lymph node", True, "short_axis_mm"),
        ("bone", False, "soft_tissue_component_mm"),
    ):
        for size in (9.9, 10, 12, 14.9, 15, 19.9, 20):
            for modality, slice_mm in (("CT", None), ("CT", 5), ("CT", 6), ("X-ray", None)):
                record = copy.deepcopy(EXAMPLES[0])
                lesion: dict[str, Any] = {
                    "id": "A",
                    "organ": organ,
                    "progressing": True,
                    "modality": modality,
                    "previously_irradiated": False,
                    key: size,
                }
                if nodal:
                    lesion |= {"nodal": True, "lymph_node_region": "12p"}
                if slice_mm is not None:
                    lesion["slice_thickness_mm"] = slice_mm
                record["oligoprogression"]["lesions"] = [lesion]
                batch.append(record)
    _assert_same_facts(PROTOCOL, batch)
