"""Edit checks: rules that open a data query for a missing or implausible value and close it
once the value is corrected.

Labs: a value is converted from the unit entered to its analyte's canonical unit
(:func:`oligotrial.clinical.units.to_canonical`; creatinine µmol/L | mg/dL, 1 mg/dL =
88.4 µmol/L) before it is compared with the plausible range, which is kept in canonical
units (contracts §2); the query's message shows the value and the range in the unit entered.
A unit that cannot be converted opens its own query (the value cannot be checked).

Lesion sizes follow RECIST 1.1 (Eisenhauer et al., Eur J Cancer 2009;45:228-47): only
target lesions are measured. A target lesion recorded as present (or with unequivocal
progression) needs its diameter; one too small to measure, gone or not evaluated does not.
Non-target and new lesions are followed by status only (present, absent, unequivocal
progression, not evaluated), so a missing size there is not a finding.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.utils import timezone

from oligotrial.clinical import units
from oligotrial.edc.models import (
    AdverseEvent,
    DataQuery,
    LabResult,
    Lesion,
    LesionMeasurement,
    Patient,
    RadiotherapyCourse,
    Staff,
    Visit,
)
from oligotrial.edc.services import audit
from oligotrial.errors import InputError

Finding = tuple[str, str, str]  # field, rule, message

#: analyte -> (canonical unit, low, high): values outside are implausible and queried.
#: Albumin below 10 g/L (1 g/dL) is not seen in living patients outside case reports.
PLAUSIBLE_LABS: dict[str, tuple[str, float, float]] = {
    "bilirubin": ("µmol/L", 1.0, 1000.0),
    "albumin": ("g/L", 10.0, 70.0),
    "inr": ("", 0.5, 10.0),
    "afp": ("ng/mL", 0.0, 1.0e7),
    "alt": ("U/L", 1.0, 10000.0),
    "ast": ("U/L", 1.0, 10000.0),
    "platelets": ("10^9/L", 1.0, 2000.0),
    "neutrophils": ("10^9/L", 0.0, 100.0),
    "creatinine": ("µmol/L", 10.0, 2000.0),
    "hbv_dna": ("IU/mL", 0.0, 1.0e10),
}

#: Analytes the clinical unit table does not cover: unit key -> factor to canonical.
_LOCAL_FACTORS: dict[str, dict[str, float]] = {
    "creatinine": {"umol/l": 1.0, "mg/dl": 88.4, "mg/l": 8.84},
}

#: RECIST 1.1: the statuses under which a target lesion's diameter is required.
MEASURED_STATUSES = frozenset({"present", "unequivocal_pd"})


def _to_canonical(analyte: str, value: float, unit: str) -> float:
    local = _LOCAL_FACTORS.get(analyte)
    if local is None:
        return units.to_canonical(analyte, value, unit, field="value")
    factor = local.get(units.normalize_unit(unit))
    if factor is None:
        raise InputError("unit", f"unknown unit {unit!r} for {analyte}")
    return value * factor


def convertible_unit(analyte: str, unit: str) -> None:
    """Refuse a unit that cannot be converted to the canonical unit of ``analyte``."""
    try:
        _to_canonical(analyte, 1.0, unit)
    except InputError as exc:
        raise InputError("unit", exc.problem) from None


def _from_canonical(analyte: str, value: float, unit: str) -> float | None:
    """``value`` (canonical) in ``unit``; None where it has no value there (log of 0)."""
    local = _LOCAL_FACTORS.get(analyte)
    try:
        if local is None:
            return units.from_canonical(analyte, value, unit)
        return value / local[units.normalize_unit(unit)]
    except InputError:
        return None


def _range_text(analyte: str, unit: str, low: float, high: float, canonical: str) -> str:
    shown = [_from_canonical(analyte, x, unit) for x in (low, high)]
    in_canonical = f"{low:g}–{high:g}{(' ' + canonical) if canonical else ''}"
    if shown == [low, high]:  # the unit entered is the canonical one or a synonym
        return f"{low:g}–{high:g}{(' ' + unit) if unit else ''}"
    ends = [f"{x:.3g}" if x is not None else "…" for x in shown]
    return f"{ends[0]}–{ends[1]} {unit} ({in_canonical})"


def lab_findings(lab: LabResult) -> list[Finding]:
    if lab.value is None:
        return [("value", "missing", f"{lab.analyte} value is missing")]
    analyte = lab.analyte.strip().lower()
    rule = PLAUSIBLE_LABS.get(analyte)
    if rule is None:
        return []
    canonical_unit, low, high = rule
    try:
        value = _to_canonical(analyte, lab.value, lab.unit)
    except InputError as exc:
        return [("unit", "unknown_unit", f"{lab.analyte} cannot be checked: {exc.problem}")]
    if low <= value <= high:
        return []
    entered = f"{lab.value:g}{(' ' + lab.unit) if lab.unit else ''}"
    return [
        (
            "value",
            "out_of_range",
            f"{lab.analyte} {entered} is outside the plausible range "
            f"{_range_text(analyte, lab.unit, low, high, canonical_unit)}",
        )
    ]


def diameter_required(m: LesionMeasurement) -> bool:
    """RECIST 1.1: only a target lesion that is there to be measured needs its size."""
    return m.lesion.role == "target" and m.status in MEASURED_STATUSES


def measurement_findings(m: LesionMeasurement) -> list[Finding]:
    if m.diameter_mm is None and diameter_required(m):
        return [
            (
                "diameter_mm",
                "missing",
                f"target lesion {m.lesion.code} is {m.get_status_display().lower()} "
                "but its diameter is missing",
            )
        ]
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
    """Open a query per new finding, close open queries whose finding is gone.

    A lesion's measurements are checked again when the lesion changes (its role decides
    whether a size is required)."""
    if isinstance(instance, Lesion):
        return [
            query
            for measurement in instance.measurements.order_by("pk")
            for query in run_edit_checks(actor, patient, measurement)
        ]
    check = CHECKS.get(type(instance))
    if check is None:
        return []
    findings = {(f, r): m for f, r, m in check(instance)}
    label = instance._meta.label
    open_queries = DataQuery.objects.filter(model=label, object_id=str(instance.pk), status="open")
    return sync_queries(
        actor,
        patient,
        list(open_queries),
        findings,
        model=label,
        object_id=str(instance.pk),
        close_reason="value corrected",
    )


def sync_queries(
    actor: Staff,
    patient: Patient,
    open_queries: list[DataQuery],
    findings: dict[tuple[str, str], str],
    *,
    model: str,
    object_id: str,
    close_reason: str,
) -> list[DataQuery]:
    """Close each of ``open_queries`` whose (field, rule) is no longer among ``findings`` and
    open one query per new finding on ``model``/``object_id``; each change audited. Returns
    the queries opened."""
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
                reason=close_reason,
                patient=patient,
            )
    already = {(q.field, q.rule) for q in open_queries}
    opened: list[DataQuery] = []
    for (field, rule), message in findings.items():
        if (field, rule) in already:
            continue
        query = DataQuery.objects.create(
            site=patient.site,
            patient=patient,
            model=model,
            object_id=object_id,
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
