"""Every criterion at its boundary: one side passes, the other fails, nothing else moves."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from eligibility_kit import base, screen, status


def _days_before(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=days)).isoformat()


def _failed(data: dict[str, Any]) -> tuple[str, ...]:
    return screen(data).failed


def test_base_record_is_eligible() -> None:
    result = screen(base())
    assert result.overall == "eligible"
    assert result.failed == () and result.missing == ()


@pytest.mark.parametrize(
    ("birth", "age", "ok"),
    [
        ("2007-09-10", 18, True),  # 18th birthday on the consent date
        ("2007-09-11", 17, False),  # one day short of 18
        ("1950-09-10", 75, True),  # 75th birthday on the consent date
        ("1950-09-11", 74, True),
        ("1949-09-11", 75, True),  # last day of being 75
        ("1949-09-10", 76, False),  # 76th birthday on the consent date
    ],
)
def test_i9_age_18_to_75_inclusive_on_consent_date(birth: str, age: int, ok: bool) -> None:
    data = base()
    data["birth_date"] = birth
    result = screen(data)
    i9 = next(c for c in result.criteria if c.id == "I9")
    assert i9.values["age_at_consent_years"] == age
    assert i9.status == ("met" if ok else "not_met")
    assert result.failed == (() if ok else ("I9",))


def test_i9_uses_the_consent_date_not_screening_date() -> None:
    data = base()
    data["birth_date"] = "1949-09-12"  # 76 on 2025-09-12: after consent, before screening
    assert status(data, "I9") == "met"


def test_i9_leap_day_birthday() -> None:
    data = base()
    data["birth_date"] = "1948-02-29"
    data["consent"]["date"] = "2024-02-29"  # 76th birthday
    assert status(data, "I9") == "not_met"  # 76 on 2024-02-29
    data["birth_date"] = "1948-03-01"
    assert status(data, "I9") == "met"  # still 75 on 2024-02-29


def _child_pugh(data: dict[str, Any], bili: float, alb: float, inr: float, asc: str) -> None:
    data["labs"]["bilirubin"]["value"] = bili
    data["labs"]["albumin"]["value"] = alb
    data["labs"]["inr"]["value"] = inr
    data["ascites"] = asc


@pytest.mark.parametrize(
    ("bili", "alb", "inr", "asc", "score", "ok"),
    [
        (33.9, 35.1, 1.69, "none", 5, True),
        (34.0, 35.0, 1.69, "none", 7, True),  # band edges fall in the middle band
        (40.0, 33.0, 1.1, "mild", 8, False),
        (51.0, 28.0, 1.1, "none", 7, True),
        (51.1, 35.1, 1.1, "none", 7, True),
        (51.1, 34.9, 1.1, "none", 8, False),
        (20.0, 36.0, 2.31, "mild", 8, False),
    ],
)
def test_i6_child_pugh_7_vs_8(
    bili: float, alb: float, inr: float, asc: str, score: int, ok: bool
) -> None:
    data = base()
    _child_pugh(data, bili, alb, inr, asc)
    result = screen(data)
    i6 = next(c for c in result.criteria if c.id == "I6")
    assert i6.values["child_pugh_score"] == score
    assert result.failed == (() if ok else ("I6",))


def test_i6_bilirubin_in_mg_dl_and_albumin_in_g_dl() -> None:
    data = base()
    data["labs"]["bilirubin"] = {"value": 2.0, "unit": "mg/dL"}  # 34.2 µmol/L: 2 points
    data["labs"]["albumin"] = {"value": 2.7, "unit": "g/dL"}  # 27 g/L: 3 points
    result = screen(data)
    assert next(c for c in result.criteria if c.id == "I6").values["child_pugh_score"] == 8


@pytest.mark.parametrize(
    ("value", "unit", "excluded"),
    [
        (9999, "ng/mL", False),
        (10000, "ng/mL", True),
        (9999.99, "ng/mL", False),
        (8264, "IU/mL", False),  # 9999.44 ng/mL
        (8265, "IU/mL", True),  # 10000.65 ng/mL
        (10, "µg/L", False),
    ],
)
def test_e9_afp_9999_vs_10000(value: float, unit: str, excluded: bool) -> None:
    data = base()
    data["labs"]["afp"] = {"value": value, "unit": unit}
    assert status(data, "E9") == ("met" if excluded else "not_met")
    assert _failed(data) == (("E9",) if excluded else ())


@pytest.mark.parametrize(("days", "ok"), [(90, False), (91, True), (92, True)])
def test_i4_stable_disease_and_e2_progression_90_vs_91_days(days: int, ok: bool) -> None:
    data = base()
    data["flst"]["start_date"] = _days_before(data["oligoprogression"]["date"], days)
    data["flst"]["disease_control_date"] = None
    data["diagnosis"]["date"] = "2025-01-02"
    data["flst"]["adverse_events"] = []
    result = screen(data)
    i4 = next(c for c in result.criteria if c.id == "I4")
    e2 = next(c for c in result.criteria if c.id == "E2")
    assert i4.values["stable_disease_days"] == days
    assert e2.values["days_flst_start_to_progression"] == days
    assert result.failed == (() if ok else ("I4", "E2"))


def test_i4_stable_disease_from_disease_control_date_is_a_protocol_setting() -> None:
    from oligotrial.protocol import load_protocol

    data = base()
    data["flst"]["disease_control_date"] = _days_before(data["oligoprogression"]["date"], 90)
    protocol = load_protocol()
    alt = protocol.model_copy(
        update={
            "eligibility": {**protocol.eligibility, "stable_disease_from": "disease-control-date"}
        }
    )
    assert screen(data, alt).failed == ("I4",)
    assert screen(data).failed == ()


def _lesion(i: int, organ: str = "liver", **extra: Any) -> dict[str, Any]:
    return {
        "id": f"X{i}",
        "organ": organ,
        "longest_diameter_mm": 20 + i,
        "progressing": True,
        "previously_irradiated": False,
        "amenable_to_rt": True,
        **extra,
    }


@pytest.mark.parametrize(("count", "ok"), [(1, True), (5, True), (6, False)])
def test_i3_five_vs_six_lesions(count: int, ok: bool) -> None:
    data = base()
    data["oligoprogression"]["lesions"] = [_lesion(i) for i in range(count)]
    result = screen(data)
    i3 = next(c for c in result.criteria if c.id == "I3")
    assert i3.values["oligoprogressive_lesion_count"] == count
    assert result.failed == (() if ok else ("I3",))


def test_i3_zero_progressing_lesions_is_not_oligoprogression() -> None:
    data = base()
    for lesion in data["oligoprogression"]["lesions"]:
        lesion["progressing"] = False
    result = screen(data)
    assert "I3" in result.failed


@pytest.mark.parametrize(
    ("organs", "ok"),
    [
        (["liver", "left lung", "right lung"], True),  # paired organ: one system
        (["liver", "lung", "bone", "left adrenal"], False),
        (["liver", "lung", "T10 vertebra", "rib"], True),  # skeleton is one system
    ],
)
def test_i3_three_vs_four_organ_systems(organs: list[str], ok: bool) -> None:
    data = base()
    lesions = []
    for i, organ in enumerate(organs):
        extra = (
            {"bone_type": "lytic", "soft_tissue_component_mm": 15}
            if organ in ("T10 vertebra", "rib", "bone")
            else {}
        )
        lesions.append(_lesion(i, organ, **extra))
    data["oligoprogression"]["lesions"] = lesions
    assert _failed(data) == (() if ok else ("I3",))


def _node(i: int, region: str, short: float = 16) -> dict[str, Any]:
    return {
        "id": f"N{i}",
        "organ": "lymph node",
        "nodal": True,
        "lymph_node_region": region,
        "short_axis_mm": short,
        "progressing": True,
        "previously_irradiated": False,
        "amenable_to_rt": True,
    }


def test_i3_node_regions_count_once_each_and_16a_16b_apart() -> None:
    data = base()
    # liver + 16a1 + 16a2 (same region) + 16b1 + 12p + 12a (same station) = 4 lesions
    data["oligoprogression"]["lesions"] = [
        _lesion(0),
        _node(1, "16a1"),
        _node(2, "16a2"),
        _node(3, "16b1"),
        _node(4, "12p"),
        _node(5, "12a"),
    ]
    result = screen(data)
    i3 = next(c for c in result.criteria if c.id == "I3")
    assert i3.values["oligoprogressive_lesion_count"] == 4
    assert i3.values["oligoprogressive_organ_systems"] == 2
    data["oligoprogression"]["lesions"] += [_node(6, "8a"), _node(7, "13")]
    assert screen(data).failed == ("I3",)  # 6 lesions


def test_i3_lone_node_without_region_is_one_region_whatever_it_is() -> None:
    data = base()
    node = _node(1, "x")
    del node["lymph_node_region"]
    data["oligoprogression"]["lesions"] = [_lesion(0), node]
    i3 = next(c for c in screen(data).criteria if c.id == "I3")
    assert i3.status == "met" and i3.missing == ()
    assert i3.values["oligoprogressive_lesion_count"] == 2


def test_i3_node_without_region_asked_for_when_it_could_make_a_sixth_lesion() -> None:
    data = base()
    node = _node(9, "x")
    del node["lymph_node_region"]
    lesions = [_lesion(0), _lesion(1, "lung"), _lesion(2), _lesion(3), _node(4, "12"), node]
    data["oligoprogression"]["lesions"] = lesions
    i3 = next(c for c in screen(data).criteria if c.id == "I3")
    assert i3.status == "cannot_tell"
    assert i3.missing == ("oligoprogression.lesions.5.lymph_node_region",)
    assert i3.values["oligoprogressive_lesion_count"] == "5 to 6"
    assert i3.values["oligoprogressive_organ_systems"] == 3


def test_i3_node_without_region_not_asked_for_when_already_too_many() -> None:
    data = base()
    node = _node(9, "x")
    del node["lymph_node_region"]
    data["oligoprogression"]["lesions"] = [*(_lesion(i) for i in range(6)), node]
    i3 = next(c for c in screen(data).criteria if c.id == "I3")
    assert i3.status == "not_met" and i3.missing == ()


@pytest.mark.parametrize(
    ("poly", "oligo", "on_therapy", "ok"),
    [
        (False, True, True, True),  # repeat oligoprogression
        (True, False, True, True),  # induced oligoprogression
        (True, True, True, True),
        (False, False, True, False),  # de-novo
        (False, True, False, False),  # repeat oligorecurrence (off therapy)
    ],
)
def test_i3_estro_eortc_class(poly: bool, oligo: bool, on_therapy: bool, ok: bool) -> None:
    data = base()
    data["oligoprogression"]["prior_polymetastatic_disease"] = poly
    data["oligoprogression"]["prior_oligometastatic_disease"] = oligo
    data["flst"]["ongoing_at_oligoprogression"] = on_therapy
    failed = _failed(data)
    assert ("I3" in failed) == (not ok)


def test_i5_measurability_boundaries() -> None:
    data = base()
    data["oligoprogression"]["lesions"] = [
        _lesion(0, longest_diameter_mm=9.9, slice_thickness_mm=5),
        _lesion(1, "bone", bone_type="lytic"),  # no soft tissue: non-measurable
        _node(2, "8a", short=14.9),
    ]
    result = screen(data)
    assert result.failed == ("I5",)
    data["oligoprogression"]["lesions"][0]["longest_diameter_mm"] = 10
    assert _failed(data) == ()
    data["oligoprogression"]["lesions"][0]["longest_diameter_mm"] = 9.9
    data["oligoprogression"]["lesions"][1]["soft_tissue_component_mm"] = 10
    assert _failed(data) == ()
    data["oligoprogression"]["lesions"][1]["soft_tissue_component_mm"] = None
    data["oligoprogression"]["lesions"][2]["short_axis_mm"] = 15
    assert _failed(data) == ()


def test_i5_thick_slices_raise_the_minimum_size() -> None:
    data = base()
    data["oligoprogression"]["lesions"] = [_lesion(0, longest_diameter_mm=15, slice_thickness_mm=8)]
    assert _failed(data) == ("I5",)  # needs 16 mm
    data["oligoprogression"]["lesions"][0]["longest_diameter_mm"] = 16
    assert _failed(data) == ()


@pytest.mark.parametrize(("ecog", "ok"), [(0, True), (1, True), (2, False)])
def test_i7_ecog_0_to_1(ecog: int, ok: bool) -> None:
    data = base()
    data["ecog"] = ecog
    assert _failed(data) == (() if ok else ("I7",))


def test_e6_prior_rt_to_an_oligoprogressive_lesion() -> None:
    data = base()
    lesions = data["oligoprogression"]["lesions"]
    data["history"]["prior_radiotherapy"] = [
        {"date": "2024-10-01", "site": "segment 7 SBRT", "lesion_ids": ["L3"]}
    ]
    lesions[3]["previously_irradiated"] = None  # L3 is not progressing: irrelevant
    for lesion in lesions[:3]:
        lesion["previously_irradiated"] = None
    result = screen(data)
    e6 = next(c for c in result.criteria if c.id == "E6")
    assert e6.status == "cannot_tell"  # RT history exists; progressing lesions not assessed
    assert "oligoprogression.lesions.0.previously_irradiated" in e6.missing
    data["history"]["prior_radiotherapy"][0]["lesion_ids"] = ["L1"]
    lesions[0]["progressed_after_rt"] = True  # progressing in a treated volume
    result = screen(data)
    assert result.failed == ("E6",)  # L1 lay in the treated volume
    data["history"]["prior_radiotherapy"] = []
    assert _failed(data) == ()  # no RT ever: nothing irradiated


def test_e6_irradiated_lesion_progressed_after_rt_still_measurable_but_excluded() -> None:
    data = base()
    data["oligoprogression"]["lesions"] = [
        _lesion(0, previously_irradiated=True, progressed_after_rt=True)
    ]
    result = screen(data)
    assert result.failed == ("E6",)
    i5 = next(c for c in result.criteria if c.id == "I5")
    assert i5.values["measurable_oligoprogressive_lesions"] == 1


@pytest.mark.parametrize(
    ("hbsag", "antiviral", "dna", "uln", "excluded"),
    [
        (True, False, 21, 20, True),
        (True, False, 20, 20, False),  # equal to the limit is not above it
        (True, True, 5000, 20, False),  # on antivirals
        (False, False, 5000, 20, False),  # HBsAg negative
        (True, False, 2.0, 1.3, True),  # log10 IU/mL: 100 > 20 IU/mL
    ],
)
def test_e7_hbv_with_and_without_antivirals(
    hbsag: bool, antiviral: bool, dna: float, uln: float, excluded: bool
) -> None:
    data = base()
    data["hbv"] = {"hbsag_positive": hbsag, "on_antiviral": antiviral}
    unit = "log10 IU/mL" if dna < 10 else "IU/mL"
    data["labs"]["hbv_dna"] = {"value": dna, "unit": unit, "upper_limit": uln}
    assert _failed(data) == (("E7",) if excluded else ())


def test_e7_dna_needed_only_when_it_decides() -> None:
    data = base()
    data["labs"]["hbv_dna"] = None
    data["hbv"] = {"hbsag_positive": True, "on_antiviral": True}
    assert status(data, "E7") == "not_met"
    data["hbv"] = {"hbsag_positive": True, "on_antiviral": False}
    result = screen(data)
    e7 = next(c for c in result.criteria if c.id == "E7")
    assert e7.status == "cannot_tell" and e7.missing == ("labs.hbv_dna",)


@pytest.mark.parametrize(
    ("diagnosed", "category", "cured", "excluded"),
    [
        ("2022-09-15", "other", True, True),  # exactly 3 years before screening: within
        ("2022-09-14", "other", True, False),  # 3 years and 1 day: outside
        ("2025-01-10", "basal-cell-skin", True, False),  # exempt when cured
        ("2025-01-10", "squamous-cell-skin", True, False),
        ("2025-01-10", "carcinoma-in-situ", True, False),
        ("2025-01-10", "squamous-cell-skin", False, True),  # not cured: not exempt
        ("2025-01-10", "other", True, True),
    ],
)
def test_e10_other_malignancy_3_years_with_skin_exceptions(
    diagnosed: str, category: str, cured: bool, excluded: bool
) -> None:
    data = base()
    data["history"]["other_malignancies"] = [
        {
            "diagnosis": "test",
            "category": category,
            "diagnosis_date": diagnosed,
            "curatively_treated": cured,
        }
    ]
    assert _failed(data) == (("E10",) if excluded else ())


def test_e10_exempt_cancer_with_unknown_treatment_cannot_be_told() -> None:
    data = base()
    data["history"]["other_malignancies"] = [
        {"diagnosis": "BCC", "category": "basal-cell-skin", "diagnosis_date": "2025-01-10"}
    ]
    result = screen(data)
    assert result.overall == "incomplete"
    assert result.missing == ("history.other_malignancies.0.curatively_treated",)


@pytest.mark.parametrize(("days", "excluded"), [(27, True), (28, False)])
def test_e11_investigational_drug_within_4_weeks(days: int, excluded: bool) -> None:
    data = base()
    data["history"]["received_investigational_therapy"] = True
    data["history"]["last_investigational_therapy_date"] = _days_before(
        data["screening_date"], days
    )
    assert _failed(data) == (("E11",) if excluded else ())


@pytest.mark.parametrize(("grade", "excluded"), [(2, False), (3, True)])
def test_e4_grade_3_adverse_event(grade: int, excluded: bool) -> None:
    data = base()
    data["flst"]["adverse_events"].append(
        {"term": "Diarrhoea", "grade": grade, "attributed_to_flst": True}
    )
    assert _failed(data) == (("E4",) if excluded else ())
    data["flst"]["adverse_events"][-1]["attributed_to_flst"] = False
    assert _failed(data) == ()


@pytest.mark.parametrize(
    ("path", "value", "criterion"),
    [
        (("diagnosis", "basis"), "none", "I1"),
        (("samples", "blood"), False, "I10"),
        (("flst", "setting"), "adjuvant-after-curative-surgery", "E1"),
        (("diagnosis", "histology"), "combined-hcc-cca", "E3"),
        (("history", "bleeding_brain_peritoneal_omental_metastases"), True, "E5"),
        (("history", "in_other_interventional_study"), True, "E11"),
        (("history", "autoimmune_disease"), True, "E12"),
        (("attestations", "severe_comorbidity_or_active_infection"), True, "E13"),
        (("history", "allergy_to_study_drug"), True, "E14"),
        (("history", "organ_transplant"), True, "E15"),
        (("attestations", "investigator_excludes"), True, "E17"),
        (("attestations", "expected_survival_months"), 5.9, "I4"),
        (("flst", "prior_lines_with_progression"), 1, "I4"),
        (("oligoprogression", "confirmed_by"), None, None),
    ],
)
def test_recorded_and_attested_criteria(
    path: tuple[str, str], value: Any, criterion: str | None
) -> None:
    data = base()
    data[path[0]][path[1]] = value
    result = screen(data)
    if criterion is None:
        assert result.overall == "incomplete"
        assert result.missing == (".".join(path),)
    else:
        assert result.failed == (criterion,)


def test_e16_pregnancy_only_asked_of_women() -> None:
    data = base()
    assert status(data, "E16") == "not_met"  # male
    data["sex"] = "female"
    result = screen(data)
    assert result.missing == ("reproductive.pregnant", "reproductive.breastfeeding")
    data["reproductive"] = {"pregnant": False, "breastfeeding": True}
    assert _failed(data) == ("E16",)
    data["reproductive"] = {"pregnant": True}
    assert _failed(data) == ("E16",)  # decided without the missing breastfeeding datum


def test_i8_consent_before_any_procedure() -> None:
    data = base()
    data["consent"]["first_study_procedure_date"] = data["consent"]["date"]
    assert _failed(data) == ()
    data["consent"]["first_study_procedure_date"] = _days_before(data["consent"]["date"], 1)
    assert _failed(data) == ("I8",)
    data["consent"] = {"signed": False}
    result = screen(data)
    assert result.failed == ("I8",)
    assert result.missing == ("consent.date",)  # the age on the consent date is unknown
