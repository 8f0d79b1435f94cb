"""Non-target and new-lesion parts of a time point (RECIST 1.1 §4.3.2–4.3.3).

Non-target: PD on unequivocal progression of any; NE if any is not assessed; CR when all
are absent (nodes < 10 mm); otherwise non-CR/non-PD. New lesions: an unequivocal new lesion
is PD (a new node only at short axis ≥ 10 mm; mRECIST qualifications in :mod:`.mrecist`);
an equivocal one is not, but if the same lesion id is later confirmed, progression is dated
to the scan that first showed it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from oligotrial.response.inputs import BaselineLesion, NewLesion, NonTargetAssessment
from oligotrial.response.mrecist import new_lesion_unqualified
from oligotrial.response.settings import Criteria
from oligotrial.response.timepoint import NewLesionResponse, NonTargetResponse

NEW_NODE_MIN_MM = 10.0


def read_non_targets(
    non_targets: Sequence[BaselineLesion], entries: Mapping[str, NonTargetAssessment]
) -> tuple[NonTargetResponse, str]:
    """Non-target response of one visit ("NA" when there were none at baseline)."""
    if not non_targets:
        return "NA", "no non-target lesions at baseline"
    status = {
        les.id: (entries[les.id].status if les.id in entries else "not-assessed")
        for les in non_targets
    }
    progressed = [lid for lid, s in status.items() if s == "unequivocal-progression"]
    if progressed:
        return "PD", f"unequivocal progression of non-target {', '.join(progressed)}"
    missing = [lid for lid, s in status.items() if s == "not-assessed"]
    if missing:
        return "NE", f"non-target {', '.join(missing)} not assessed"
    if all(s == "absent" for s in status.values()):
        return "CR", "all non-target lesions absent"
    present = [lid for lid, s in status.items() if s == "present"]
    return "NON-CR/NON-PD", f"non-target {', '.join(present)} present"


def counts_as_new(lesion: NewLesion, criteria: Criteria) -> str | None:
    """None if this new lesion means progression; otherwise why it does not (yet)."""
    if lesion.status == "equivocal":
        return f"new lesion {lesion.id} equivocal"
    if lesion.nodal and lesion.short_axis_mm is not None and lesion.short_axis_mm < NEW_NODE_MIN_MM:
        return f"new node {lesion.id} short axis {lesion.short_axis_mm:g} mm < 10 mm"
    if criteria == "mrecist":
        return new_lesion_unqualified(lesion)
    return None


def read_new_lesions(
    lesions: Sequence[NewLesion], criteria: Criteria
) -> tuple[NewLesionResponse, list[str], str]:
    """New-lesion response, the ids that mean progression, and the reason."""
    if not lesions:
        return "no", [], "no new lesion"
    qualifying = [les.id for les in lesions if counts_as_new(les, criteria) is None]
    if qualifying:
        return "yes", qualifying, f"unequivocal new lesion {', '.join(qualifying)}"
    reasons = [r for les in lesions if (r := counts_as_new(les, criteria)) is not None]
    return "equivocal", [], "; ".join(reasons)
