"""Visit numbers and names, from the protocol's assessment schedule (SV, TV, --VISIT).

The database numbers visits 0 (baseline), 1, 2, ... (scheduled assessments in the order of
:func:`oligotrial.protocol.schedule.scheduled_assessments`) and 900+ (unscheduled).
"""

from __future__ import annotations

import itertools

from oligotrial.protocol import Protocol
from oligotrial.protocol.schedule import ScheduledAssessment, scheduled_assessments

UNSCHEDULED_FROM = 900


def scheduled(protocol: Protocol, up_to: int) -> list[ScheduledAssessment]:
    """The first ``up_to`` scheduled assessments."""
    return list(itertools.islice(scheduled_assessments(protocol.schedule.assessments), up_to))


def visit_name(number: int, protocol: Protocol) -> str:
    """``BASELINE``, ``WEEK 8``, ... or ``UNSCHEDULED 901``."""
    if number == 0:
        return "BASELINE"
    if number >= UNSCHEDULED_FROM:
        return f"UNSCHEDULED {number}"
    week = scheduled(protocol, number)[-1].week
    return f"WEEK {week:g}"
