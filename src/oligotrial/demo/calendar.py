"""The demo trial's calendar: every date lies in the past.

The database refuses dates after today (screening, visits, events), so the synthetic trial
is placed so that its data cut-off — 12 months after the last randomization, as the design
assumes — falls on a fixed date in the past, :data:`DEFAULT_CUTOFF` (or the day before today
on a clock set earlier). A fixed date makes a demo reproducible from its seed on any day.
The accrual of a synthetic trial is drawn in months from its start, so the trial is first
drawn once from a reference start to learn its length, then placed.
"""

from __future__ import annotations

import datetime as dt

from oligotrial.synth import simulate_trial

DEFAULT_CUTOFF = dt.date(2026, 9, 30)
REFERENCE_START = dt.date(2022, 1, 3)


def data_cutoff(today: dt.date | None = None) -> dt.date:
    """The demo's data cut-off: :data:`DEFAULT_CUTOFF`, or yesterday if that is earlier."""
    yesterday = (today or dt.date.today()) - dt.timedelta(days=1)
    return min(DEFAULT_CUTOFF, yesterday)


def trial_start(seed: int, scenario: str, n_patients: int, cutoff: dt.date) -> dt.date:
    """The first screening date that puts the trial's data cut-off on ``cutoff``."""
    dry = simulate_trial(seed, scenario, n_patients=n_patients, start=REFERENCE_START)
    return REFERENCE_START + (cutoff - dry.cutoff)
