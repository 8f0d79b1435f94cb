"""Overall response table, non-target-only disease and new lesions (RECIST 1.1 tables 1–2)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from oligotrial.response import evaluate


def _one(b: SimpleNamespace, targets: dict, non_targets: dict, new: list | None = None) -> object:
    base = [b.target("T1", 20, organ="lung"), b.non_target("NT1")]
    return evaluate(b.record(base, [b.visit(56, targets, non_targets, new)])).time_points[0]


@pytest.mark.parametrize(
    ("t1", "nt1", "target", "non_target", "overall"),
    [
        ("gone", "absent", "CR", "CR", "CR"),
        ("gone", "present", "CR", "NON-CR/NON-PD", "PR"),
        ("gone", "not-assessed", "CR", "NE", "PR"),
        (12, "present", "PR", "NON-CR/NON-PD", "PR"),
        (12, "not-assessed", "PR", "NE", "PR"),
        (18, "present", "SD", "NON-CR/NON-PD", "SD"),
        (18, "not-assessed", "SD", "NE", "SD"),
        ("not-assessed", "present", "NE", "NON-CR/NON-PD", "NE"),
        (18, "unequivocal-progression", "SD", "PD", "PD"),
        ("gone", "unequivocal-progression", "CR", "PD", "PD"),
    ],
)
def test_overall_response_table(
    b: SimpleNamespace, t1: object, nt1: str, target: str, non_target: str, overall: str
) -> None:
    tp = _one(b, {"T1": t1}, {"NT1": nt1})
    assert (tp.target, tp.non_target, tp.overall) == (target, non_target, overall)


def test_unequivocal_new_lesion_is_pd_whatever_the_targets(b: SimpleNamespace) -> None:
    tp = _one(b, {"T1": "gone"}, {"NT1": "absent"}, [{"id": "N1", "status": "unequivocal"}])
    assert tp.overall == "PD"
    assert tp.new_lesions == "yes"
    assert "unequivocal new lesion N1" in tp.reason


def test_new_node_below_10_mm_is_not_a_new_lesion(b: SimpleNamespace) -> None:
    small = [{"id": "N1", "status": "unequivocal", "nodal": True, "short_axis_mm": 9}]
    tp = _one(b, {"T1": 18}, {"NT1": "present"}, small)
    assert tp.overall == "SD"
    big = [{"id": "N1", "status": "unequivocal", "nodal": True, "short_axis_mm": 10}]
    assert _one(b, {"T1": 18}, {"NT1": "present"}, big).overall == "PD"


def test_equivocal_new_lesion_confirmed_later_dates_pd_back(b: SimpleNamespace) -> None:
    base = [b.target("T1", 40)]
    rec = b.record(
        base,
        [
            b.visit(56, {"T1": 30}),
            b.visit(112, {"T1": 29}, new=[{"id": "N1", "status": "equivocal"}]),
            b.visit(168, {"T1": 29}, new=[{"id": "N1", "status": "equivocal"}]),
            b.visit(224, {"T1": 29}, new=[{"id": "N1", "status": "unequivocal"}]),
        ],
    )
    result = evaluate(rec)
    overall = [tp.overall for tp in result.time_points]
    assert overall == ["SD", "PD", "SD", "PD"]
    assert result.time_points[1].backdated
    assert "confirmed on 2025-08-13" in result.time_points[1].reason
    assert result.progression_date == b.rand.replace(month=4, day=23)  # day 112


def test_equivocal_new_lesion_never_confirmed_is_not_pd(b: SimpleNamespace) -> None:
    rec = b.record(
        [b.target("T1", 40)],
        [
            b.visit(56, {"T1": 30}, new=[{"id": "N1", "status": "equivocal"}]),
            b.visit(112, {"T1": 30}),
        ],
    )
    result = evaluate(rec)
    assert [tp.overall for tp in result.time_points] == ["SD", "SD"]
    assert result.time_points[0].new_lesions == "equivocal"
    assert result.progression_date is None


def test_non_target_only_disease_reports_non_cr_non_pd(b: SimpleNamespace) -> None:
    base = [b.non_target("NT1"), b.non_target("NT2", organ="peritoneum")]
    rec = b.record(
        base,
        [
            b.visit(56, non_targets={"NT1": "present", "NT2": "present"}),
            b.visit(112, non_targets={"NT1": "absent", "NT2": "absent"}),
            b.visit(168, non_targets={"NT1": "absent", "NT2": "not-assessed"}),
            b.visit(224, non_targets={"NT1": "unequivocal-progression", "NT2": "absent"}),
        ],
    )
    result = evaluate(rec)
    assert [tp.overall for tp in result.time_points] == ["NON-CR/NON-PD", "CR", "NE", "PD"]
    assert all(tp.target == "NA" and tp.sum_mm is None for tp in result.time_points)
    assert result.baseline_sum_mm is None


def test_target_cr_without_non_targets_is_cr(b: SimpleNamespace) -> None:
    rec = b.record([b.target("T1", 20)], [b.visit(56, {"T1": "gone"})])
    tp = evaluate(rec).time_points[0]
    assert (tp.non_target, tp.overall) == ("NA", "CR")


def test_visits_given_out_of_order_are_evaluated_in_date_order(b: SimpleNamespace) -> None:
    rec = b.record([b.target("T1", 50)], [b.visit(112, {"T1": 42}), b.visit(56, {"T1": 30})])
    tps = evaluate(rec).time_points
    assert [tp.day for tp in tps] == [56, 112]
    assert tps[1].overall == "PD"  # 42 ≥ 1.2 × 30 and +12 mm


def test_small_new_node_that_grows_is_dated_when_it_counts(b: SimpleNamespace) -> None:
    # a new 8 mm node is not a new lesion; when it reaches 10 mm, PD is dated then, not back
    small = [{"id": "N1", "status": "unequivocal", "nodal": True, "short_axis_mm": 8}]
    grown = [{"id": "N1", "status": "unequivocal", "nodal": True, "short_axis_mm": 12}]
    rec = b.record(
        [b.target("T1", 40)],
        [b.visit(56, {"T1": 38}, new=small), b.visit(112, {"T1": 38}, new=grown)],
    )
    result = evaluate(rec)
    assert [tp.overall for tp in result.time_points] == ["SD", "PD"]
    assert not result.time_points[0].backdated
