"""The exploratory ctDNA and biopsy analyses: pure functions of typed observations.

- :func:`detection_by_time_point`: ctDNA detected at each time point by arm (exact CI).
- :func:`clearance`: among patients with ctDNA detected at baseline, the share with none
  detected at the first follow-up after RT.
- :func:`landmark_pfs`: PFS from a fixed landmark (the last first-follow-up draw) by ctDNA
  status at that draw, in patients progression-free and followed to the landmark
  (Anderson, Cain & Gelber, J Clin Oncol 1983;1:710-719: the landmark method avoids the
  guarantee-time bias of grouping by a status known only later).
- :func:`time_dependent_cox`: Cox model with ctDNA detected as a time-dependent covariate,
  counting-process (start, stop] rows split at each draw, last value carried forward, with
  the robust variance clustered on the patient (R: ``coxph(Surv(start, stop, event) ~ ctdna
  + arm + cluster(id))``); draws on or after the patient's PFS time are not used.
- :func:`gene_changes`: genes gained and lost between paired (baseline, progression)
  biopsies, by arm.
Days count from randomization (day 0).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from oligotrial.stats import clopper_pearson, cox_ph, kaplan_meier_by_group, logrank_test
from oligotrial.stats.cox import CoxResult


@dataclass(frozen=True)
class CtdnaObservation:
    subject: str
    arm: str
    time_point: str
    day: int
    detected: bool
    max_vaf_percent: float | None


@dataclass(frozen=True)
class PfsTime:
    subject: str
    arm: str
    days: float
    event: bool


@dataclass(frozen=True)
class BiopsyGenes:
    subject: str
    arm: str
    time_point: str
    genes: frozenset[str]


@dataclass(frozen=True)
class DetectionRow:
    time_point: str
    arm: str
    n: int
    detected: int
    percent: float | None
    lower: float | None
    upper: float | None


def detection_by_time_point(
    obs: Iterable[CtdnaObservation], time_points: Sequence[str], arms: Sequence[str]
) -> list[DetectionRow]:
    rows = []
    data = list(obs)
    for tp in time_points:
        for arm in arms:
            mine = [o for o in data if o.time_point == tp and o.arm == arm]
            hits = sum(o.detected for o in mine)
            if mine:
                ci = clopper_pearson(hits, len(mine))
                rows.append(
                    DetectionRow(
                        tp, arm, len(mine), hits, 100 * ci.estimate, 100 * ci.lower, 100 * ci.upper
                    )
                )
            else:
                rows.append(DetectionRow(tp, arm, 0, 0, None, None, None))
    return rows


@dataclass(frozen=True)
class ClearanceRow:
    arm: str
    detected_at_baseline: int  # with a first follow-up result
    cleared: int
    percent: float | None


def _by_subject(obs: Iterable[CtdnaObservation], tp: str) -> dict[str, CtdnaObservation]:
    return {o.subject: o for o in obs if o.time_point == tp}


def clearance(
    obs: Iterable[CtdnaObservation], baseline: str, follow_up: str, arms: Sequence[str]
) -> list[ClearanceRow]:
    data = list(obs)
    base, after = _by_subject(data, baseline), _by_subject(data, follow_up)
    rows = []
    for arm in arms:
        paired = [s for s, o in base.items() if o.arm == arm and o.detected and s in after]
        cleared = sum(not after[s].detected for s in paired)
        rows.append(
            ClearanceRow(arm, len(paired), cleared, 100 * cleared / len(paired) if paired else None)
        )
    return rows


@dataclass(frozen=True)
class LandmarkResult:
    landmark_day: int
    groups: dict[str, tuple[int, int, float | None]]  # label -> (n, events, median days)
    logrank_p: float | None
    cox: CoxResult | None  # hazard of "detected" vs "not detected"


def landmark_pfs(
    obs: Iterable[CtdnaObservation], pfs: Iterable[PfsTime], follow_up: str
) -> LandmarkResult | None:
    """None when no patient has a first-follow-up result."""
    after = _by_subject(obs, follow_up)
    if not after:
        return None
    landmark = max(o.day for o in after.values())
    rows = [(p, after[p.subject].detected) for p in pfs if p.subject in after and p.days > landmark]
    label = {True: "detected", False: "not detected"}
    groups: dict[str, tuple[int, int, float | None]] = {}
    if not rows:
        return LandmarkResult(landmark, groups, None, None)
    time = np.array([p.days - landmark for p, _ in rows], dtype=float)
    event = np.array([p.event for p, _ in rows], dtype=int)
    status = np.array([d for _, d in rows], dtype=bool)
    curves = kaplan_meier_by_group(time, event, [label[bool(d)] for d in status])
    for name, curve in curves.items():
        chosen = status == (name == "detected")
        median = curve.median
        groups[name] = (
            int(chosen.sum()),
            int(event[chosen].sum()),
            None if median is None else median + landmark,
        )
    two = len(curves) == 2 and event.sum() > 0
    test = logrank_test(time, event, status.astype(int)).p_value if two else None
    cox = cox_ph(time, event, {"ctdna_detected": status.astype(float)}) if two else None
    return LandmarkResult(landmark, groups, test, cox)


@dataclass(frozen=True)
class CountingProcess:
    subject: tuple[str, ...]
    start: np.ndarray
    stop: np.ndarray
    event: np.ndarray
    detected: np.ndarray
    experimental: np.ndarray


def counting_process(
    obs: Iterable[CtdnaObservation], pfs: Iterable[PfsTime], experimental_arm: str
) -> CountingProcess:
    """(start, stop] rows: a new row at each draw before the PFS time, the status being that
    of the latest draw; a patient enters at day 0 with the baseline draw (on or before day
    0), or at the first draw if there is none then."""
    draws: dict[str, list[CtdnaObservation]] = {}
    for o in obs:
        draws.setdefault(o.subject, []).append(o)
    subj: list[str] = []
    start: list[float] = []
    stop: list[float] = []
    event: list[int] = []
    det: list[bool] = []
    exp: list[bool] = []
    for p in pfs:
        mine = sorted(draws.get(p.subject, []), key=lambda o: o.day)
        mine = [o for o in mine if o.day < p.days]
        if not mine or p.days <= 0:
            continue
        t0, status = max(0.0, float(mine[0].day)), mine[0].detected
        for o in mine[1:]:
            if o.day <= t0:
                status = o.detected
                continue
            subj.append(p.subject)
            start.append(t0)
            stop.append(float(o.day))
            event.append(0)
            det.append(status)
            t0, status = float(o.day), o.detected
        subj.append(p.subject)
        start.append(t0)
        stop.append(p.days)
        event.append(int(p.event))
        det.append(status)
        exp.extend([p.arm == experimental_arm] * (len(subj) - len(exp)))
    return CountingProcess(
        tuple(subj),
        np.array(start, dtype=float),
        np.array(stop, dtype=float),
        np.array(event, dtype=int),
        np.array(det, dtype=float),
        np.array(exp, dtype=float),
    )


def time_dependent_cox(data: CountingProcess) -> CoxResult:
    return cox_ph(
        data.stop,
        data.event,
        {"ctdna_detected": data.detected, "experimental_arm": data.experimental},
        start=data.start,
        cluster=list(data.subject),
    )


@dataclass(frozen=True)
class GeneChange:
    gene: str
    arm: str
    gained: int
    lost: int
    pairs: int


def gene_changes(
    biopsies: Iterable[BiopsyGenes], first: str, second: str, arms: Sequence[str]
) -> list[GeneChange]:
    """Per gene and arm: patients in whom it appeared / disappeared between the pair."""
    by: dict[tuple[str, str], BiopsyGenes] = {(b.subject, b.time_point): b for b in biopsies}
    pairs = [
        (by[(s, first)], by[(s, second)]) for (s, tp) in by if tp == first and (s, second) in by
    ]
    out = []
    genes = sorted({g for a, b in pairs for g in a.genes | b.genes})
    for gene in genes:
        for arm in arms:
            mine = [(a, b) for a, b in pairs if a.arm == arm]
            gained = sum(gene in b.genes and gene not in a.genes for a, b in mine)
            lost = sum(gene in a.genes and gene not in b.genes for a, b in mine)
            if gained or lost:
                out.append(GeneChange(gene, arm, gained, lost, len(mine)))
    return out


@dataclass(frozen=True)
class ExploratoryData:
    """What the exploratory analyses read from the trial database."""

    ctdna: tuple[CtdnaObservation, ...]
    biopsies: tuple[BiopsyGenes, ...]
    ctdna_time_points: tuple[str, ...]
    biopsy_time_points: tuple[str, ...]
