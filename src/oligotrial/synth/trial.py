"""A whole synthetic trial: screening stream, accrual, allocation, follow-up, outcomes.

Candidates arrive as a Poisson stream over the accrual period at sites that open one
after another; eligible candidates are randomized 1:1. Outcomes follow the chosen
:mod:`scenario <oligotrial.synth.scenarios>`; dropout is exponential (10 % per year by
default, as the design assumes); follow-up ends at death, dropout or the data cut-off
(by default 12 months after the last randomization). Tumour scans follow the protocol
schedule with ±7-day windows and 6 % missed visits; progression is seen at the first scan
performed after the latent progression time; a few patients start a new anticancer
therapy before progression (their scans stop then).

Allocation here is a stand-in (stratified permuted blocks of 2 and 4 by site, lesion
location and ICI-containing FLST) unless ``allocate`` is given: a trial run through the
services passes a function that screens and randomizes through the product's randomization
service, and each patient's outcomes are then drawn for the arm the service allocated.
The scan days come from the protocol's schedule
(:func:`oligotrial.protocol.schedule.scheduled_assessments`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from itertools import takewhile

import numpy as np
import numpy.typing as npt

from oligotrial.clinical.oligo_site import oligoprogression_site
from oligotrial.protocol import load_protocol
from oligotrial.protocol.schedule import scheduled_assessments
from oligotrial.synth.candidates import FAILURE_SHARE, choose_failure, draw_candidate
from oligotrial.synth.catalogue import SECOND_LINE, SITES, Site
from oligotrial.synth.ctdna import (
    CLEARING_PFS_DAYS,
    BiopsySample,
    CtdnaSample,
    draw_biopsies,
    draw_ctdna,
    tumour_genes,
)
from oligotrial.synth.models import DAYS_PER_MONTH
from oligotrial.synth.records import Candidate
from oligotrial.synth.safety import SynthAdverseEvent, draw_adverse_events
from oligotrial.synth.scenarios import Scenario, get_scenario
from oligotrial.synth.tumour import TumourAssessment, TumourBaseline, select_targets, tumour_course

MISSED_VISIT_P = 0.06
HORIZON_DAYS = 3653.0  # visits are drawn for 10 years, then cut at end of follow-up
NEW_THERAPY_BEFORE_PD_P = 0.06


@dataclass(frozen=True)
class TrialPatient:
    usubjid: str
    candidate: Candidate
    arm: str
    randomized: date
    strata: dict[str, str]
    latent_pfs_day: float  # truth: progression (or death) time
    pfs_event_is_death: bool
    death_day: int | None  # observed death, days from randomization
    dropout_day: int | None  # observed loss to follow-up / withdrawal
    new_therapy_day: int | None  # new anticancer therapy before progression
    last_known_alive_day: int
    treatment: str
    treatment_start_day: int
    treatment_end_day: int
    treatment_end_reason: str
    rt_days: tuple[int, int] | None
    baseline: TumourBaseline
    assessments: tuple[TumourAssessment, ...]
    missed_visit_days: tuple[int, ...]
    adverse_events: tuple[SynthAdverseEvent, ...]
    ctdna: tuple[CtdnaSample, ...]
    biopsies: tuple[BiopsySample, ...] = ()

    @property
    def progression_day(self) -> int | None:
        pd = [a.day for a in self.assessments if a.expected_response == "PD"]
        return pd[0] if pd else None

    @property
    def intrahepatic_only(self) -> bool:
        return self.strata["oligoprogression_site"] == "intrahepatic-only"


@dataclass(frozen=True)
class SyntheticTrial:
    seed: int
    scenario: Scenario
    start: date
    cutoff: date
    sites: tuple[Site, ...]
    candidates: tuple[Candidate, ...]
    patients: tuple[TrialPatient, ...]
    settings: dict[str, float] = field(default_factory=dict)


#: ``allocate(candidates, randomized)``: every screened candidate in order of arrival, and
#: the eligible ones as (candidate, randomization date, strata) in order of randomization;
#: returns the arm of each randomized candidate, in the same order.
Allocator = Callable[
    [Sequence[Candidate], Sequence[tuple[Candidate, date, dict[str, str]]]], Sequence[str]
]


@cache
def _schedule_days(horizon_days: float) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Target day and window of each scan due up to ``horizon_days`` + 1 week."""
    periods = load_protocol().schedule.assessments
    due = list(
        takewhile(lambda a: a.week <= horizon_days / 7.0 + 1.0, scheduled_assessments(periods))
    )
    return tuple(a.day for a in due), tuple(a.window_days for a in due)


def visit_days(
    rng: np.random.Generator, horizon_days: float
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(nominal day, actual day) of each scheduled scan up to ``horizon_days`` (+ 1 week),
    actual = nominal ± the protocol's window, uniformly."""
    days, windows = _schedule_days(horizon_days)
    nominal = np.array(days, dtype=np.int64)
    window = np.array(windows, dtype=np.int64)
    jitter = rng.integers(-window, window + 1) if days else np.zeros(0, dtype=np.int64)
    return nominal, nominal + jitter


class _BlockAllocator:
    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.queues: dict[tuple[str, ...], list[str]] = {}

    def next(self, stratum: tuple[str, ...]) -> str:
        queue = self.queues.setdefault(stratum, [])
        if not queue:
            size = int(self.rng.choice([2, 4]))
            queue.extend(str(a) for a in self.rng.permutation(["A", "B"] * (size // 2)))
        return queue.pop(0)


def simulate_trial(
    seed: int,
    scenario: str | Scenario = "benefit",
    *,
    n_patients: int | None = None,
    sites: tuple[Site, ...] = SITES,
    start: date = date(2025, 7, 21),
    accrual_months: float | None = None,
    follow_up_months: float | None = None,
    dropout_per_year: float | None = None,
    cutoff: date | None = None,
    allocate: Allocator | None = None,
) -> SyntheticTrial:
    """Simulate screening and follow-up until ``n_patients`` are randomized.

    ``n_patients``, accrual, follow-up and dropout default to the shipped protocol's design
    assumptions. ``allocate`` (optional) decides the arms, e.g. through the randomization
    service; without it a stand-in stratified permuted-block list is used."""
    design = load_protocol().design
    n_patients = design.planned_subjects if n_patients is None else n_patients
    accrual_months = design.accrual_months if accrual_months is None else accrual_months
    follow_up_months = design.follow_up_months if follow_up_months is None else follow_up_months
    dropout_per_year = design.dropout_per_year if dropout_per_year is None else dropout_per_year
    sc = get_scenario(scenario) if isinstance(scenario, str) else scenario
    rng = np.random.default_rng(seed)
    rate = n_patients / (1.0 - FAILURE_SHARE) / accrual_months
    opens = [2.0 * k for k in range(len(sites))]
    t = 0.0
    candidates: list[Candidate] = []
    randomized: list[tuple[Candidate, date]] = []
    while len(randomized) < n_patients:
        t += float(rng.exponential(1.0 / rate))
        open_sites = [s for s, o in zip(sites, opens, strict=True) if o <= t]
        w = np.array([s.weight for s in open_sites])
        site = open_sites[int(rng.choice(len(open_sites), p=w / w.sum()))]
        consent = start + timedelta(days=round(t * DAYS_PER_MONTH))
        cand = draw_candidate(
            rng, f"SCR-{len(candidates) + 1:04d}", site, consent, choose_failure(rng)
        )
        candidates.append(cand)
        if cand.planned_failure is None:
            randomized.append((cand, consent + timedelta(days=int(rng.integers(2, 10)))))
    last = max(d for _, d in randomized)
    cut = cutoff or last + timedelta(days=round(follow_up_months * DAYS_PER_MONTH))
    dropout_rate = -np.log(1.0 - dropout_per_year) / 365.25
    strata_of = [_strata(cand) for cand, _ in randomized]
    if allocate is None:
        allocator = _BlockAllocator(rng)
        arms = [allocator.next(tuple(st.values())) for st in strata_of]
    else:
        arms = list(
            allocate(
                tuple(candidates),
                [(c, d, st) for (c, d), st in zip(randomized, strata_of, strict=True)],
            )
        )
        if len(arms) != len(randomized):
            raise ValueError("allocate must return one arm per randomized candidate")
    patients = []
    for i, ((cand, rdate), strata, arm) in enumerate(
        zip(randomized, strata_of, arms, strict=True), start=1
    ):
        patients.append(
            _follow(
                seed,
                i,
                sc,
                f"{cand.site}-{i:03d}",
                cand,
                arm,
                rdate,
                strata,
                (cut - rdate).days,
                dropout_rate,
            )
        )
    return SyntheticTrial(
        seed,
        sc,
        start,
        cut,
        sites,
        tuple(c for c in candidates if c.consent_date <= cut),
        tuple(p for p in patients if p.randomized <= cut),
        {
            "accrual_months": accrual_months,
            "follow_up_months": follow_up_months,
            "dropout_per_year": dropout_per_year,
        },
    )


def _strata(cand: Candidate) -> dict[str, str]:
    return {
        "site": cand.site,
        "oligoprogression_site": oligoprogression_site(x.clinical for x in cand.lesions)
        or "any-extrahepatic",
        "flst_ici": "ici" if cand.flst.ici else "no-ici",
    }


def _follow(
    seed: int,
    index: int,
    sc: Scenario,
    usubjid: str,
    cand: Candidate,
    arm: str,
    rdate: date,
    strata: dict[str, str],
    cutoff_day: int,
    dropout_rate: float,
) -> TrialPatient:
    """One patient's course. Each patient draws from generators keyed by (seed, patient,
    stream) and every draw is made for the whole course before the cut-off truncates it,
    so an earlier cut-off shows the same patients' histories up to that date."""
    rng = np.random.default_rng([seed, index, 0])
    tumour_rng = np.random.default_rng([seed, index, 1])
    other_rng = np.random.default_rng([seed, index, 2])
    model = sc.arm(arm)
    latent = float(model.pfs.sample(rng, 1)[0]) * DAYS_PER_MONTH
    death_first = bool(rng.random() < model.death_share_of_pfs_events)
    death_true = (
        latent
        if death_first
        else latent + float(model.post_progression.sample(rng, 1)[0]) * DAYS_PER_MONTH
    )
    death_true = float(max(round(death_true), 1))  # whole days from here on
    dropout_true = float(max(round(rng.exponential(1.0 / dropout_rate)), 1))
    nat_true = (
        float(rng.uniform(0.3, 0.9)) * latent
        if not death_first and rng.random() < NEW_THERAPY_BEFORE_PD_P
        else np.inf
    )
    end = min(death_true, dropout_true, float(cutoff_day))
    nominal, actual = visit_days(rng, HORIZON_DAYS)
    is_missed = rng.random(len(nominal)) < MISSED_VISIT_P
    responder = rng.random() < model.objective_response_rate
    complete = rng.random() < model.complete_response_share
    stops_early = rng.random() < 0.08
    ae_stop_day = int(rng.integers(20, 150))
    performed: list[tuple[int, int]] = []
    missed: list[int] = []
    pd_visit: int | None = None
    for nom, day, skip in zip(nominal.tolist(), actual.tolist(), is_missed.tolist(), strict=True):
        if day >= end or day >= nat_true:
            break
        if skip:
            missed.append(nom)
            continue
        performed.append((nom, day))
        if not death_first and day >= latent:
            pd_visit = len(performed) - 1
            break
    pattern = ("CR" if complete else "PR") if responder else "SD"
    baseline = select_targets(cand.lesions, rdate)
    course = tumour_course(tumour_rng, baseline, rdate, performed, pd_visit, pattern)
    death_day = round(death_true) if death_true <= min(dropout_true, cutoff_day) else None
    dropout_day = round(dropout_true) if dropout_true < min(death_true, cutoff_day) else None
    nat_day = round(nat_true) if nat_true < end else None
    pd_day = course[pd_visit].day if pd_visit is not None else None
    alive_to = death_day if death_day is not None else round(min(dropout_true, cutoff_day))
    stops = [
        (pd_day, "progression"),
        (death_day, "death"),
        (dropout_day, "lost to follow-up"),
        (nat_day, "new anticancer therapy"),
    ]
    if stops_early and ae_stop_day < alive_to:
        stops.append((ae_stop_day, "adverse event"))
    stops.append((alive_to, "ongoing at cut-off"))
    end_day, reason = min((d, r) for d, r in stops if d is not None)
    if arm == "A":
        rt_start = int(rng.integers(3, 15))
        rt = (rt_start, rt_start + int(rng.choice([5, 7, 10, 14])))
        treatment = f"RT + {cand.flst.regimen_name}"
        start_day = 0
    else:
        rt = None
        treatment = str(rng.choice(SECOND_LINE))
        start_day = int(rng.integers(1, 8))
    end_day = max(end_day, start_day + 1)
    organs = {x.organ for x in cand.lesions if x.progressing}
    aes = draw_adverse_events(
        other_rng,
        arm,
        end_day - start_day,
        "liver" in organs,
        "lung" in organs,
        None if death_day is None else death_day - start_day,
    )
    aes = [a for a in aes if a.onset_day + start_day <= alive_to]
    first_fu = (rt[1] + 28) if rt else 28
    timepoints = [("baseline", rdate)]
    if first_fu < alive_to:
        timepoints.append(("first-follow-up-after-rt", rdate + timedelta(days=first_fu)))
    if pd_day is not None:
        timepoints.append(("progression", rdate + timedelta(days=pd_day)))
    genes = tumour_genes(other_rng)
    ctdna = draw_ctdna(other_rng, usubjid, timepoints, latent >= CLEARING_PFS_DAYS, genes)
    biopsies = draw_biopsies(
        other_rng, usubjid, [t for t in timepoints if t[0] != "first-follow-up-after-rt"], genes
    )
    return TrialPatient(
        usubjid,
        cand,
        arm,
        rdate,
        strata,
        latent,
        death_first,
        death_day,
        dropout_day,
        nat_day,
        alive_to,
        treatment,
        start_day,
        end_day,
        reason,
        rt,
        baseline,
        tuple(course),
        tuple(missed),
        tuple(_shift(a, start_day) for a in aes),
        tuple(ctdna),
        tuple(biopsies),
    )


def _shift(ae: SynthAdverseEvent, start_day: int) -> SynthAdverseEvent:
    """Onset counted from treatment start -> from randomization."""
    return SynthAdverseEvent(
        ae.term, ae.soc, ae.grade, ae.serious, ae.onset_day + start_day, ae.related, ae.criteria
    )
