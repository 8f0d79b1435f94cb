"""Child-Pugh: band edges of every item, class edges, input checks, array form."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from oligotrial.clinical.child_pugh import (
    ASCITES_CODES,
    ENCEPHALOPATHY_CODES,
    MISSING_SCORE,
    albumin_points,
    bilirubin_points,
    child_pugh,
    child_pugh_grade,
    child_pugh_points_array,
    child_pugh_score_array,
    inr_points,
    parse_ascites,
    parse_encephalopathy,
)
from oligotrial.clinical.units import to_canonical
from oligotrial.errors import InputError

BEST = {
    "bilirubin_umol_l": 10.0,
    "albumin_g_l": 42.0,
    "inr": 1.0,
    "ascites": "none",
    "encephalopathy": "none",
}


@pytest.mark.parametrize(
    ("value", "points"),
    [(0.0, 1), (33.99, 1), (34.0, 2), (42.0, 2), (51.0, 2), (51.01, 3), (300.0, 3)],
)
def test_bilirubin_bands(value: float, points: int) -> None:
    assert bilirubin_points(value) == points


@pytest.mark.parametrize(
    ("value", "points"),
    [(50.0, 1), (35.01, 1), (35.0, 2), (30.0, 2), (28.0, 2), (27.99, 3), (15.0, 3)],
)
def test_albumin_bands(value: float, points: int) -> None:
    assert albumin_points(value) == points


@pytest.mark.parametrize(("value", "points"), [(29.99, 3), (30.0, 2), (28.0, 3)])
def test_albumin_lower_cutoff_configurable_to_30(value: float, points: int) -> None:
    assert albumin_points(value, lower_g_l=30.0) == points


@pytest.mark.parametrize(
    ("value", "points"),
    [(0.9, 1), (1.69, 1), (1.7, 2), (2.0, 2), (2.3, 2), (2.31, 3), (4.0, 3)],
)
def test_inr_bands(value: float, points: int) -> None:
    assert inr_points(value) == points


def test_mg_dl_bilirubin_converted_one_way() -> None:
    assert bilirubin_points(to_canonical("bilirubin", 1.98, "mg/dL")) == 1  # 33.858 µmol/L
    assert bilirubin_points(to_canonical("bilirubin", 2.0, "mg/dL")) == 2  # 34.2 µmol/L
    assert bilirubin_points(to_canonical("bilirubin", 2.98, "mg/dL")) == 2  # 50.958 µmol/L
    assert bilirubin_points(to_canonical("bilirubin", 3.0, "mg/dL")) == 3  # 51.3 µmol/L


def test_bilirubin_cutoffs_configurable_to_mg_dl_reading() -> None:
    mg_dl_reading = (34.2, 51.3)
    three_mg_dl = to_canonical("bilirubin", 3.0, "mg/dL")
    assert bilirubin_points(three_mg_dl, cutoffs_umol_l=mg_dl_reading) == 2
    assert bilirubin_points(51.31, cutoffs_umol_l=mg_dl_reading) == 3
    assert bilirubin_points(34.1, cutoffs_umol_l=mg_dl_reading) == 1
    with pytest.raises(InputError) as err:
        bilirubin_points(20.0, cutoffs_umol_l=(51.0, 34.0))
    assert err.value.field == "bilirubin_cutoffs_umol_l"


def test_albumin_g_dl_edges_after_conversion() -> None:
    assert albumin_points(to_canonical("albumin", 3.5, "g/dL")) == 2
    assert albumin_points(to_canonical("albumin", 3.51, "g/dL")) == 1
    assert albumin_points(to_canonical("albumin", 2.8, "g/dL")) == 2
    assert albumin_points(to_canonical("albumin", 2.79, "g/dL")) == 3


@pytest.mark.parametrize(
    ("score", "grade"), [(5, "A"), (6, "A"), (7, "B"), (9, "B"), (10, "C"), (15, "C")]
)
def test_grade_edges(score: int, grade: str) -> None:
    assert child_pugh_grade(score) == grade


@pytest.mark.parametrize("bad", [4, 16, 7.0, True])
def test_grade_rejects_impossible_scores(bad: object) -> None:
    with pytest.raises(InputError):
        child_pugh_grade(bad)  # type: ignore[arg-type]


def test_best_patient_is_a5() -> None:
    result = child_pugh(**BEST)  # type: ignore[arg-type]
    assert (result.score, result.grade, result.label) == (5, "A", "A5")
    assert dict(result.points) == {
        "bilirubin": 1,
        "albumin": 1,
        "inr": 1,
        "ascites": 1,
        "encephalopathy": 1,
    }


def test_class_edge_6_7() -> None:
    six = child_pugh(**{**BEST, "ascites": "mild"})  # type: ignore[arg-type]
    seven = child_pugh(**{**BEST, "ascites": "mild", "albumin_g_l": 35.0})  # type: ignore[arg-type]
    assert (six.label, seven.label) == ("A6", "B7")


def test_class_edge_7_8() -> None:
    seven = child_pugh(**{**BEST, "bilirubin_umol_l": 34.0, "inr": 1.7})  # type: ignore[arg-type]
    eight = child_pugh(  # type: ignore[arg-type]
        **{**BEST, "bilirubin_umol_l": 34.0, "inr": 1.7, "encephalopathy": "grade-1-2"}
    )
    assert (seven.label, eight.label) == ("B7", "B8")


def test_class_edge_9_10() -> None:
    nine = child_pugh(  # type: ignore[arg-type]
        bilirubin_umol_l=51.0, albumin_g_l=28.0, inr=2.3, ascites="mild", encephalopathy="none"
    )
    ten = child_pugh(  # type: ignore[arg-type]
        bilirubin_umol_l=51.01, albumin_g_l=28.0, inr=2.3, ascites="mild", encephalopathy="none"
    )
    assert (nine.label, ten.label) == ("B9", "C10")


def test_worst_patient_is_c15() -> None:
    result = child_pugh(
        bilirubin_umol_l=100.0,
        albumin_g_l=20.0,
        inr=3.0,
        ascites="moderate-severe",
        encephalopathy="grade-3-4",
    )
    assert result.label == "C15"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Grade 1-2", "grade-1-2"),
        ("grade I-II", "grade-1-2"),
        ("grade 3–4", "grade-3-4"),
        ("absent", "none"),
        ("grade_2", "grade-1-2"),
    ],
)
def test_encephalopathy_spellings(text: str, expected: str) -> None:
    assert parse_encephalopathy(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("None", "none"),
        ("slight", "mild"),
        ("Moderate/Severe", "moderate-severe"),
        ("moderate–severe", "moderate-severe"),
        ("tense", "moderate-severe"),
    ],
)
def test_ascites_spellings(text: str, expected: str) -> None:
    assert parse_ascites(text) == expected


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("bilirubin_umol_l", -1.0),
        ("bilirubin_umol_l", math.nan),
        ("albumin_g_l", 0.0),
        ("albumin_g_l", -30.0),
        ("inr", 0.0),
        ("inr", -1.2),
        ("inr", math.inf),
        ("ascites", "some"),
        ("encephalopathy", "grade 5"),
    ],
)
def test_impossible_inputs_name_the_field(field: str, value: object) -> None:
    with pytest.raises(InputError) as err:
        child_pugh(**{**BEST, field: value})  # type: ignore[arg-type]
    assert err.value.field == field


# --- array form -------------------------------------------------------------------------


def test_array_form_matches_named_examples() -> None:
    scores = child_pugh_score_array(
        [10.0, 34.0, 51.01, 100.0],
        [42.0, 35.0, 28.0, 20.0],
        [1.0, 1.7, 2.3, 3.0],
        [1, 1, 2, 3],
        [1, 1, 1, 3],
    )
    assert scores.tolist() == [5, 8, 10, 15]
    points = child_pugh_points_array([34.0], [35.0], [1.7], [1], [1])
    assert points.tolist() == [[2, 2, 2, 1, 1]]


def test_array_form_broadcasts_scalars() -> None:
    scores = child_pugh_score_array([10.0, 60.0], 40.0, 1.0, 1, 1)
    assert scores.tolist() == [5, 7]


def test_array_missing_raises_by_default_and_flags_when_allowed() -> None:
    with pytest.raises(InputError) as err:
        child_pugh_score_array([10.0, 20.0], [40.0, np.nan], [1.0, 1.0], [1, 1], [1, 1])
    assert err.value.field == "albumin"
    scores = child_pugh_score_array(
        [10.0, 20.0], [40.0, np.nan], [1.0, 1.0], [1, 1], [1, 1], allow_missing=True
    )
    assert scores.tolist() == [5, MISSING_SCORE]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (([-1.0], [40.0], [1.0], [1], [1]), "bilirubin_umol_l"),
        (([10.0], [40.0], [0.0], [1], [1]), "inr"),
        (([10.0], [40.0], [1.0], [4], [1]), "ascites_code"),
        (([10.0], [40.0], [1.0], [1], [0]), "encephalopathy_code"),
        (([10.0], [np.inf], [1.0], [1], [1]), "albumin_g_l"),
    ],
)
def test_array_rejects_impossible(args: tuple[list[float], ...], field: str) -> None:
    with pytest.raises(InputError) as err:
        child_pugh_score_array(*args)
    assert err.value.field == field


bilirubins = st.floats(min_value=0.0, max_value=200.0)
albumins = st.floats(min_value=5.0, max_value=60.0)
inrs = st.floats(min_value=0.5, max_value=5.0)
ascites_levels = st.sampled_from(list(ASCITES_CODES))
enceph_levels = st.sampled_from(list(ENCEPHALOPATHY_CODES))
edges = st.sampled_from([34.0, 34.2, 51.0, 51.3, 35.0, 30.0, 28.0, 1.7, 2.3])


@given(
    b=st.one_of(bilirubins, edges),
    a=st.one_of(albumins, edges),
    i=st.one_of(inrs, edges),
    asc=ascites_levels,
    enc=enceph_levels,
    db=st.floats(0.0, 100.0),
    da=st.floats(0.0, 30.0),
    di=st.floats(0.0, 3.0),
    dasc=st.integers(0, 2),
    denc=st.integers(0, 2),
)
def test_worsening_never_lowers_score(
    b: float,
    a: float,
    i: float,
    asc: str,
    enc: str,
    db: float,
    da: float,
    di: float,
    dasc: int,
    denc: int,
) -> None:
    before = child_pugh(bilirubin_umol_l=b, albumin_g_l=a, inr=i, ascites=asc, encephalopathy=enc)
    worse_asc = list(ASCITES_CODES)[min(2, ASCITES_CODES[asc] - 1 + dasc)]
    worse_enc = list(ENCEPHALOPATHY_CODES)[min(2, ENCEPHALOPATHY_CODES[enc] - 1 + denc)]
    after = child_pugh(
        bilirubin_umol_l=b + db,
        albumin_g_l=max(a - da, 0.1),
        inr=i + di,
        ascites=worse_asc,
        encephalopathy=worse_enc,
    )
    assert after.score >= before.score
    for item in before.points:
        assert after.points[item] >= before.points[item]


@given(
    rows=st.lists(
        st.tuples(
            st.one_of(bilirubins, edges),
            st.one_of(albumins, edges),
            st.one_of(inrs, edges),
            st.integers(1, 3),
            st.integers(1, 3),
        ),
        min_size=1,
        max_size=40,
    ),
    lower=st.sampled_from([28.0, 30.0]),
    bili_cut=st.sampled_from([(34.0, 51.0), (34.2, 51.3)]),
)
def test_array_equals_scalar(
    rows: list[tuple[float, float, float, int, int]],
    lower: float,
    bili_cut: tuple[float, float],
) -> None:
    b, a, i, asc, enc = (list(col) for col in zip(*rows, strict=True))
    options = {"albumin_lower_g_l": lower, "bilirubin_cutoffs_umol_l": bili_cut}
    points = child_pugh_points_array(b, a, i, asc, enc, **options)  # type: ignore[arg-type]
    scores = child_pugh_score_array(b, a, i, asc, enc, **options)  # type: ignore[arg-type]
    asc_names = list(ASCITES_CODES)
    enc_names = list(ENCEPHALOPATHY_CODES)
    for row, (bb, aa, ii, cc, ee) in enumerate(rows):
        scalar = child_pugh(
            bilirubin_umol_l=bb,
            albumin_g_l=aa,
            inr=ii,
            ascites=asc_names[cc - 1],
            encephalopathy=enc_names[ee - 1],
            albumin_lower_g_l=lower,
            bilirubin_cutoffs_umol_l=bili_cut,
        )
        assert scores[row] == scalar.score
        assert points[row].tolist() == list(scalar.points.values())
