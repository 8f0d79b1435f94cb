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


#: The eligibility engine's overall verdict, stored with each record version, as a status.
_OVERALL = {"eligible": "eligible", "ineligible": "not_eligible", "incomplete": "incomplete"}


def screening_outcome(
    overall: str | None, eligible: bool | None = None, verdicts: Iterable[Mapping[str, Any]] = ()
) -> str:
    """``eligible``, ``not_eligible``, ``incomplete`` or ``screening`` (no screening yet).

    ``overall`` is the engine's verdict stored with the record version in force; rows stored
    before records were kept (blank ``overall``) fall back to their per-criterion
    ``in_favour``."""
    if overall is None:
        return "screening"
    if overall in _OVERALL:
        return _OVERALL[overall]
    if eligible:
        return "eligible"
    favour = [v.get("in_favour") for v in verdicts]
    if any(f is False for f in favour):
        return "not_eligible"
    return "incomplete" if any(f is None for f in favour) else "not_eligible"


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
