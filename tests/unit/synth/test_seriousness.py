"""The synthetic trial's serious adverse events meet an ICH E2A criterion (CORE-000266):
a fatal one results in death, others are life-threatening, lead to hospitalisation or are
otherwise medically important; a non-serious one meets none."""

from __future__ import annotations

from collections import Counter

import numpy as np

from oligotrial.synth import simulate_trial
from oligotrial.synth.safety import draw_adverse_events, seriousness_criteria


def test_each_serious_event_meets_a_criterion_and_only_fatal_ones_death() -> None:
    seen: Counter[str] = Counter()
    for seed in (42, 7):
        for p in simulate_trial(seed, "benefit", n_patients=132).patients:
            for ae in p.adverse_events:
                assert bool(ae.criteria) == ae.serious, ae
                assert ("sae_death" in ae.criteria) == (ae.grade == 5), ae
                seen.update(ae.criteria)
    assert {"sae_hospitalisation", "sae_life_threatening"} <= set(seen)
    assert seen["sae_hospitalisation"] > seen["sae_medically_important"] > 0


def test_the_criterion_reuses_the_seriousness_draw() -> None:
    """The criteria take no draw of their own: the generator ends where it would without
    them (the events that follow, and every other number of the trial, stay the same)."""
    rng = np.random.default_rng(5)
    draw_adverse_events(rng, "B", 200, False, False)
    after = rng.random()
    replay = np.random.default_rng(5)
    for _ in range(10):  # ARM_B_AES: ten terms, a block of five uniforms and a gamma each
        replay.random(5)
        replay.gamma(1.5, 25.0)
    assert replay.random() == after


def test_criteria_by_grade() -> None:
    assert seriousness_criteria(3, False, 0.1) == ()
    assert seriousness_criteria(5, True, 0.99) == ("sae_death",)
    assert seriousness_criteria(4, True, 0.2) == ("sae_life_threatening",)
    assert seriousness_criteria(4, True, 0.7) == ("sae_hospitalisation",)
    assert seriousness_criteria(3, True, 0.95) == ("sae_medically_important",)
