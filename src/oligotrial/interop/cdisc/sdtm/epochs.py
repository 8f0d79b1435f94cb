"""EPOCH of a subject's record, from the record's date and the trial design (TA/TE).

SDTMIG 3.4, 4.1.3.1 (FDA business rule FB2201): subject-level observations carry EPOCH,
the epoch of the trial design in which the observation starts. The elements (``TE``,
:mod:`.design`) give the rule, each subject's own dates the boundaries:

* **SCREENING**: up to the day before randomization (a subject never randomized stays in
  screening). The element starts at informed consent, but what the trial records from
  before consent was collected for screening too (results taken from the hospital record,
  a first-line therapy already running at enrolment), so it is SCREENING as well;
* **TREATMENT**: from randomization to the end of protocol treatment, the last stop of the
  arm's systemic therapy or radiotherapy (``RFXENDTC``); while a protocol treatment has no
  stop date, or none has started, the treatment element has not ended;
* **FOLLOW-UP**: after the end of protocol treatment.

A record without a date (a best overall response of a patient never assessed) has no
EPOCH. The terms are CDISC's EPOCH codelist (C99079).
"""

from __future__ import annotations

import datetime as dt

from oligotrial.interop.cdisc.sdtm import terminology as ct
from oligotrial.interop.cdisc.sdtm.source import Subject


def _periods(s: Subject) -> list[tuple[dt.date, dt.date | None]]:
    """(start, stop) of each protocol treatment: the arm's systemic line and radiotherapy."""
    line = "FLST" if s.arm == "A" else "SLST"
    periods = [(e.start_date, e.stop_date) for e in s.exposures if e.line == line]
    return periods + [(c.start_date, c.end_date) for c in s.rt_courses]


def treatment_dates(s: Subject) -> tuple[dt.date | None, dt.date | None]:
    """First start and last end of protocol treatment on or after randomization."""
    start = s.randomized_on
    if start is None:
        return None, None
    periods = _periods(s)
    starts = [max(a, start) for a, b in periods if b is None or b >= start]
    ends = [b for a, b in periods if b is not None and b >= start]
    return min(starts, default=None), max(ends, default=None)


def treatment_end(s: Subject) -> dt.date | None:
    """The day protocol treatment ended; None while it has not (ongoing, or not started)."""
    if s.randomized_on is None:
        return None
    current = [b for a, b in _periods(s) if b is None or b >= s.randomized_on]
    if not current or any(b is None for b in current):
        return None
    return treatment_dates(s)[1]


def epoch(s: Subject, day: dt.date | None) -> str | None:
    """The EPOCH of a record of ``s`` dated ``day`` (see the module docstring)."""
    if day is None:
        return None
    randomized = s.randomized_on
    if randomized is None or day < randomized:
        return ct.EPOCHS["screening"].value
    end = treatment_end(s)
    if end is None or day <= end:
        return ct.EPOCHS["treatment"].value
    return ct.EPOCHS["follow_up"].value
