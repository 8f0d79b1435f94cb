"""The stratification factors a screening record determines (REFERENCE.md §1).

``oligoprogression_site``: *intrahepatic-only* when every progressing lesion (every lesion
when none is marked progressing) lies in the liver and is not a lymph node, the organ
decided by :func:`oligotrial.clinical.anatomy.organ_system` ("Liver segment 7" is the
liver); otherwise *any-extrahepatic*. ``flst_ici``: *ici* / *no-ici* from
``flst.contains_ici``. A factor the record cannot decide is ``None``; factors taken from
the site list are not the record's to decide and are left out.
"""

from __future__ import annotations

from collections.abc import Callable

from oligotrial.clinical.anatomy import organ_system
from oligotrial.eligibility.record import ScreeningRecord
from oligotrial.protocol import Protocol

LIVER = "liver"


def _oligoprogression_site(record: ScreeningRecord) -> str | None:
    lesions = record.oligoprogression.lesions
    if not lesions:
        return None
    progressing = [les for les in lesions if les.progressing] or list(lesions)
    in_liver = all(organ_system(les.organ) == LIVER and not les.nodal for les in progressing)
    return "intrahepatic-only" if in_liver else "any-extrahepatic"


def _flst_ici(record: ScreeningRecord) -> str | None:
    ici = record.flst.contains_ici
    return None if ici is None else ("ici" if ici else "no-ici")


_FACTORS: dict[str, Callable[[ScreeningRecord], str | None]] = {
    "oligoprogression_site": _oligoprogression_site,
    "flst_ici": _flst_ici,
}


def stratum_values(protocol: Protocol, record: ScreeningRecord) -> dict[str, str | None]:
    """Level of each of ``protocol``'s record-decided factors (None: cannot tell)."""
    return {
        factor.name: _FACTORS[factor.name](record) if factor.name in _FACTORS else None
        for factor in protocol.stratification
        if not factor.from_sites
    }
