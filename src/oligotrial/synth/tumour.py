"""RECIST 1.1 measurements per visit that agree with a drawn progression time.

Baseline targets: measurable lesions, largest first, at most 5 in total and 2 per organ
(all lymph nodes one organ); the rest are non-targets (Eisenhauer 2009, REFERENCE.md §3).
Before the progression scan the target sum follows a response pattern (CR, PR or stable)
and never meets the PD rule (sum ≥ 1.2 × nadir and ≥ nadir + 5 mm); at the first scan
after the progression time it meets it exactly, either through the target sum or through
an unequivocal new lesion. The overall response each scan should receive is recorded in
``expected_response`` so the response engine can be checked against the generator.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from oligotrial.synth.records import SynthLesion


@dataclass(frozen=True)
class TargetMeasurement:
    lesion_id: str
    size_mm: float | None  # None: not assessed
    status: str  # measured | gone | not-assessed


@dataclass(frozen=True)
class TumourAssessment:
    visit: str
    nominal_day: int
    day: int
    date: date
    targets: tuple[TargetMeasurement, ...]
    non_targets: tuple[tuple[str, str], ...]  # (lesion id, present|absent|not-assessed)
    new_lesions: tuple[tuple[str, float], ...]  # (organ, size mm), unequivocal
    sum_mm: float | None
    expected_response: str  # CR | PR | SD | PD | NE


@dataclass(frozen=True)
class TumourBaseline:
    date: date
    targets: tuple[SynthLesion, ...]
    non_targets: tuple[SynthLesion, ...]

    @property
    def sum_mm(self) -> float:
        return float(sum(x.target_size_mm for x in self.targets))


def select_targets(lesions: tuple[SynthLesion, ...], baseline_date: date) -> TumourBaseline:
    measurable = sorted((x for x in lesions if x.measurable), key=lambda x: -x.target_size_mm)
    per_organ: dict[str, int] = {}
    targets: list[SynthLesion] = []
    for lesion in measurable:
        if len(targets) < 5 and per_organ.get(lesion.organ, 0) < 2:
            targets.append(lesion)
            per_organ[lesion.organ] = per_organ.get(lesion.organ, 0) + 1
    chosen = {x.lesion_id for x in targets}
    return TumourBaseline(
        baseline_date, tuple(targets), tuple(x for x in lesions if x.lesion_id not in chosen)
    )


def is_progression(current: float, nadir: float) -> bool:
    """RECIST 1.1 target PD, written as products: C ≥ 1.2·N and C − N ≥ 5 mm."""
    return 10 * current >= 12 * nadir and current - nadir >= 5


def _label(
    sizes: list[float], nodal: list[bool], base: float, nadir: float, non_targets_absent: bool
) -> str:
    total = sum(sizes)
    if is_progression(total, nadir):
        return "PD"
    if non_targets_absent and all(
        (s < 10) if n else (s == 0) for s, n in zip(sizes, nodal, strict=True)
    ):
        return "CR"
    if 10 * total <= 7 * base:
        return "PR"
    return "SD"


def tumour_course(
    rng: np.random.Generator,
    baseline: TumourBaseline,
    randomization: date,
    visits: list[tuple[int, int]],
    pd_visit: int | None,
    pattern: str,
) -> list[TumourAssessment]:
    """Assessments at ``visits`` (nominal day, actual day); PD at index ``pd_visit``.

    ``pattern`` is CR, PR or SD: the best response reached before progression.
    """
    base_sizes = [x.target_size_mm for x in baseline.targets]
    nodal = [x.nodal for x in baseline.targets]
    base = float(sum(base_sizes))
    if pattern == "CR":
        factor = 0.0
    elif pattern == "PR":
        factor = float(rng.uniform(0.35, 0.62))
    else:
        factor = float(rng.uniform(0.8, 1.08))
    ramp = int(rng.integers(1, 3))
    nadir = base
    prev = list(base_sizes)
    all_gone = pattern == "CR"
    out: list[TumourAssessment] = []
    n = len(visits) if pd_visit is None else pd_visit + 1
    for k in range(n):
        nominal, day = visits[k]
        new: tuple[tuple[str, float], ...] = ()
        missing_target = False
        if k == pd_visit:
            sizes, new = _progression_sizes(rng, prev, base_sizes, nadir)
        else:
            g = 1 + (factor - 1) * min(1.0, (k + 1) / ramp)
            if (k + 1) >= ramp and pattern != "CR":
                g *= 1 + float(rng.uniform(0.0, 0.06))
            sizes = _scaled(rng, base_sizes, nodal, g, reached=pattern == "CR" and k + 1 >= ramp)
            if is_progression(sum(sizes), nadir):  # rounding noise must not fake PD
                sizes = list(prev)
            missing_target = len(sizes) > 1 and rng.random() < 0.02
        absent = all_gone and (k + 1) >= ramp and k != pd_visit
        label = (
            "PD" if new else _label(sizes, nodal, base, nadir, absent or not baseline.non_targets)
        )
        targets = tuple(
            TargetMeasurement(t.lesion_id, None, "not-assessed")
            if missing_target and i == 0
            else TargetMeasurement(t.lesion_id, s, "gone" if s == 0 else "measured")
            for i, (t, s) in enumerate(zip(baseline.targets, sizes, strict=True))
        )
        if missing_target and label != "PD":
            label = "NE"
        non_targets = tuple(
            (x.lesion_id, "absent" if absent else "present") for x in baseline.non_targets
        )
        out.append(
            TumourAssessment(
                f"Week {nominal // 7}",
                nominal,
                day,
                randomization + timedelta(days=day),
                targets,
                non_targets,
                new,
                None if missing_target else float(sum(sizes)),
                label,
            )
        )
        if not missing_target:
            nadir = min(nadir, float(sum(sizes)))
            prev = sizes
    return out


def _scaled(
    rng: np.random.Generator, base_sizes: list[float], nodal: list[bool], g: float, reached: bool
) -> list[float]:
    sizes: list[float] = []
    for s, is_node in zip(base_sizes, nodal, strict=True):
        if reached:
            sizes.append(float(rng.integers(5, 10)) if is_node else 0.0)
        else:
            v = s * g * (1 + float(rng.normal(0, 0.03)))
            sizes.append(float(max(0, round(v))) if not is_node else float(max(5, round(v))))
    return sizes


NEW_LESION_ORGANS = ("liver", "lung", "bone", "lymph node")


def _progression_sizes(
    rng: np.random.Generator, prev: list[float], base_sizes: list[float], nadir: float
) -> tuple[list[float], tuple[tuple[str, float], ...]]:
    if rng.random() < 0.35 or not prev:
        organ = str(rng.choice(list(NEW_LESION_ORGANS), p=[0.5, 0.25, 0.1, 0.15]))
        return list(prev), ((organ, float(rng.integers(10, 26))),)
    required = max(math.ceil(1.2 * nadir - 1e-9), nadir + 5) + int(rng.integers(0, 7))
    total = float(sum(prev))
    if total <= 0:
        sizes = [0.0] * len(prev)
        sizes[int(np.argmax(base_sizes))] = float(required)
        return sizes, ()
    sizes = [float(round(s * required / total)) for s in prev]
    sizes[int(np.argmax(sizes))] += required - sum(sizes)
    return sizes, ()
