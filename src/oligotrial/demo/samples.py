"""The synthetic trial's samples through the sample services: drawn (or missing, with the
reason), shipped and received at the site's pace; then the central laboratory's results
file for every received sample, imported by the data manager as a real file would be."""

from __future__ import annotations

import datetime as dt
from typing import Any

from oligotrial.synth.ctdna import BiopsySample, CtdnaSample, results_csv
from oligotrial.synth.trial import TrialPatient

SHIP_AFTER_DAYS = 2
RECEIVED_AFTER_DAYS = 4
LABORATORY = "central laboratory"


def enter_samples(
    actor: Any, screening_number: str, p: TrialPatient, cutoff: dt.date
) -> list[tuple[CtdnaSample | BiopsySample, str]]:
    """Record the patient's samples; returns the received ones with their labels."""
    from oligotrial.edc.services import samples as svc

    received: list[tuple[CtdnaSample | BiopsySample, str]] = []
    drawn: list[tuple[str, CtdnaSample | BiopsySample]] = [("ctdna", s) for s in p.ctdna]
    drawn += [("biopsy", b) for b in p.biopsies]
    for kind, s in drawn:
        if s.planned > cutoff:
            continue
        if not s.collected:
            svc.record_missing_sample(
                actor, screening_number, kind=kind, time_point=s.timepoint, reason="not obtained"
            )
            continue
        sample = svc.collect_sample(
            actor,
            screening_number,
            kind=kind,
            time_point=s.timepoint,
            collected_on=s.planned,
            processed_on=s.planned,
            storage_location="site freezer -80 °C",
        )
        shipped = s.planned + dt.timedelta(days=SHIP_AFTER_DAYS)
        arrived = s.planned + dt.timedelta(days=RECEIVED_AFTER_DAYS)
        if arrived > cutoff:
            continue
        label = sample.identifier
        svc.advance_sample(
            actor, screening_number, label, step="shipped", on=shipped, location=LABORATORY
        )
        svc.advance_sample(
            actor,
            screening_number,
            label,
            step="received",
            on=arrived,
            location=f"{LABORATORY}, rack A",
        )
        received.append((s, label))
    return received


def import_results(
    data_manager: Any, received: list[tuple[CtdnaSample | BiopsySample, str]]
) -> int:
    """The laboratory's file for the received samples, imported; returns the lines imported."""
    from oligotrial.edc.services.sample_results import import_results as run_import

    text = results_csv([s for s, _ in received], {s.sample_id: label for s, label in received})
    report = run_import(data_manager, text, source="central laboratory results (synthetic)")
    if report.problems:
        raise AssertionError("; ".join(str(p) for p in report.problems))
    return len(report.imported)
