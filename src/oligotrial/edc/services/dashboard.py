"""What the trial office dashboards show, read in a fixed number of queries.

Accrual against the protocol's plan (linear over ``design.accrual_months`` from the first
randomization) by site and stratum, and the date accrual is projected to be complete
(:mod:`oligotrial.design.accrual_forecast`: the observed rate, or the planned rate while too
few patients are in); screen failures by the first criterion failed; overdue
visits (window passed, nothing recorded) and overdue samples (:mod:`.overdue_samples`) by
site; open queries by age; scan timing (visit
date minus due date) — by arm for the statistician only, pooled for everyone else, since
uneven scan timing between arms biases an open-label PFS comparison; PFS events of the
newest data cut against the interim and final triggers (``design.planned_events`` times
each ``design.interim_information``) with dates projected at the cut's event rate.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import F

from oligotrial.design.accrual_forecast import AccrualForecast, forecast_accrual
from oligotrial.edc.models import Allocation, DataCut, DataQuery, Role, Screening, Staff, Visit
from oligotrial.edc.services.access import current_actor, require_role, visible_patients
from oligotrial.edc.services.data_cuts import POOLED_READERS
from oligotrial.edc.services.overdue_samples import overdue_by_site
from oligotrial.edc.trial_config import SITE_FACTOR, current_protocol

DAYS_PER_MONTH = 365.25 / 12
QUERY_AGES = ((7, "≤ 7 days"), (30, "8–30 days"), (90, "31–90 days"), (None, "> 90 days"))


@dataclass(frozen=True)
class EventTrigger:
    name: str  # "interim 1", "final"
    look: int  # 1, 2, ...: the last look is the final analysis
    events: int
    reached: bool
    projected: dt.date | None  # None when reached or no rate yet


@dataclass(frozen=True)
class Events:
    cut_id: int
    cutoff: dt.date
    pfs_events: int
    triggers: list[EventTrigger]


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    planned_subjects: int
    accrual_months: float
    randomized_on: list[dt.date]
    by_site: list[tuple[str, int]]
    by_stratum: list[tuple[str, str, int]]
    screen_failures: list[tuple[str, int]]
    overdue: list[tuple[str, int]]
    query_age: list[tuple[str, int]]
    overdue_samples: list[tuple[str, int]] = field(default_factory=list)
    scan_delay: dict[str, list[int]] = field(default_factory=dict)  # arm or "all" -> days
    events: Events | None = None

    @property
    def expected_now(self) -> float:
        """Patients the linear plan expects by today."""
        if not self.randomized_on:
            return 0.0
        months = (self.today - self.randomized_on[0]).days / DAYS_PER_MONTH
        return min(1.0, months / self.accrual_months) * self.planned_subjects

    @property
    def forecast(self) -> AccrualForecast:
        """The rate of accrual and the date it is projected to be complete."""
        return forecast_accrual(
            self.randomized_on, self.today, self.planned_subjects, self.accrual_months
        )


def _events(cut: DataCut | None) -> Events | None:
    """PFS events of the newest cut (its ADTTE) against the triggers, projected linearly."""
    if cut is None:
        return None
    import pandas as pd

    path = Path(cut.folder) / "analysis" / "adtte.csv"
    if not path.is_file():
        return None
    adtte = pd.read_csv(path, usecols=["PARAMCD", "CNSR", "STARTDT"])
    pfs = adtte[adtte["PARAMCD"] == "PFS"]
    events = int((pfs["CNSR"] == 0).sum())
    first = pd.to_datetime(pfs["STARTDT"]).min()
    days = (cut.cutoff - first.date()).days if not pd.isna(first) else 0
    rate = events / days if days > 0 and events > 0 else 0.0  # events per day so far
    design = current_protocol().design
    looks = design.interim_information
    triggers = []
    for k, fraction in enumerate(looks, 1):
        need = round(fraction * design.planned_events)
        reached = events >= need
        projected = (
            cut.cutoff + dt.timedelta(days=round((need - events) / rate))
            if not reached and rate > 0
            else None
        )
        name = "final" if k == len(looks) else f"interim {k}"
        triggers.append(EventTrigger(name, k, need, reached, projected))
    return Events(cut.pk, cut.cutoff, events, triggers)


def dashboard(actor: Staff, today: dt.date) -> Dashboard:
    """The trial office dashboard for ``actor`` (trial office roles; nine queries)."""
    require_role(actor, POOLED_READERS, "reading the dashboards")
    staff = current_actor(actor)
    patients = visible_patients(staff)
    design = current_protocol().design
    allocations = list(
        Allocation.objects.filter(patient__in=patients)
        .order_by("randomized_on")
        .values_list("randomized_on", "patient__site__code", "patient__stratification")
    )
    strata: Counter[tuple[str, str]] = Counter()
    for _, _, stratification in allocations:
        for factor, level in (stratification or {}).items():
            if factor != SITE_FACTOR:
                strata[(str(factor), str(level))] += 1
    latest: dict[int, list[dict[str, object]]] = {}
    for pid, verdicts in (
        Screening.objects.filter(patient__in=patients)
        .order_by("patient_id", "version")
        .values_list("patient_id", "verdicts")
    ):
        latest[pid] = verdicts  # the newest version is in force
    failures: Counter[str] = Counter()
    for verdicts in latest.values():
        against = [str(v["id"]) for v in verdicts if v.get("in_favour") is False]
        if against:
            failures[against[0]] += 1
    overdue = (
        Visit.objects.filter(patient__in=patients, status="scheduled", due_date__isnull=False)
        .filter(due_date__lt=today)
        .values_list("patient__site__code", "due_date", "window_days")
    )
    late: Counter[str] = Counter()
    for site, due, window in overdue:
        if due is not None and due + dt.timedelta(days=window) < today:
            late[site] += 1
    ages: Counter[str] = Counter()
    for opened in DataQuery.objects.filter(patient__in=patients, status="open").values_list(
        "opened_at", flat=True
    ):
        age = (today - opened.date()).days
        ages[next(label for limit, label in QUERY_AGES if limit is None or age <= limit)] += 1
    by_arm = staff.role == Role.STATISTICIAN
    delays: dict[str, list[int]] = defaultdict(list)
    for arm, done, due in (
        Visit.objects.filter(
            patient__in=patients, status="done", number__gt=0, due_date__isnull=False
        )
        .annotate(arm=F("patient__allocation__arm"))
        .values_list("arm", "visit_date", "due_date")
    ):
        if done is not None and due is not None:
            delays[str(arm) if by_arm else "all"].append((done - due).days)
    return Dashboard(
        today=today,
        planned_subjects=design.planned_subjects,
        accrual_months=design.accrual_months,
        randomized_on=[a[0] for a in allocations],
        by_site=sorted(Counter(a[1] for a in allocations).items()),
        by_stratum=sorted((f, lv, n) for (f, lv), n in strata.items()),
        screen_failures=sorted(failures.items(), key=lambda kv: (-kv[1], kv[0])),
        overdue=sorted(late.items()),
        query_age=[(label, ages[label]) for _, label in QUERY_AGES],
        overdue_samples=overdue_by_site(patients, today),
        scan_delay=dict(sorted(delays.items())),
        events=_events(DataCut.objects.order_by("-made_at", "-id").first()),
    )


__all__ = ["Dashboard", "Events", "dashboard"]
