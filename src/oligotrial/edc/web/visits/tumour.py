"""The RECIST time-point response of a visit, stored or as entered in the form, from the one
response engine (:func:`oligotrial.response.evaluate`, rules: REFERENCE §3), under the
protocol's response settings. The database rows become the engine's inputs exactly as for
the analysis (:func:`oligotrial.edc.export.baseline_lesions`, :func:`~oligotrial.edc.export.
assessment_of`); nothing of RECIST is decided here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from pydantic import ValidationError

from oligotrial.edc.export import assessment_of, baseline_lesions
from oligotrial.edc.models import LesionMeasurement, Visit
from oligotrial.edc.trial_config import current_protocol
from oligotrial.errors import InputError
from oligotrial.response import ResponseSettings, TimePoint, TumourRecord, evaluate


@dataclass(frozen=True)
class Preview:
    """The time point of the visit, or why it cannot be told yet."""

    point: TimePoint | None = None
    problem: str = ""


def time_point(
    randomized_on: dt.date | None,
    visits_done: list[Visit],
    measurements: list[LesionMeasurement],
    visit: Visit,
    draft: list[LesionMeasurement] | None = None,
    scan_date: dt.date | None = None,
) -> Preview:
    """The response at ``visit`` from the baseline and the earlier visits done; ``draft``
    (unsaved measurements) replaces what is stored for ``visit``, dated ``scan_date``."""
    if visit.number == 0:
        return Preview()
    if randomized_on is None:
        return Preview(problem="the patient is not randomized")
    by_visit: dict[int, list[LesionMeasurement]] = defaultdict(list)
    for m in measurements:
        by_visit[m.visit.number].append(m)
    here = draft if draft is not None else by_visit.get(visit.number, [])
    if not here:
        return Preview()
    base = next((v for v in visits_done if v.number == 0), None)
    if base is None or not by_visit.get(0):
        return Preview(problem="the baseline assessment is not recorded")
    day = scan_date or visit.visit_date or (here[0].measured_on if here else None)
    if day is None:
        return Preview(problem="the scan date is required")
    current = Visit(number=visit.number, visit_date=day)
    try:
        record = TumourRecord(
            randomization_date=randomized_on,
            baseline_date=base.visit_date or randomized_on,
            baseline=baseline_lesions(by_visit[0]),
            assessments=(
                *(
                    assessment_of(v, by_visit.get(v.number, []))
                    for v in visits_done
                    if 0 < v.number < visit.number and v.visit_date is not None
                ),
                assessment_of(current, here),
            ),
        )
        settings = ResponseSettings.from_protocol(current_protocol().response)
        result = evaluate(record, settings)
    except InputError as exc:
        return Preview(problem=exc.problem)
    except ValidationError as exc:
        first = exc.errors()[0]
        return Preview(problem=str(first.get("msg", exc)).removeprefix("Value error, "))
    point = next((tp for tp in result.time_points if tp.date == day), None)
    return Preview(point=point or result.time_points[-1])
