"""Facts that combine clinical rules with missing-data logic: BCLC at FLST start,
ESTRO-EORTC class, HBV activity.

The clinical rules are the clinical package's (:func:`oligotrial.clinical.bclc_stage`,
Reig 2022; :func:`oligotrial.clinical.estro_eortc_class`, Guckenberger 2020;
:func:`oligotrial.clinical.hbv_active_untreated`, registry E7). This module only decides
when the inputs suffice and, when they do not, which datum is missing (three-valued: an
unknown input that cannot change the answer is not asked for).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from oligotrial.clinical.bclc import Preserved
from oligotrial.clinical.bclc_bounds import bclc_completions
from oligotrial.clinical.hbv import hbv_active_untreated
from oligotrial.clinical.oligo import estro_eortc_class
from oligotrial.eligibility.canonical import canonical
from oligotrial.eligibility.record import ScreeningRecord

# BCLC stage C with liver function not preserved is reported under this code, not as "C".
C_NOT_PRESERVED = "C-liver-function-not-preserved"


def _missing(*paths: str, possible: frozenset[str] | None = None) -> Any:
    from oligotrial.eligibility.facts import Missing

    return Missing(tuple(paths), possible=possible)


def hbv_active(r: ScreeningRecord) -> Any:
    """E7: HBsAg positive AND HBV DNA above the site ULN AND no antiviral treatment."""
    hbsag, antiviral, dna = r.hbv.hbsag_positive, r.hbv.on_antiviral, r.labs.hbv_dna
    value = uln = None
    if dna is not None:
        value = canonical("hbv_dna", dna.value, dna.unit)
        if dna.upper_limit is not None:
            uln = canonical("hbv_dna", dna.upper_limit, dna.unit)
    if hbsag is not None and antiviral is not None:
        if hbsag and not antiviral and (value is None or uln is None):
            return _missing("labs.hbv_dna" if dna is None else "labs.hbv_dna.upper_limit")
        return hbv_active_untreated(
            hbsag_positive=hbsag,
            on_antiviral=antiviral,
            hbv_dna_iu_ml=value,
            dna_upper_limit_iu_ml=uln,
        )
    not_above = value is not None and uln is not None and value <= uln
    if hbsag is False or antiviral is True or not_above:
        return False
    paths = ["hbv.hbsag_positive"] if hbsag is None else []
    if antiviral is None:
        paths.append("hbv.on_antiviral")
    return _missing(*paths)


def _category(poly: bool | None, oligo: bool | None) -> Any:
    if poly is True:
        return "induced"
    if poly is False and oligo is not None:
        return "repeat" if oligo else "de-novo"
    gaps = [
        f"oligoprogression.{name}"
        for name, value in (
            ("prior_polymetastatic_disease", poly),
            ("prior_oligometastatic_disease", oligo),
        )
        if value is None
    ]
    return _missing(*gaps)


def estro_eortc(r: ScreeningRecord) -> tuple[Any, Any]:
    """(category, state) of the ESTRO-EORTC class; state "none" for synchronous de-novo."""
    o = r.oligoprogression
    poly, oligo = o.prior_polymetastatic_disease, o.prior_oligometastatic_disease
    on_therapy, lesions = r.flst.ongoing_at_oligoprogression, o.lesions
    category = _category(poly, oligo)
    gaps = [
        path
        for path, value in (
            ("flst.ongoing_at_oligoprogression", on_therapy),
            ("oligoprogression.lesions", lesions),
        )
        if value is None
    ]
    de_novo_possible = poly is not True and oligo is not True
    if de_novo_possible and not isinstance(category, str):
        return category, _missing(*category.paths, *gaps)
    de_novo = category == "de-novo"
    if de_novo:
        dates = (("diagnosis.date", r.diagnosis.date), ("oligoprogression.date", o.date))
        gaps += [path for path, value in dates if value is None]
    if gaps or on_therapy is None or lesions is None:
        return category, _missing(*gaps)
    known = estro_eortc_class(
        history_polymetastatic=poly is True,
        history_oligometastatic=oligo is True,
        on_systemic_therapy=on_therapy,
        progressing_lesion=any(le.progressing for le in lesions),
        primary_diagnosis=r.diagnosis.date if de_novo else None,
        omd_diagnosis=o.date if de_novo else None,
    )
    return category, known.state or "none"


def _stage_code(stage: str, liver_function: str) -> str:
    return C_NOT_PRESERVED if stage == "C" and liver_function != "preserved" else stage


def bclc_at_flst_start(r: ScreeningRecord, settings: Mapping[str, Any]) -> Any:
    """BCLC 2022 stage when FLST started: computed when every completion of the missing
    inputs gives one stage (:func:`oligotrial.clinical.bclc_bounds.possible_bclc_stages`),
    else the stage the site entered, else missing (with the stages still possible). Stage C
    without preserved liver function (a protocol setting) is ``C-liver-function-not-preserved``."""
    s = r.flst.at_start
    preserved: Preserved = (
        "B7" if settings["bclc_preserved_liver_function"] == "child-pugh-B7" else "A"
    )
    return _bclc_stage(
        s.tumour_count,
        s.largest_tumour_mm,
        s.macrovascular_invasion,
        s.extrahepatic_spread,
        s.ecog,
        s.child_pugh_score,
        s.bclc_stage,
        preserved,
    )


@functools.lru_cache(maxsize=4096)
def _bclc_stage(
    tumour_count: int | None,
    largest_tumour_mm: float | None,
    macrovascular_invasion: bool | None,
    extrahepatic_spread: bool | None,
    ecog: int | None,
    child_pugh: int | None,
    entered: str | None,
    preserved: Preserved,
) -> Any:
    """:func:`bclc_at_flst_start` of these inputs, once per distinct combination: with
    inputs unknown every completion is enumerated, and records that leave the same inputs
    unknown (partial records from an EHR) repeat the same combination."""
    completions = [
        (chosen, _stage_code(*result))
        for chosen, result in bclc_completions(
            tumour_count=tumour_count,
            largest_tumour_mm=largest_tumour_mm,
            macrovascular_invasion=macrovascular_invasion,
            extrahepatic_spread=extrahepatic_spread,
            ecog=ecog,
            child_pugh=child_pugh,
            preserved=preserved,
        )
    ]
    codes = frozenset(code for _, code in completions)
    if len(codes) == 1:
        return next(iter(codes))
    if entered is not None:
        return entered
    return _missing(*_deciding(completions), possible=codes)


_INPUT_PATHS = {
    "ecog": "flst.at_start.ecog",
    "macrovascular_invasion": "flst.at_start.macrovascular_invasion",
    "extrahepatic_spread": "flst.at_start.extrahepatic_spread",
    "child_pugh": "flst.at_start.child_pugh_score",
    "tumour_count": "flst.at_start.tumour_count",
    "largest_tumour_mm": "flst.at_start.largest_tumour_mm",
}


def _deciding(completions: list[tuple[dict[str, object], str]]) -> list[str]:
    """Paths of the unknown inputs that change the stage when they alone change."""
    hidden = list(completions[0][0]) if completions else []
    out = []
    for name in hidden:
        by_rest: dict[tuple[object, ...], set[str]] = {}
        for chosen, code in completions:
            rest = tuple(v for k, v in chosen.items() if k != name)
            by_rest.setdefault(rest, set()).add(code)
        if any(len(found) > 1 for found in by_rest.values()):
            out.append(_INPUT_PATHS[name])
    return out
