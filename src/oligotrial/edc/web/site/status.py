"""A patient's status on the site home, from what the database holds.

Order of precedence (the latest stage wins): died, withdrawn or lost to follow-up,
randomized, consented, the screening verdict (eligible, not eligible, incomplete), in
screening. A screening is "not eligible" when a criterion is decided against the patient
(an inclusion not met or an exclusion met), "incomplete" when none is but some cannot be
told yet (protocol §5: every criterion must be decided before randomization).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

LABELS = {
    "died": _("Died"),
    "withdrawn": _("Withdrew consent"),
    "lost": _("Lost to follow-up"),
    "randomized": _("Randomized"),
    "consented": _("Consented"),
    "eligible": _("Eligible"),
    "not_eligible": _("Not eligible"),
    "incomplete": _("Screening incomplete"),
    "screening": _("In screening"),
}


def _against(verdict: Mapping[str, Any]) -> bool | None:
    """True if the criterion keeps the patient out, None if it cannot be told."""
    if "in_favour" in verdict:  # stored by the screening service
        favour = verdict["in_favour"]
        return None if favour is None else not favour
    status = str(verdict.get("status") or verdict.get("verdict") or "").replace(" ", "_")
    if status == "cannot_tell":
        return None
    kind = str(verdict.get("kind") or ("inclusion" if str(verdict.get("id", "")).startswith(
        "I") else "exclusion"))
    return (status == "met") != (kind == "inclusion")


def screening_outcome(eligible: bool | None, verdicts: Iterable[Mapping[str, Any]]) -> str:
    """``eligible``, ``not_eligible``, ``incomplete`` or ``screening`` (no screening yet)."""
    if eligible is None:
        return "screening"
    if eligible:
        return "eligible"
    decided = [_against(v) for v in verdicts]
    if any(d is True for d in decided):
        return "not_eligible"
    return "incomplete" if any(d is None for d in decided) else "not_eligible"


def patient_status(
    *,
    died: bool,
    withdrawal_kind: str | None,
    randomized: bool,
    consented: bool,
    screening: str,
) -> str:
    """The key of the patient's status (see :data:`LABELS`)."""
    if died:
        return "died"
    if withdrawal_kind:
        return "lost" if withdrawal_kind == "lost" else "withdrawn"
    if randomized:
        return "randomized"
    if consented:
        return "consented"
    return screening
