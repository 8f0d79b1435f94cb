"""Every BCLC stage reachable with unknown inputs: the representative values miss none."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from oligotrial.clinical.bclc import bclc_stage
from oligotrial.clinical.bclc_bounds import possible_bclc_stages

# A fine grid of every input, to enumerate completions exhaustively.
GRID: dict[str, tuple[Any, ...]] = {
    "ecog": (0, 1, 2, 3, 4),
    "macrovascular_invasion": (False, True),
    "extrahepatic_spread": (False, True),
    "child_pugh": tuple(range(5, 16)),
    "tumour_count": (1, 2, 3, 4, 6),
    "largest_tumour_mm": (5.0, 19.9, 20.0, 25.0, 30.0, 30.1, 60.0),
}
patients = st.fixed_dictionaries({name: st.sampled_from(v) for name, v in GRID.items()})


def _stages(inputs: dict[str, Any], preserved: str) -> set[tuple[str, str]]:
    hidden = [name for name, value in inputs.items() if value is None]
    out = set()
    for combo in itertools.product(*(GRID[name] for name in hidden)):
        full = {**inputs, **dict(zip(hidden, combo, strict=True))}
        stage = bclc_stage(preserved=preserved, **full)  # type: ignore[arg-type]
        out.add((stage.stage, stage.liver_function))
    return out


@settings(max_examples=60, deadline=None)
@given(patients, st.sets(st.sampled_from(list(GRID)), max_size=3), st.sampled_from(["A", "B7"]))
def test_possible_stages_equal_exhaustive_completion(
    patient: dict[str, Any], hidden: set[str], preserved: str
) -> None:
    partial = {name: (None if name in hidden else v) for name, v in patient.items()}
    assert possible_bclc_stages(preserved=preserved, **partial) == _stages(partial, preserved)  # type: ignore[arg-type]


def test_ecog_3_is_stage_d_whatever_the_tumour() -> None:
    stages = possible_bclc_stages(
        tumour_count=None,
        largest_tumour_mm=None,
        macrovascular_invasion=None,
        extrahepatic_spread=None,
        ecog=3,
        child_pugh=None,
    )
    assert {stage for stage, _ in stages} == {"D"}


def test_spread_with_ecog_0_and_child_pugh_a_is_c_without_the_tumour_burden() -> None:
    stages = possible_bclc_stages(
        tumour_count=None,
        largest_tumour_mm=None,
        macrovascular_invasion=None,
        extrahepatic_spread=True,
        ecog=0,
        child_pugh=5,
    )
    assert stages == {("C", "preserved")}
