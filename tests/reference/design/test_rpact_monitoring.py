"""Conditional power and current bound against rpact (monitoring_reference.R)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from oligotrial.design.boundaries import group_sequential_design
from oligotrial.design.check import power_at_events
from oligotrial.design.monitoring import interim_status

REF = json.loads(Path(__file__).with_name("monitoring_reference.json").read_text())


@pytest.mark.parametrize("case", REF["conditional_power"], ids=lambda c: f"z{c['z']}")
def test_conditional_power_matches_rpact(case: dict[str, Any]) -> None:
    s = interim_status(
        events=[case["events"]],
        z=case["z"],
        planned_events=np.atleast_1d(case["planned"]).tolist(),
        hazard_ratio=case["hr"],
        alpha=case["alpha"],
        sides=case["sides"],
        spending=case["spending"],
    )
    assert s.bound == pytest.approx(case["bound"], rel=1e-6)
    assert s.conditional_power_trend == pytest.approx(case["conditional_power_trend"], rel=1e-4)
    assert s.conditional_power_design == pytest.approx(case["conditional_power_design"], rel=1e-4)


def test_power_at_planned_events_matches_rpact_get_power_survival() -> None:
    d = group_sequential_design("obrien-fleming", (0.5, 1.0), 0.05, 2, 0.9)
    assert power_at_events(d, 118, 0.55) == pytest.approx(REF["power_118_events"], rel=1e-4)
