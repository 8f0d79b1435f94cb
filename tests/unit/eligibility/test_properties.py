"""Properties of the screening engine that must hold for any patient."""

from __future__ import annotations

import datetime as dt

from eligibility_kit import base, screen
from hypothesis import given, settings
from hypothesis import strategies as st

labs = st.fixed_dictionaries(
    {
        "bilirubin": st.floats(2, 120, allow_nan=False),
        "albumin": st.floats(15, 55, allow_nan=False),
        "inr": st.floats(0.8, 3.5, allow_nan=False),
        "ascites": st.sampled_from(["none", "mild", "moderate-severe"]),
        "encephalopathy": st.sampled_from(["none", "grade-1-2", "grade-3-4"]),
    }
)


def _i6(values: dict[str, object]) -> tuple[int, str]:
    data = base()
    data["labs"]["bilirubin"]["value"] = values["bilirubin"]
    data["labs"]["albumin"]["value"] = values["albumin"]
    data["labs"]["inr"]["value"] = values["inr"]
    data["ascites"] = values["ascites"]
    data["encephalopathy"] = values["encephalopathy"]
    i6 = next(c for c in screen(data).criteria if c.id == "I6")
    return int(i6.values["child_pugh_score"]), i6.status


@settings(max_examples=60, deadline=None)
@given(labs, st.sampled_from(["bilirubin", "albumin", "inr"]), st.floats(0, 40, allow_nan=False))
def test_worsening_a_lab_never_improves_child_pugh_or_i6(
    values: dict[str, object], lab: str, step: float
) -> None:
    score, verdict = _i6(values)
    worse = dict(values)
    change = -step / 2 if lab == "albumin" else (step / 20 if lab == "inr" else step)
    worse[lab] = max(float(values[lab]) + change, 0.5)  # type: ignore[arg-type]
    worse_score, worse_verdict = _i6(worse)
    assert worse_score >= score
    assert not (verdict == "not_met" and worse_verdict == "met")


@settings(max_examples=40, deadline=None)
@given(st.dates(dt.date(1940, 1, 1), dt.date(2010, 12, 31)))
def test_i9_met_exactly_when_age_on_consent_is_18_to_75(birth: dt.date) -> None:
    data = base()
    data["birth_date"] = birth.isoformat()
    consent = dt.date.fromisoformat(data["consent"]["date"])
    age = consent.year - birth.year - ((consent.month, consent.day) < (birth.month, birth.day))
    i9 = next(c for c in screen(data).criteria if c.id == "I9")
    assert i9.values["age_at_consent_years"] == age
    assert (i9.status == "met") == (18 <= age <= 75)


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 50000, allow_nan=False), st.sampled_from(["ng/mL", "IU/mL"]))
def test_e9_excludes_exactly_at_or_above_10000_ng_ml(value: float, unit: str) -> None:
    data = base()
    data["labs"]["afp"] = {"value": value, "unit": unit}
    e9 = next(c for c in screen(data).criteria if c.id == "E9")
    ng_ml = e9.values["afp_ng_ml"]
    assert (e9.status == "met") == (ng_ml >= 10000)
    factor = 1.21 if unit == "IU/mL" else 1.0
    assert abs(ng_ml - value * factor) <= 1e-9 * max(1.0, value)


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_removing_a_datum_never_turns_a_verdict_into_another_verdict(data: st.DataObject) -> None:
    """A missing datum can only make a decided criterion undecided, never flip it."""
    record = base()
    full = {c.id: c.status for c in screen(record).criteria}
    group, key = data.draw(
        st.sampled_from(
            [
                ("labs", "albumin"),
                ("labs", "afp"),
                ("hbv", "on_antiviral"),
                ("history", "other_malignancies"),
                ("flst", "start_date"),
                ("oligoprogression", "lesions"),
                ("attestations", "expected_survival_months"),
            ]
        )
    )
    record[group][key] = None
    for c in screen(record).criteria:
        assert c.status in (full[c.id], "cannot_tell")
