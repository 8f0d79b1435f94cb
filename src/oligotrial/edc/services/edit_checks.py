"""Edit checks: rules that open a data query for a missing or implausible value and close it
once the value is corrected. Plausible ranges are in canonical units (contracts §2)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.utils import timezone

from oligotrial.edc.models import (
    AdverseEvent,
    DataQuery,
    LabResult,
    LesionMeasurement,
    Patient,
    RadiotherapyCourse,
    Staff,
    Visit,
)
from oligotrial.edc.services import audit

Finding = tuple[str, str, str]  # field, rule, message

#: analyte -> (unit, low, high): values outside are implausible and queried.
PLAUSIBLE_LABS: dict[str, tuple[str, float, float]] = {
    "bilirubin": ("umol/L", 1.0, 1000.0),
    "albumin": ("g/L", 5.0, 70.0),
    "inr": ("", 0.5, 10.0),
    "afp": ("ng/mL", 0.0, 1.0e7),
    "alt": ("U/L", 1.0, 10000.0),
    "ast": ("U/L", 1.0, 10000.0),
    "platelets": ("10^9/L", 1.0, 2000.0),
    "neutrophils": ("10^9/L", 0.0, 100.0),
    "creatinine": ("umol/L", 10.0, 2000.0),
    "hbv_dna": ("IU/mL", 0.0, 1.0e10),
}


def lab_findings(lab: LabResult) -> list[Finding]:
    if lab.value is None:
        return [("value", "missing", f"{lab.analyte} value is missing")]
    rule = PLAUSIBLE_LABS.get(lab.analyte.lower())
    if rule and not rule[1] <= lab.value <= rule[2]:
        return [
            (
                "value",
                "out_of_range",
                f"{lab.analyte} {lab.value} {lab.unit} is outside "
                f"the plausible range {rule[1]:g}–{rule[2]:g}",
            )
        ]
    return []


def measurement_findings(m: LesionMeasurement) -> list[Finding]:
    if m.status == "present" and m.diameter_mm is None:
        return [("diameter_mm", "missing", "the lesion is present but its diameter is missing")]
    if m.diameter_mm is not None and m.diameter_mm > 300:
        return [("diameter_mm", "out_of_range", f"diameter {m.diameter_mm} mm is over 300 mm")]
    return []


def visit_findings(v: Visit) -> list[Finding]:
    if v.status == "done" and v.due_date and v.visit_date and v.kind == "assessment":
        gap = abs((v.visit_date - v.due_date).days)
        if gap > v.window_days:
            return [
                (
                    "visit_date",
                    "out_of_window",
                    f"visit {v.number} on {v.visit_date} is "
                    f"{gap} days from its due date {v.due_date} (window ±{v.window_days})",
                )
            ]
    return []


def ae_findings(ae: AdverseEvent) -> list[Finding]:
    if ae.outcome in {"recovered", "sequelae"} and ae.resolved_date is None:
        return [("resolved_date", "missing", "the AE is recovered but has no resolution date")]
    return []


def rt_findings(rt: RadiotherapyCourse) -> list[Finding]:
    if rt.end_date is None:
        return [("end_date", "missing", "the RT course has no end date")]
    return []


CHECKS: dict[type[models.Model], Callable[..., list[Finding]]] = {
    LabResult: lab_findings,
    LesionMeasurement: measurement_findings,
    Visit: visit_findings,
    AdverseEvent: ae_findings,
    RadiotherapyCourse: rt_findings,
}


def run_edit_checks(actor: Staff, patient: Patient, instance: models.Model) -> list[DataQuery]:
    """Open a query per new finding, close open queries whose finding is gone."""
    check = CHECKS.get(type(instance))
    if check is None:
        return []
    findings = {(f, r): m for f, r, m in check(instance)}
    label = instance._meta.label
    open_queries = DataQuery.objects.filter(model=label, object_id=str(instance.pk), status="open")
    opened: list[DataQuery] = []
    for query in open_queries:
        if (query.field, query.rule) not in findings:
            before = audit.snapshot(query)
            query.status, query.closed_at = "closed", timezone.now()
            query.save(update_fields=["status", "closed_at"])
            audit.append(
                actor,
                "query-close",
                query,
                audit.changes_between(before, audit.snapshot(query)),
                reason="value corrected",
                patient=patient,
            )
    already = {(q.field, q.rule) for q in open_queries}
    for (field, rule), message in findings.items():
        if (field, rule) in already:
            continue
        query = DataQuery.objects.create(
            site=patient.site,
            patient=patient,
            model=label,
            object_id=str(instance.pk),
            field=field,
            rule=rule,
            message=message,
        )
        audit.append(
            actor,
            "query-open",
            query,
            audit.changes_between(None, audit.snapshot(query)),
            patient=patient,
        )
        opened.append(query)
    return opened
