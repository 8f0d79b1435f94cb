"""Facts that need several clinical rules at once: BCLC at FLST start, ESTRO-EORTC, HBV.

Each function takes the record and returns a value or :class:`~.facts.Missing`-like tuple
of paths; the clinical rules themselves live in :mod:`oligotrial.clinical`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oligotrial.eligibility.record import ScreeningRecord


def _missing(*paths: str) -> Any:
    from oligotrial.eligibility.facts import Missing

    return Missing(tuple(paths))


def kleene_and(*parts: bool | None) -> bool | None:
    """Three-valued AND: False wins, then unknown (None), else True."""
    if any(p is False for p in parts):
        return False
    return None if any(p is None for p in parts) else True


def hbv_active(r: ScreeningRecord) -> Any:
    """E7: HBsAg positive AND HBV DNA above the site ULN AND not on antiviral treatment."""
    hbsag = r.hbv.hbsag_positive
    antiviral = r.hbv.on_antiviral
    dna = r.labs.hbv_dna
    above: bool | None = None
    if dna is not None and dna.upper_limit is not None:
        from oligotrial.clinical.units import to_canonical

        value = to_canonical("hbv_dna", dna.value, dna.unit)
        uln = to_canonical("hbv_dna", dna.upper_limit, dna.unit)
        above = value > uln
    untreated = None if antiviral is None else not antiviral
    verdict = kleene_and(hbsag, above, untreated)
    if verdict is not None:
        return verdict
    paths = []
    if hbsag is None:
        paths.append("hbv.hbsag_positive")
    if above is None:
        paths.append("labs.hbv_dna" if dna is None else "labs.hbv_dna.upper_limit")
    if untreated is None:
        paths.append("hbv.on_antiviral")
    return _missing(*paths)


def estro_eortc(r: ScreeningRecord) -> tuple[Any, Any]:
    """(category, state) of the ESTRO-EORTC classification (Guckenberger 2020)."""
    o = r.oligoprogression
    if o.prior_polymetastatic_disease:
        category: Any = "induced"
    elif o.prior_polymetastatic_disease is None:
        category = _missing("oligoprogression.prior_polymetastatic_disease")
    elif o.prior_oligometastatic_disease:
        category = "repeat"
    elif o.prior_oligometastatic_disease is None:
        category = _missing("oligoprogression.prior_oligometastatic_disease")
    else:
        category = "de-novo"
    on_therapy = r.flst.ongoing_at_oligoprogression
    lesions = o.lesions
    if on_therapy is False:
        state: Any = "oligorecurrence"
    elif on_therapy is None:
        state = _missing("flst.ongoing_at_oligoprogression")
    elif lesions is None:
        state = _missing("oligoprogression.lesions")
    else:
        state = (
            "oligoprogression" if any(le.progressing for le in lesions) else ("oligopersistence")
        )
    return category, state


def bclc_at_flst_start(r: ScreeningRecord, settings: Mapping[str, Any]) -> Any:
    """BCLC stage at FLST start: computed when the inputs are there, else the stage entered.

    BCLC 2022 (Reig 2022): C = macrovascular invasion or extrahepatic spread or ECOG 1-2,
    with preserved liver function and ECOG <= 2; D = ECOG 3-4 or end-stage liver function.
    """
    s = r.flst.at_start
    ecog, mvi, ehs, cp = s.ecog, s.macrovascular_invasion, s.extrahepatic_spread, s.child_pugh_score
    if ecog is not None and cp is not None and mvi is not None and ehs is not None:
        preserved_max = 7 if settings["bclc_preserved_liver_function"] == "child-pugh-B7" else 6
        if ecog >= 3 or cp >= 10:
            return "D"
        advanced = mvi or ehs or ecog >= 1
        if advanced and cp <= preserved_max:
            return "C"
        if s.bclc_stage is not None and s.bclc_stage != "C":
            return s.bclc_stage
        return "D" if advanced else "0-A-B"
    if s.bclc_stage is not None:
        return s.bclc_stage
    needed = {
        "flst.at_start.ecog": ecog,
        "flst.at_start.macrovascular_invasion": mvi,
        "flst.at_start.extrahepatic_spread": ehs,
        "flst.at_start.child_pugh_score": cp,
    }
    return _missing(*(p for p, v in needed.items() if v is None))
