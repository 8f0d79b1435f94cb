"""Group-sequential bounds and survival sample sizes against rpact (design_reference.R)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from oligotrial.design.boundaries import group_sequential_design
from oligotrial.design.sample_size import sample_size_survival
from oligotrial.design.survival_model import Accrual

REF = json.loads((Path(__file__).with_name("design_reference.json")).read_text())
RTOL = 1e-4


def vec(x: Any) -> np.ndarray:
    return np.atleast_1d(np.asarray(x, dtype=float))


def close(ours: Any, theirs: Any, rtol: float = RTOL) -> None:
    np.testing.assert_allclose(vec(ours), vec(theirs), rtol=rtol, atol=1e-9)


def _id(case: dict[str, Any]) -> str:
    looks = len(vec(case["information"]))
    return f"{case['spending']}-{looks}looks-s{case['sides']}-a{case['alpha']}-p{case['power']}"


@pytest.mark.parametrize("case", REF["boundaries"], ids=_id)
def test_boundaries_match_rpact(case: dict[str, Any]) -> None:
    d = group_sequential_design(
        case["spending"],
        vec(case["information"]).tolist(),
        case["alpha"],
        case["sides"],
        case["power"],
        gamma=case["gamma"],
    )
    close(d.z, case["z"])
    # rpact reports the last cumulative alpha as alpha minus its search tolerance (1e-8)
    close(d.cumulative_alpha, case["cumulative_alpha"])
    close(d.inflation_factor, case["inflation_factor"])
    close(d.drift2, case["drift2"])
    close(d.reject_h1, case["reject_h1"], rtol=1e-4)
    close(d.expected_information_h1, case["expected_information_h1"])
    close(d.expected_information_h0, case["expected_information_h0"])
    close(d.expected_information_h01, case["expected_information_h01"])


def test_grid_covers_what_the_issue_asks() -> None:
    cases = REF["boundaries"]
    assert {len(vec(c["information"])) for c in cases} == {2, 3, 4}
    assert {c["spending"] for c in cases} >= {"obrien-fleming", "pocock"}
    assert {c["sides"] for c in cases} == {1, 2}
    assert len({(c["alpha"], c["power"]) for c in cases}) >= 3


@pytest.mark.parametrize("case", REF["futility"], ids=lambda c: f"{len(c['information'])}looks")
def test_non_binding_futility_matches_rpact(case: dict[str, Any]) -> None:
    d = group_sequential_design(
        "obrien-fleming",
        case["information"],
        0.025,
        1,
        0.9,
        futility=vec(case["futility"]).tolist(),
    )
    close(d.z, case["z"])
    close(d.inflation_factor, case["inflation_factor"])
    close(d.reject_h1, case["reject_h1"])
    close(d.futility_h1[:-1], case["futility_h1"])
    close(d.expected_information_h1, case["expected_information_h1"])


@pytest.mark.parametrize(
    "case",
    REF["sample_sizes"],
    ids=lambda c: f"hr{c['hr']}-{c['method']}-{len(vec(c['info']))}looks",
)
def test_sample_size_matches_rpact(case: dict[str, Any]) -> None:
    design = group_sequential_design(
        case["sp"],
        vec(case["info"]).tolist(),
        case["alpha"],
        case["sides"],
        case["power"],
        gamma=-4,
    )
    s = sample_size_survival(
        hazard_ratio=case["hr"],
        control_median=case["median"],
        allocation_ratio=case["r"],
        accrual=case["acc"],
        follow_up=case["fu"],
        dropout_rate=case["drop"],
        method=case["method"],
        design=design,
    )
    close(s.events_fixed, case["events_fixed"])
    close(s.events, case["events"])
    close(s.events_per_look, case["events_per_look"])
    close(s.subjects, case["subjects"])
    close(s.analysis_times, case["analysis_times"])
    close(s.subjects_per_look, case["subjects_per_look"])
    if "expected_events_h1" in case:
        close(s.expected_events_h1, case["expected_events_h1"])
        close(s.expected_subjects_h1, case["expected_subjects_h1"])
        close(s.expected_duration_h1, case["expected_duration_h1"])


def _trial_design() -> Any:
    return group_sequential_design("obrien-fleming", (0.5, 1.0), 0.05, 2, 0.9)


def test_piecewise_exponential_control_matches_rpact() -> None:
    ref = REF["piecewise"]
    s = sample_size_survival(
        hazard_ratio=ref["hr"],
        control_hazard=tuple(ref["hazards"]),
        piecewise_times=tuple(float(v) for v in ref["starts"]),
        accrual=24,
        follow_up=12,
        dropout_rate=0.1,
        design=_trial_design(),
    )
    close(s.events, ref["events"])
    close(s.subjects, ref["subjects"])
    close(s.analysis_times, ref["analysis_times"])


def test_follow_up_solved_from_subjects_matches_rpact() -> None:
    ref = REF["given_subjects"]
    s = sample_size_survival(
        hazard_ratio=0.55,
        control_median=3.1,
        accrual=24,
        subjects=ref["subjects"],
        dropout_rate=0.1,
        design=_trial_design(),
    )
    close(s.follow_up_months, ref["follow_up"])
    close(s.analysis_times, ref["analysis_times"])


def test_piecewise_accrual_matches_rpact() -> None:
    ref = REF["piecewise_accrual"]
    s = sample_size_survival(
        hazard_ratio=0.55,
        control_median=3.1,
        accrual=Accrual.piecewise(ref["ends"], ref["intensity"]),
        follow_up=12,
        dropout_rate=0.1,
        design=_trial_design(),
    )
    close(s.subjects, ref["subjects"])
    close(s.analysis_times, ref["analysis_times"])


@pytest.mark.parametrize(
    "case",
    REF["beta_spending"],
    ids=lambda c: f"{c['futility_spending']}-{len(c['information'])}looks-p{c['power']}",
)
def test_beta_spending_futility_matches_rpact(case: dict[str, Any]) -> None:
    d = group_sequential_design(
        "obrien-fleming",
        case["information"],
        case["alpha"],
        1,
        case["power"],
        futility_spending=case["futility_spending"],
        futility_gamma=-4,
    )
    assert d.futility is not None
    close(d.futility, case["futility"])
    close(d.z, case["z"])
    close(d.inflation_factor, case["inflation_factor"])
    close(d.futility_h1[:-1], case["futility_h1"])
