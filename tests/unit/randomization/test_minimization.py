"""Pocock-Simon minimization balances the margins of every factor."""

from __future__ import annotations

import numpy as np
import pytest

from oligotrial.errors import InputError
from oligotrial.randomization import (
    Factor,
    MinimizationSettings,
    add_to_counts,
    allocation_rng,
    imbalance_scores,
    minimize,
    replay,
)

FACTORS = (
    Factor("site", ("S01", "S02", "S03", "S04")),
    Factor("oligoprogression_site", ("intrahepatic-only", "any-extrahepatic")),
    Factor("flst_ici", ("ici", "no-ici")),
)
SETTINGS = MinimizationSettings(arms=("A", "B"), factors=FACTORS, p_best=0.8)


def simulate(
    settings: MinimizationSettings, n: int, seed: int
) -> dict[str, dict[str, dict[str, int]]]:
    rng = np.random.default_rng(seed)
    patients_rng = np.random.default_rng(seed + 1000)
    counts: dict[str, dict[str, dict[str, int]]] = {}
    for _ in range(n):
        patient = {f.name: f.levels[int(patients_rng.integers(len(f.levels)))] for f in FACTORS}
        decision = minimize(settings, counts, patient, rng)
        add_to_counts(counts, patient, decision.arm)
    return counts


def max_margin_imbalance(counts: dict[str, dict[str, dict[str, int]]]) -> int:
    return max(
        abs(arms.get("A", 0) - arms.get("B", 0))
        for levels in counts.values()
        for arms in levels.values()
    )


def test_scores_follow_the_hand_worked_example() -> None:
    counts = {
        "site": {"S01": {"A": 3, "B": 1}},
        "oligoprogression_site": {"intrahepatic-only": {"A": 2, "B": 2}},
        "flst_ici": {"ici": {"A": 0, "B": 1}},
    }
    patient = {"site": "S01", "oligoprogression_site": "intrahepatic-only", "flst_ici": "ici"}
    # A: |4-1| + |3-2| + |1-1| = 4 ; B: |3-2| + |2-3| + |0-2| = 4
    assert imbalance_scores(SETTINGS, counts, patient) == {"A": 4.0, "B": 4.0}
    weighted = MinimizationSettings(("A", "B"), FACTORS, 0.8, {"site": 2.0})
    assert imbalance_scores(weighted, counts, patient) == {"A": 7.0, "B": 5.0}


def test_deterministic_minimization_keeps_margins_within_one() -> None:
    counts = simulate(MinimizationSettings(("A", "B"), FACTORS, p_best=1.0), 132, seed=1)
    # with p_best = 1 the worst marginal imbalance stays small
    assert max_margin_imbalance(counts) <= 3


@pytest.mark.parametrize("seed", range(10))
def test_minimization_beats_simple_randomization(seed: int) -> None:
    minimized = max_margin_imbalance(simulate(SETTINGS, 132, seed))
    rng = np.random.default_rng(seed)
    patients_rng = np.random.default_rng(seed + 1000)
    counts: dict[str, dict[str, dict[str, int]]] = {}
    for _ in range(132):
        patient = {f.name: f.levels[int(patients_rng.integers(len(f.levels)))] for f in FACTORS}
        add_to_counts(counts, patient, "A" if rng.random() < 0.5 else "B")
    assert minimized <= max(6, max_margin_imbalance(counts))
    assert minimized <= 8


def test_same_seed_same_sequence() -> None:
    assert simulate(SETTINGS, 50, 4) == simulate(SETTINGS, 50, 4)


def test_p_best_below_half_and_unknown_level_are_refused() -> None:
    with pytest.raises(InputError, match="p_best"):
        MinimizationSettings(("A", "B"), FACTORS, p_best=0.3)
    with pytest.raises(InputError, match="site"):
        minimize(
            SETTINGS,
            {},
            {"site": "S99", "oligoprogression_site": "intrahepatic-only", "flst_ici": "ici"},
            np.random.default_rng(0),
        )


def test_replay_recomputes_each_allocation_from_the_seed() -> None:
    patients_rng = np.random.default_rng(3)
    patients = [
        {f.name: f.levels[int(patients_rng.integers(len(f.levels)))] for f in FACTORS}
        for _ in range(60)
    ]
    arms = replay(SETTINGS, 99, patients)
    assert arms == replay(SETTINGS, 99, patients)
    assert arms != replay(SETTINGS, 100, patients)
    # the same, allocation by allocation, with the per-allocation generator
    counts: dict[str, dict[str, dict[str, int]]] = {}
    for k, patient in enumerate(patients, start=1):
        arm = minimize(SETTINGS, counts, patient, allocation_rng(99, k)).arm
        assert arm == arms[k - 1]
        add_to_counts(counts, patient, arm)
