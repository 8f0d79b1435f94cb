"""Queries for the data manager when a randomized patient's screening record changes.

A randomized patient keeps the strata used at randomization and stays randomized (ICH E9
§2.3.1: the allocation stands; the analysis follows the strata used). A newer record version
that decides a factor otherwise, or that no longer makes the patient eligible, opens a data
query on that version; a later version that agrees again closes it. The queries use the
edit-check mechanism's table and audit actions (``query-open`` / ``query-close``).
"""

from __future__ import annotations

from oligotrial.edc.models import DataQuery, Patient, Screening, Staff
from oligotrial.edc.services.edit_checks import sync_queries

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
    found = {key: message[:MESSAGE_LENGTH] for key, message in findings(patient, screening).items()}
    open_queries = list(
        DataQuery.objects.filter(
            patient=patient, model=MODEL, rule__in=(STRATUM_RULE, ELIGIBILITY_RULE), status="open"
        )
    )
    return sync_queries(
        actor,
        patient,
        open_queries,
        found,
        model=MODEL,
        object_id=str(screening.pk),
        close_reason=f"resolved by screening record version {screening.version}",
    )
