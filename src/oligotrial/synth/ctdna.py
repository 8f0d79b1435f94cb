"""ctDNA sample records at the protocol's time points.

Time points (REFERENCE.md §1, protocol ``schedule.ctdna``): baseline (oligoprogression),
first follow-up after RT (arm A, about 4 weeks after RT ends; arm B, the first follow-up
visit), and progression. About 7 % of planned samples are not obtained.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np


@dataclass(frozen=True)
class CtdnaSample:
    sample_id: str
    timepoint: str  # baseline | first-follow-up-after-rt | progression
    planned: date
    collected: bool
    ctdna_detected: bool | None
    max_vaf_percent: float | None


def draw_ctdna(
    rng: np.random.Generator, subject: str, timepoints: list[tuple[str, date]], responding: bool
) -> list[CtdnaSample]:
    out: list[CtdnaSample] = []
    for i, (name, when) in enumerate(timepoints, start=1):
        collected = bool(rng.random() >= 0.07)
        detected: bool | None = None
        vaf: float | None = None
        if collected:
            p = {"baseline": 0.8, "progression": 0.9}.get(name, 0.35 if responding else 0.65)
            detected = bool(rng.random() < p)
            vaf = round(float(rng.lognormal(np.log(1.2), 1.0)), 2) if detected else 0.0
        out.append(CtdnaSample(f"{subject}-C{i}", name, when, collected, detected, vaf))
    return out
