"""Target sums, nadir and the CR/PR/SD/PD/NE thresholds of RECIST 1.1."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from oligotrial.response import evaluate


def _points(b: SimpleNamespace, baseline: list, *visits: dict) -> list:
    return list(evaluate(b.record(baseline, list(visits))).time_points)


def test_pd_reason_states_both_rules(b: SimpleNamespace) -> None:
    base = [b.target("T1", 30), b.target("T2", 20, organ="lung")]
    tps = _points(b, base, b.visit(56, {"T1": 30, "T2": 20}), b.visit(112, {"T1": 40, "T2": 24}))
    assert tps[1].overall == "PD"
    assert tps[1].reason == "PD: sum 64 mm ≥ 1.2 × nadir 50 mm and +14 mm"
    assert tps[1].change_from_nadir_pct == pytest.approx(28.0)


@pytest.mark.parametrize(
    ("second", "expected"),
    [(60, "PD"), (59.9, "SD")],  # exactly 1.2 × nadir 50 with +10 mm is PD; just below is not
)
def test_pd_relative_boundary_is_inclusive(
    b: SimpleNamespace, second: float, expected: str
) -> None:
    tps = _points(b, [b.target("T1", 50)], b.visit(56, {"T1": second}))
    assert tps[0].target == expected


@pytest.mark.parametrize(("size", "expected"), [(25, "PD"), (24.9, "SD")])
def test_pd_needs_5_mm_absolute_increase(b: SimpleNamespace, size: float, expected: str) -> None:
    # nadir 20 mm: 24 mm is +20% but only +4 mm -> not PD; 25 mm is +25% and +5 mm -> PD
    tps = _points(b, [b.target("T1", 30)], b.visit(56, {"T1": 20}), b.visit(112, {"T1": size}))
    assert tps[1].target == expected


@pytest.mark.parametrize(("size", "expected"), [(35, "PR"), (35.1, "SD")])
def test_pr_boundary_is_30_percent_inclusive(
    b: SimpleNamespace, size: float, expected: str
) -> None:
    tps = _points(b, [b.target("T1", 50)], b.visit(56, {"T1": size}))
    assert tps[0].target == expected


def test_decimal_sizes_compare_exactly(b: SimpleNamespace) -> None:
    # 0.7 × 12.3 = 8.61 exactly; binary floats would put 8.61 on either side
    tps = _points(b, [b.target("T1", 12.3)], b.visit(56, {"T1": 8.61}))
    assert tps[0].target == "PR"


def test_nadir_zero_reappearance_is_pd(b: SimpleNamespace) -> None:
    base = [b.target("T1", 20)]
    tps = _points(b, base, b.visit(56, {"T1": "gone"}), b.visit(112, {"T1": "too-small"}))
    assert tps[0].overall == "CR"
    assert tps[1].nadir_mm == 0
    assert tps[1].sum_mm == 5  # too small to measure counts 5 mm
    assert tps[1].change_from_nadir_pct is None  # undefined against a zero nadir, not NaN
    assert tps[1].overall == "PD"
    assert "nadir 0 mm and +5 mm" in tps[1].reason


def test_gone_target_measured_again_counts_as_recurrence(b: SimpleNamespace) -> None:
    base = [b.target("T1", 20), b.target("T2", 30, organ="lung")]
    tps = _points(b, base, b.visit(56, {"T1": "gone", "T2": 10}), b.visit(112, {"T1": 8, "T2": 10}))
    assert tps[1].sum_mm == 18
    assert tps[1].overall == "PD"  # 18 ≥ 1.2 × 10 and +8 mm


def test_nodal_target_below_10_mm_gives_cr_and_keeps_its_size_in_sum(b: SimpleNamespace) -> None:
    base = [b.target("T1", 20, organ="lung"), b.target("N1", 18, organ="lymph node", nodal=True)]
    tps = _points(b, base, b.visit(56, {"T1": "gone", "N1": 9}))
    assert tps[0].target == "CR"
    assert tps[0].sum_mm == 9  # the node's real short axis stays in the sum
    assert tps[0].change_from_baseline_pct == pytest.approx(-76.315789, rel=1e-6)


def test_nodal_target_at_10_mm_is_not_cr(b: SimpleNamespace) -> None:
    base = [b.target("T1", 20, organ="lung"), b.target("N1", 18, organ="lymph node", nodal=True)]
    tps = _points(b, base, b.visit(56, {"T1": "gone", "N1": 10}))
    assert tps[0].target == "PR"


def test_too_small_is_not_cr(b: SimpleNamespace) -> None:
    tps = _points(b, [b.target("T1", 20)], b.visit(56, {"T1": "too-small"}))
    assert tps[0].target == "PR"
    assert tps[0].sum_mm == 5


def test_split_lesion_fragments_are_added(b: SimpleNamespace) -> None:
    tps = _points(b, [b.target("T1", 30)], b.visit(56, {"T1": [12, 8.5]}))
    assert tps[0].sum_mm == 20.5
    assert tps[0].target == "PR"


def test_not_assessed_target_makes_ne(b: SimpleNamespace) -> None:
    base = [b.target("T1", 30), b.target("T2", 20, organ="lung")]
    tps = _points(b, base, b.visit(56, {"T1": 10, "T2": "not-assessed"}))
    assert tps[0].target == "NE"
    assert tps[0].overall == "NE"
    assert tps[0].sum_mm is None and not tps[0].sum_partial
    assert "T2 not assessed" in tps[0].reason


def test_omitted_target_counts_as_not_assessed(b: SimpleNamespace) -> None:
    base = [b.target("T1", 30), b.target("T2", 20, organ="lung")]
    tps = _points(b, base, b.visit(56, {"T1": 10}))
    assert tps[0].target == "NE"


def test_partial_sum_already_pd_overrides_ne(b: SimpleNamespace) -> None:
    base = [b.target("T1", 30), b.target("T2", 20, organ="lung")]
    tps = _points(b, base, b.visit(56, {"T1": 65, "T2": "not-assessed"}))
    assert tps[0].target == "PD"
    assert (
        tps[0].reason == "PD: sum 65 mm (partial: T2 not assessed) ≥ 1.2 × nadir 50 mm and +15 mm"
    )
    # the partial sum is reported, marked partial; changes from a partial sum are not given
    assert (tps[0].sum_mm, tps[0].sum_partial, tps[0].not_assessed) == (65, True, ("T2",))
    assert tps[0].change_from_baseline_pct is None


def test_partial_pd_sum_is_not_a_nadir(b: SimpleNamespace) -> None:
    base = [b.target("T1", 30), b.target("T2", 20, organ="lung")]
    tps = _points(
        b,
        base,
        b.visit(56, {"T1": 65, "T2": "not-assessed"}),
        b.visit(112, {"T1": 40, "T2": 20}),
    )
    assert tps[0].sum_partial and not tps[1].sum_partial
    assert tps[1].nadir_mm == 50 and tps[1].sum_mm == 60


def test_ne_visit_does_not_move_the_nadir(b: SimpleNamespace) -> None:
    base = [b.target("T1", 30), b.target("T2", 20, organ="lung")]
    tps = _points(
        b,
        base,
        b.visit(56, {"T1": 20, "T2": 10}),
        b.visit(112, {"T1": 5, "T2": "not-assessed"}),
        b.visit(168, {"T1": 21, "T2": 13}),
    )
    assert tps[2].nadir_mm == 30  # the partial sum 5 mm of the NE visit is not a nadir
    assert tps[2].overall == "PR"  # 34 < 1.2 × 30, so not PD; 34 ≤ 0.7 × 50
