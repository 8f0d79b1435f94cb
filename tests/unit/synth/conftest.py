"""Shared synthetic data for the synth tests (built once per session)."""

from datetime import date

import numpy as np
import pytest

from oligotrial.synth.candidates import FAILURE_WEIGHTS, choose_failure, draw_candidate
from oligotrial.synth.catalogue import SITES
from oligotrial.synth.records import Candidate
from oligotrial.synth.trial import SyntheticTrial, simulate_trial


@pytest.fixture(scope="session")
def many_candidates() -> list[Candidate]:
    rng = np.random.default_rng(20260101)
    out = []
    for i in range(3000):
        site = SITES[i % len(SITES)]
        out.append(draw_candidate(rng, f"C{i}", site, date(2026, 1, 15), choose_failure(rng)))
    return out


@pytest.fixture(scope="session")
def failing_candidates() -> dict[str, list[Candidate]]:
    rng = np.random.default_rng(99)
    return {
        key: [
            draw_candidate(rng, f"{key}-{i}", SITES[i % len(SITES)], date(2026, 2, 1), key)
            for i in range(60)
        ]
        for key in FAILURE_WEIGHTS
    }


@pytest.fixture(scope="session")
def trials() -> list[SyntheticTrial]:
    return [simulate_trial(seed, "benefit") for seed in range(6)]
