"""Baseline selection rules and bad follow-up input: a named error, no partial result."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from pydantic import ValidationError

from oligotrial.endpoints import parse_patients
from oligotrial.errors import InputError
from oligotrial.response import ResponseSettings, evaluate


def _problem(b: SimpleNamespace, baseline: list, visits: list | None = None, **kw: object) -> str:
    with pytest.raises(InputError) as info:
        evaluate(b.record(baseline, visits or []), **kw)  # type: ignore[arg-type]
    return str(info.value)


def test_valid_selection_passes(b: SimpleNamespace) -> None:
    base = [
        b.target("T1", 10),
        b.target("T2", 12),
        b.target("T3", 15, organ="lymph node", nodal=True),
        b.target("T4", 20, organ="left lung"),
        b.target("T5", 11, organ="adrenal"),
        b.non_target("NT1"),
    ]
    assert evaluate(b.record(base, [])).time_points == ()


def test_more_than_five_targets(b: SimpleNamespace) -> None:
    organs = ["liver", "lung", "adrenal", "spleen", "kidney", "bone"]
    msg = _problem(b, [b.target(f"T{i}", 20, organ=o) for i, o in enumerate(organs)])
    assert "6 targets selected, at most 5 allowed" in msg


def test_more_than_two_per_organ(b: SimpleNamespace) -> None:
    msg = _problem(b, [b.target("T1", 20), b.target("T2", 20), b.target("T3", 20)])
    assert "3 targets in liver (T1, T2, T3), at most 2 per organ" in msg


def test_lymph_nodes_are_one_organ(b: SimpleNamespace) -> None:
    nodes = [
        b.target(f"N{i}", 20, organ=region, nodal=True)
        for i, region in enumerate(["lymph node", "porta hepatis lymph node", "liver"])
    ]
    assert "3 targets in lymph nodes" in _problem(b, nodes)


def test_paired_organs_are_one_organ(b: SimpleNamespace) -> None:
    lungs = [
        b.target("T1", 20, organ="left lung"),
        b.target("T2", 20, organ="Right lung"),
        b.target("T3", 20, organ="right lung"),
    ]
    assert "3 targets in lung" in _problem(b, lungs)


@pytest.mark.parametrize(("size", "ok"), [(10, True), (9.9, False)])
def test_non_nodal_measurable_from_10_mm(b: SimpleNamespace, size: float, ok: bool) -> None:
    base = [b.target("T1", size)]
    if ok:
        evaluate(b.record(base, []))
    else:
        assert "target T1 longest diameter 9.9 mm < 10 mm" in _problem(b, base)


@pytest.mark.parametrize(("size", "ok"), [(15, True), (14.9, False)])
def test_nodal_measurable_from_15_mm_short_axis(b: SimpleNamespace, size: float, ok: bool) -> None:
    base = [b.target("N1", size, organ="lymph node", nodal=True)]
    if ok:
        evaluate(b.record(base, []))
    else:
        assert "nodal target N1 short axis 14.9 mm < 15 mm" in _problem(b, base)


def test_thick_slices_double_the_minimum(b: SimpleNamespace) -> None:
    msg = _problem(b, [b.target("T1", 15, slice_thickness_mm=8)])
    assert "15 mm < 16 mm" in msg


def test_irradiated_lesion_measurable_only_after_progression(b: SimpleNamespace) -> None:
    not_progressed = [b.target("T1", 30, previously_irradiated=True)]
    assert "irradiated" in _problem(b, not_progressed)
    evaluate(
        b.record([b.target("T1", 30, previously_irradiated=True, progressed_after_rt=True)], [])
    )
    strict = ResponseSettings(irradiated_lesion_measurable_if_progressed=False)
    progressed = [b.target("T1", 30, previously_irradiated=True, progressed_after_rt=True)]
    assert "irradiated" in _problem(b, progressed, settings=strict)


def test_every_baseline_problem_is_listed_at_once(b: SimpleNamespace) -> None:
    base = [b.target("T1", 5), b.target("T2", 8, organ="lung"), b.target("T1", 20, organ="bone")]
    msg = _problem(b, base)
    assert msg.startswith("baseline:")
    assert "lesion id T1 used twice" in msg and "T2 longest diameter 8 mm" in msg


def test_no_baseline_lesion(b: SimpleNamespace) -> None:
    assert "no baseline lesion" in _problem(b, [])


def test_follow_up_lesion_never_at_baseline(b: SimpleNamespace) -> None:
    msg = _problem(b, [b.target("T1", 20)], [b.visit(56, {"T1": 10, "T9": 4})])
    assert msg == (
        "assessments[0] (2025-02-26).lesion T9: this lesion was never recorded at "
        "baseline (report it as a new lesion)"
    )


def test_non_target_reported_as_target(b: SimpleNamespace) -> None:
    msg = _problem(
        b, [b.target("T1", 20), b.non_target("NT1")], [b.visit(56, {"T1": 10, "NT1": 4})]
    )
    assert "lesion NT1: recorded as a non-target at baseline" in msg


def test_two_assessments_on_one_date(b: SimpleNamespace) -> None:
    msg = _problem(b, [b.target("T1", 20)], [b.visit(56, {"T1": 10}), b.visit(56, {"T1": 11})])
    assert (
        msg == "assessments[1] (2025-02-26): a second assessment on the same date as assessments[0]"
    )


def test_assessment_before_randomization(b: SimpleNamespace) -> None:
    msg = _problem(b, [b.target("T1", 20)], [b.visit(-3, {"T1": 10})])
    assert msg == "assessments[0] (2024-12-29): visit date is before randomization (2025-01-01)"


def test_lesion_reported_twice_in_one_visit(b: SimpleNamespace) -> None:
    v = b.visit(56, {"T1": 10})
    v["targets"].append({"lesion": "T1", "mm": 12})
    assert "lesion T1: reported twice at this visit" in _problem(b, [b.target("T1", 20)], [v])


def test_new_lesion_reusing_a_baseline_id(b: SimpleNamespace) -> None:
    v = b.visit(56, {"T1": 10}, new=[{"id": "T1", "status": "unequivocal"}])
    assert "new lesion T1: this id is a baseline lesion" in _problem(b, [b.target("T1", 20)], [v])


def _patient(b: SimpleNamespace, visits: list, baseline: list | None = None) -> dict:
    return {
        "subject_id": "001",
        "randomization_date": "2025-01-01",
        "baseline": baseline or [b.target("T1", 20)],
        "assessments": visits,
    }


def test_measurement_and_gone_on_one_record_names_visit_and_lesion(b: SimpleNamespace) -> None:
    raw = _patient(b, [b.visit(56, {"T1": {"status": "gone", "mm": 4}})])
    with pytest.raises(InputError) as info:
        parse_patients(raw)
    assert info.value.field == "assessments[0] (2025-02-26).targets[0] (T1)"
    assert info.value.problem == "lesion T1: a size is given on a record marked gone"


def test_negative_size_is_refused_with_its_path(b: SimpleNamespace) -> None:
    raw = _patient(b, [b.visit(56, {"T1": -3})])
    with pytest.raises(InputError) as info:
        parse_patients(raw)
    assert info.value.field == "assessments[0] (2025-02-26).targets[0] (T1).mm"
    assert "greater than or equal to 0" in info.value.problem


def test_negative_fragment_is_refused(b: SimpleNamespace) -> None:
    with pytest.raises(
        InputError, match=r"targets\[0\] \(T1\): lesion T1: fragment sizes must be ≥ 0"
    ):
        parse_patients(_patient(b, [b.visit(56, {"T1": [5, -1]})]))


def test_unknown_field_is_refused(b: SimpleNamespace) -> None:
    raw = _patient(b, [])
    raw["colour"] = "blue"
    with pytest.raises(InputError, match="colour"):
        parse_patients(raw)


def test_measured_without_a_size_is_refused() -> None:
    from oligotrial.response import TargetMeasurement

    with pytest.raises(ValidationError, match="needs mm or fragments_mm"):
        TargetMeasurement(lesion="T1")
