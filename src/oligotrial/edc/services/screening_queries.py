"""Queries for the data manager when a randomized patient's screening record changes.

A randomized patient keeps the strata used at randomization and stays randomized (ICH E9
§2.3.1: the allocation stands; the analysis follows the strata used). A newer record version
that decides a factor otherwise, or that no longer makes the patient eligible, opens a data
query on that version; a later version that agrees again closes it. The queries use the
edit-check mechanism's table and audit actions (``query-open`` / ``query-close``).
"""

from __future__ import annotations

from django.utils import timezone

from oligotrial.edc.models import DataQuery, Patient, Screening, Staff
from oligotrial.edc.services import audit

STRATUM_RULE = "stratum_changed_after_randomization"
ELIGIBILITY_RULE = "eligibility_changed_after_randomization"
MODEL = Screening._meta.label
MESSAGE_LENGTH = DataQuery._meta.get_field("message").max_length or 300


def _against(screening: Screening) -> str:
    failed = [v["id"] for v in screening.verdicts if v.get("in_favour") is False]
    unknown = [v["id"] for v in screening.verdicts if v.get("in_favour") is None]
    parts = []
    if failed:
        parts.append("not met in favour: " + ", ".join(failed))
    if unknown:
        parts.append("cannot tell: " + ", ".join(unknown))
    return "; ".join(parts)


def findings(patient: Patient, screening: Screening) -> dict[tuple[str, str], str]:
    """(field, rule) -> message for every way ``screening`` disagrees with randomization."""
    out: dict[tuple[str, str], str] = {}
    for name, level in sorted(screening.strata.items()):
        used = patient.stratification.get(name)
        if level != used:
            out[(f"strata.{name}", STRATUM_RULE)] = (
                f"record version {screening.version} gives {name} = {level or 'unknown'}; "
                f"the patient was randomized in stratum {name} = {used} (kept)"
            )
    if not screening.eligible:
        out[("eligible", ELIGIBILITY_RULE)] = (
            f"record version {screening.version} makes the randomized patient "
            f"{screening.overall} ({_against(screening)}); the patient stays randomized"
        )
    return out


def review_after_randomization(
    actor: Staff, patient: Patient, screening: Screening
) -> list[DataQuery]:
    """Open a query per new disagreement, close the ones the new version resolves."""
    found = findings(patient, screening)
    open_queries = list(
        DataQuery.objects.filter(
            patient=patient, model=MODEL, rule__in=(STRATUM_RULE, ELIGIBILITY_RULE), status="open"
        )
    )
    for query in open_queries:
        if (query.field, query.rule) not in found:
            before = audit.snapshot(query)
            query.status, query.closed_at = "closed", timezone.now()
            query.save(update_fields=["status", "closed_at"])
            audit.append(
                actor,
                "query-close",
                query,
                audit.changes_between(before, audit.snapshot(query)),
                reason=f"resolved by screening record version {screening.version}",
                patient=patient,
            )
    already = {(q.field, q.rule) for q in open_queries}
    opened = []
    for (field, rule), message in found.items():
        if (field, rule) in already:
            continue
        query = DataQuery.objects.create(
            site=patient.site,
            patient=patient,
            model=MODEL,
            object_id=str(screening.pk),
            field=field,
            rule=rule,
            message=message[:MESSAGE_LENGTH],
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
