"""Pocock-Simon minimization with a seeded generator.

For a new patient, each arm's imbalance score is the weighted sum over factors of the range
(max - min) of arm counts at the patient's level after hypothetically assigning the patient
to that arm. The arm with the smallest score is chosen with probability ``p_best``; with
probability ``1 - p_best`` one of the other arms is chosen at random; ties are broken at
random. Sources: Pocock & Simon, Biometrics 1975;31:103-15; Scott et al., Control Clin Trials
2002;23:662-74 (p_best 0.8 keeps the next allocation unpredictable).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from oligotrial.errors import InputError
from oligotrial.randomization.strata import Factor

#: counts[factor][level][arm] -> number of patients already allocated.
Counts = Mapping[str, Mapping[str, Mapping[str, int]]]


@dataclass(frozen=True)
class MinimizationSettings:
    """Arms, factors, factor weights and the probability of taking the best arm."""

    arms: tuple[str, ...]
    factors: tuple[Factor, ...]
    p_best: float = 0.8
    weights: Mapping[str, float] | None = None

    def __post_init__(self) -> None:
        if not 0.5 <= self.p_best <= 1.0:
            raise InputError("randomization.minimization.p_best", "must be in [0.5, 1]")
        if len(self.arms) < 2:
            raise InputError("arms", "at least two arms are needed")
        for name, w in (self.weights or {}).items():
            if name not in {f.name for f in self.factors}:
                raise InputError("randomization.minimization.weights", f"unknown factor {name}")
            if w < 0:
                raise InputError("randomization.minimization.weights", f"{name} is negative")

    def weight(self, factor: str) -> float:
        return float((self.weights or {}).get(factor, 1.0))


@dataclass(frozen=True)
class MinimizationDecision:
    """The arm chosen, the score of every arm, and whether the best arm was taken."""

    arm: str
    scores: Mapping[str, float]
    took_best: bool


def imbalance_scores(
    settings: MinimizationSettings, counts: Counts, patient: Mapping[str, str]
) -> dict[str, float]:
    """Weighted sum over factors of the range of arm counts after assigning each arm."""
    scores: dict[str, float] = {}
    for candidate in settings.arms:
        total = 0.0
        for factor in settings.factors:
            level = patient.get(factor.name)
            if level not in factor.levels:
                raise InputError(f"stratification.{factor.name}", f"unknown level {level!r}")
            at_level = counts.get(factor.name, {}).get(level, {})
            after = [at_level.get(a, 0) + (1 if a == candidate else 0) for a in settings.arms]
            total += settings.weight(factor.name) * (max(after) - min(after))
        scores[candidate] = total
    return scores


def minimize(
    settings: MinimizationSettings,
    counts: Counts,
    patient: Mapping[str, str],
    rng: np.random.Generator,
) -> MinimizationDecision:
    """Allocate one patient by Pocock-Simon minimization."""
    scores = imbalance_scores(settings, counts, patient)
    low = min(scores.values())
    best = [a for a in settings.arms if scores[a] == low]
    others = [a for a in settings.arms if scores[a] != low]
    if len(best) == len(settings.arms):  # all tied: plain random
        return MinimizationDecision(_pick(best, rng), scores, True)
    take_best = bool(rng.random() < settings.p_best)
    arm = _pick(best, rng) if take_best else _pick(others, rng)
    return MinimizationDecision(arm, scores, take_best)


def _pick(arms: Sequence[str], rng: np.random.Generator) -> str:
    return arms[int(rng.integers(len(arms)))]


def add_to_counts(
    counts: dict[str, dict[str, dict[str, int]]], patient: Mapping[str, str], arm: str
) -> None:
    """Record an allocation in ``counts`` (in place)."""
    for factor, level in patient.items():
        by_arm = counts.setdefault(factor, {}).setdefault(level, {})
        by_arm[arm] = by_arm.get(arm, 0) + 1


def allocation_rng(seed: int, number: int) -> np.random.Generator:
    """The generator of the ``number``-th allocation (1-based), from the recorded seed.

    One stream per allocation, so any allocation can be recomputed on its own.
    """
    return np.random.default_rng(np.random.SeedSequence([seed, number]))


def replay(
    settings: MinimizationSettings, seed: int, patients: Sequence[Mapping[str, str]]
) -> list[str]:
    """The arms minimization gives ``patients`` allocated in this order from ``seed``."""
    counts: dict[str, dict[str, dict[str, int]]] = {}
    arms: list[str] = []
    for number, patient in enumerate(patients, start=1):
        arm = minimize(settings, counts, patient, allocation_rng(seed, number)).arm
        add_to_counts(counts, patient, arm)
        arms.append(arm)
    return arms
