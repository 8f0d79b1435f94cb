"""Read-only queries behind the site home and the patient summary.

The site home lists one page of the patients a user may read (services.access rules) with
their status, next visit due, overdue and missed visits and open queries, in a fixed number
of queries whatever the number of patients (one per related table, never one per patient).
A scheduled visit is overdue once its window has passed (due date + window; the baseline
visit, whose window lies before randomization, once its due date has passed); the next
visit due is the earliest scheduled one whose window has not passed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Min

from oligotrial.edc.models import (
    Consent,
    DataQuery,
    Patient,
    Screening,
    Staff,
    Visit,
    VisitStatus,
)
from oligotrial.edc.schedule import window_closed
from oligotrial.edc.services.access import readable_patient, visible_patients
from oligotrial.edc.web.site.status import LABELS, patient_status, screening_outcome

PAGE_SIZE = 50


@dataclass(frozen=True)
class NextVisit:
    number: int
    due: dt.date
    window_days: int


@dataclass
class PatientRow:
    screening_number: str
    site: str
    status: str
    screening: str
    consented_on: dt.date | None = None
    arm: str | None = None
    randomization_number: str | None = None
    randomized_on: dt.date | None = None
    next_visit: NextVisit | None = None
    overdue: int = 0
    missed: int = 0
    open_queries: int = 0
    stratification: dict[str, Any] = field(default_factory=dict)

    @property
    def status_label(self) -> str:
        return str(LABELS[self.status])

    @property
    def screening_label(self) -> str:
        return str(LABELS[self.screening])


def site_patients(
    actor: Staff, today: dt.date, search: str = "", page: int | str = 1
) -> tuple[list[PatientRow], Page[Patient]]:
    """One page of the patients ``actor`` may read: its rows, and the page (for links)."""
    qs = (
        visible_patients(actor)
        .select_related("allocation", "death", "withdrawal")
        .order_by("site__code", "screening_number")
    )
    if search.strip():
        qs = qs.filter(screening_number__icontains=search.strip())
    paged = Paginator(qs, PAGE_SIZE).get_page(page)
    return rows_for(list(paged.object_list), today), paged


def rows_for(patients: list[Patient], today: dt.date) -> list[PatientRow]:
    """The rows of ``patients`` (loaded with site, allocation, death and withdrawal)."""
    ids = [p.id for p in patients]
    if not ids:
        return []
    screenings: dict[int, Screening] = {}
    for s in (
        Screening.objects.filter(patient_id__in=ids)
        .only("patient_id", "version", "overall", "eligible", "verdicts")
        .order_by("version", "id")
    ):
        screenings[s.patient_id] = s  # the newest record version is in force
    consents: dict[int, dt.date] = {}
    for c in (
        Consent.objects.filter(patient_id__in=ids, withdrawn_on__isnull=True)
        .only("patient_id", "signed_on")
        .order_by("signed_on")
    ):
        consents.setdefault(c.patient_id, c.signed_on)
    queries = dict(
        DataQuery.objects.filter(patient_id__in=ids, status="open")
        .values_list("patient_id")
        .annotate(n=Count("id"))
        .values_list("patient_id", "n")
    )
    missed = dict(
        Visit.objects.filter(patient_id__in=ids, status=VisitStatus.MISSED)
        .values_list("patient_id")
        .annotate(n=Count("id"))
        .values_list("patient_id", "n")
    )
    upcoming: dict[int, dict[str, Any]] = {
        r["patient_id"]: dict(r)
        for r in Visit.objects.filter(
            patient_id__in=ids, status=VisitStatus.SCHEDULED, due_date__gte=today
        )
        .values("patient_id")
        .annotate(first=Min("due_date"))
    }
    upcoming_visits: dict[tuple[int, dt.date | None], Visit] = {
        (v.patient_id, v.due_date): v
        for v in Visit.objects.filter(
            patient_id__in=ids,
            status=VisitStatus.SCHEDULED,
            due_date__in={r["first"] for r in upcoming.values()},
        )
    }
    past: dict[int, list[Visit]] = defaultdict(list)
    for v in Visit.objects.filter(
        patient_id__in=ids, status=VisitStatus.SCHEDULED, due_date__lt=today
    ).order_by("due_date"):
        past[v.patient_id].append(v)
    rows = []
    for p in patients:
        allocation = getattr(p, "allocation", None)
        death = getattr(p, "death", None)
        withdrawal = getattr(p, "withdrawal", None)
        screening = screenings.get(p.id)
        outcome = (
            screening_outcome(screening.overall, screening.eligible, screening.verdicts)
            if screening
            else screening_outcome(None)
        )
        row = PatientRow(
            screening_number=p.screening_number,
            site=p.site.code,
            status=patient_status(
                died=death is not None,
                withdrawal_kind=withdrawal.kind if withdrawal else None,
                randomized=allocation is not None,
                consented=p.id in consents,
                screening=outcome,
            ),
            screening=outcome,
            consented_on=consents.get(p.id),
            arm=allocation.arm if allocation else None,
            randomization_number=allocation.randomization_number if allocation else None,
            randomized_on=allocation.randomized_on if allocation else None,
            missed=missed.get(p.id, 0),
            open_queries=queries.get(p.id, 0),
            stratification=dict(p.stratification or {}),
        )
        if death is None and withdrawal is None:  # follow-up has ended otherwise
            _schedule(row, past.get(p.id, []), upcoming_visits, upcoming.get(p.id), today)
        rows.append(row)
    return rows


def _schedule(
    row: PatientRow,
    past: list[Visit],
    upcoming_visits: dict[tuple[int, dt.date | None], Visit],
    upcoming: dict[str, Any] | None,
    today: dt.date,
) -> None:
    for v in past:
        assert v.due_date is not None
        if window_closed(v.kind, v.due_date, v.window_days, today):
            row.overdue += 1
        elif row.next_visit is None:
            row.next_visit = NextVisit(v.number, v.due_date, v.window_days)
    if row.next_visit is None and upcoming is not None:
        first = upcoming_visits.get((upcoming["patient_id"], upcoming["first"]))
        if first is not None and first.due_date is not None:
            row.next_visit = NextVisit(first.number, first.due_date, first.window_days)


@dataclass(frozen=True)
class VisitLine:
    number: int
    kind: str
    due: dt.date | None
    window_days: int
    visit_date: dt.date | None
    state: str  # done | missed | overdue | in_window | due


VISIT_STATES = {"done", "missed", "overdue", "in_window", "due"}


def visit_state(v: Visit, today: dt.date) -> str:
    """Done, missed, overdue (window passed), in window (today), or due (later)."""
    if v.status == VisitStatus.DONE:
        return "done"
    if v.status == VisitStatus.MISSED:
        return "missed"
    if v.due_date is None:
        return "due"
    if window_closed(v.kind, v.due_date, v.window_days, today):
        return "overdue"
    start = v.due_date - dt.timedelta(days=v.window_days)
    return "in_window" if start <= today else "due"


@dataclass(frozen=True)
class PatientSummary:
    row: PatientRow
    visits: list[VisitLine]


def patient_summary(actor: Staff, screening_number: str, today: dt.date) -> PatientSummary:
    """Status, strata, arm and visits of one patient ``actor`` may read (else InputError)."""
    readable_patient(actor, screening_number)
    patient = (
        Patient.objects.select_related("site", "allocation", "death", "withdrawal")
        .filter(screening_number=screening_number)
        .get()
    )
    row = rows_for([patient], today)[0]
    visits = [
        VisitLine(v.number, v.kind, v.due_date, v.window_days, v.visit_date, visit_state(v, today))
        for v in Visit.objects.filter(patient=patient).order_by("number")
    ]
    return PatientSummary(row, visits)
