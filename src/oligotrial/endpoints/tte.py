"""Time-to-event endpoints PFS, OS and DOR with CDISC ADTTE censoring (REFERENCE §4).

PFS (FDA guidance "Clinical Trial Endpoints for the Approval of Cancer Drugs and
Biologics", 2018, table of PFS date and censoring rules): from randomization to the first
scan showing progression or death. CNSR 0 = event; 1 = no baseline or no adequate
post-baseline assessment (censored at randomization); 2 = no event (last adequate
assessment); 3 = new anticancer therapy before the event (last adequate assessment on or
before its start); 4 = event after ≥ N consecutive missed scheduled assessments (last
adequate assessment before the gap); 5 = withdrawal or loss to follow-up (last adequate
assessment on or before it). Death before the first assessment is an event (switchable).
DOR uses the same rules from the first CR/PR. OS: death from any cause, censored at last
known alive. AVAL in days is ADT − STARTDT + 1; months are days / 30.4375.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from oligotrial.endpoints.inputs import PatientRecord
from oligotrial.endpoints.schedule import missed_between
from oligotrial.endpoints.settings import EndpointSettings
from oligotrial.response.timepoint import ResponseResult

DAYS_PER_MONTH = 30.4375


@dataclass(frozen=True)
class TimeToEvent:
    """One ADTTE row."""

    paramcd: str
    start_date: dt.date
    date: dt.date
    cnsr: int
    event_description: str | None
    censor_description: str | None

    @property
    def days(self) -> int:
        """AVAL in days (start day counts as day 1)."""
        return (self.date - self.start_date).days + 1

    @property
    def months(self) -> float:
        return self.days / DAYS_PER_MONTH

    @property
    def event(self) -> bool:
        return self.cnsr == 0


def _censor(
    param: str,
    start: dt.date,
    date: dt.date,
    code: int,
    settings: EndpointSettings,
    detail: str = "",
) -> TimeToEvent:
    text = settings.reason(code) + (f" ({detail})" if detail else "")
    return TimeToEvent(param, start, date, code, None, text)


def progression_free(
    patient: PatientRecord,
    response: ResponseResult | None,
    settings: EndpointSettings | None = None,
    *,
    start: dt.date | None = None,
    paramcd: str = "PFS",
) -> TimeToEvent:
    """PFS (or DOR when ``start`` is the first response date) with its censoring code."""
    settings = settings or EndpointSettings()
    rand = patient.randomization_date
    begin = start or rand
    points = [tp for tp in (response.time_points if response else ()) if tp.date >= begin]
    adequate = [tp.date for tp in points if tp.adequate]
    pd_date = next((tp.date for tp in points if tp.overall == "PD"), None)
    events = [
        (d, what)
        for d, what in ((pd_date, "Disease progression"), (patient.death_date, "Death"))
        if d is not None
    ]
    event = min(events) if events else None

    def last_adequate(on_or_before: dt.date, strictly: bool = False) -> dt.date:
        kept = [d for d in adequate if (d < on_or_before if strictly else d <= on_or_before)]
        return max(kept) if kept else begin

    cuts: list[tuple[dt.date, int, str]] = []
    if settings.censor_at_new_anticancer_therapy and patient.new_therapy_date is not None:
        cuts.append(
            (patient.new_therapy_date, 3, f"therapy started {patient.new_therapy_date.isoformat()}")
        )
    if settings.censor_at_withdrawal and patient.withdrawal is not None:
        w = patient.withdrawal
        cuts.append((w.date, 5, f"{w.reason} on {w.date.isoformat()}"))
    cuts = [c for c in cuts if c[0] >= begin and (event is None or c[0] < event[0])]
    if cuts:
        date, code, detail = min(cuts)
        return _censor(paramcd, begin, last_adequate(date), code, settings, detail)
    if event is not None:
        event_date, what = event
        last = last_adequate(event_date, strictly=True)
        gap = settings.missed_assessments_for_gap
        if gap > 0:
            missed = missed_between(settings.schedule, (last - rand).days, (event_date - rand).days)
            if missed >= gap:
                detail = (
                    f"{what.lower()} on {event_date.isoformat()} after {missed} missed assessments"
                )
                return _censor(paramcd, begin, last, 4, settings, detail)
        if (
            what == "Death"
            and last == begin
            and not settings.death_before_first_assessment_is_event
        ):
            return _censor(paramcd, begin, begin, 1, settings, "death before the first assessment")
        return TimeToEvent(paramcd, begin, event_date, 0, what, None)
    if response is None or not adequate:
        detail = (
            "no baseline assessment" if response is None else "no adequate post-baseline assessment"
        )
        return _censor(paramcd, begin, begin, 1, settings, detail)
    return _censor(paramcd, begin, max(adequate), 2, settings)


def overall_survival(patient: PatientRecord) -> TimeToEvent:
    """OS from randomization; censored at last known alive (or the last date in the record)."""
    rand = patient.randomization_date
    if patient.death_date is not None:
        return TimeToEvent("OS", rand, patient.death_date, 0, "Death", None)
    if patient.last_known_alive is not None:
        return TimeToEvent(
            "OS", rand, patient.last_known_alive, 1, None, "Alive at last known alive date"
        )
    known = [rand, *(a.date for a in patient.assessments)]
    if patient.withdrawal is not None:
        known.append(patient.withdrawal.date)
    return TimeToEvent(
        "OS",
        rand,
        max(known),
        1,
        None,
        "Alive at last contact in the record (no last known alive date given)",
    )
