"""Barcelona Clinic Liver Cancer (BCLC) stage, 2022 update.

Source: Reig M, Forner A, Rimola J, et al. BCLC strategy for prognosis prediction and
treatment recommendation: the 2022 update. J Hepatol 2022;76:681-693.

Decided in this order:

- **D** (terminal): end-stage liver function (Child-Pugh C, i.e. score ≥ 10, by default)
  or ECOG 3-4, whatever the tumour burden;
- **C** (advanced): macrovascular (portal) invasion, or extrahepatic spread, or ECOG 1-2;
- with ECOG 0 and neither: **0** (very early) a single tumour ≤ 20 mm; **A** (early) a
  single tumour of any size, or 2-3 nodules each ≤ 30 mm; **B** (intermediate) anything
  more (multinodular).

Stages 0-C assume preserved liver function. "Preserved" is a protocol setting:
Child-Pugh A (default, ``preserved="A"``) or up to B7 (``preserved="B7"``). A patient
whose function is neither preserved nor end-stage (e.g. Child-Pugh B8-B9) is still staged
by tumour burden and ECOG, but the result says ``liver_function="not-preserved"`` and the
reason says so, so the caller can decide; the 2022 update advises individual assessment.
ECOG 5 (death) is refused. Sizes are in millimetres; the largest diameter is needed only
when the stage depends on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from oligotrial.clinical.child_pugh import ChildPugh, child_pugh_grade
from oligotrial.clinical.ecog import check_ecog
from oligotrial.errors import InputError

__all__ = ["Bclc", "bclc_stage", "liver_function_status"]

Stage = Literal["0", "A", "B", "C", "D"]
LiverFunction = Literal["preserved", "not-preserved", "end-stage"]
Preserved = Literal["A", "B7"]

VERY_EARLY_MAX_MM = 20.0
EARLY_NODULE_MAX_MM = 30.0
EARLY_MAX_NODULES = 3
END_STAGE_MIN_SCORE = 10


@dataclass(frozen=True)
class Bclc:
    """BCLC stage, the reason in words and the liver-function category used."""

    stage: Stage
    reason: str
    liver_function: LiverFunction


def liver_function_status(
    child_pugh_score: int,
    *,
    preserved: Preserved = "A",
    end_stage_min_score: int = END_STAGE_MIN_SCORE,
) -> LiverFunction:
    """Preserved / not preserved / end-stage liver function from a Child-Pugh score."""
    try:
        child_pugh_grade(child_pugh_score)  # validates 5-15
    except InputError as exc:
        raise InputError("child_pugh", exc.problem) from None
    if preserved not in ("A", "B7"):
        raise InputError("preserved", f"must be 'A' or 'B7', got {preserved!r}")
    if child_pugh_score >= end_stage_min_score:
        return "end-stage"
    limit = 6 if preserved == "A" else 7
    return "preserved" if child_pugh_score <= limit else "not-preserved"


def _count(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError("tumour_count", f"must be an integer 0 or more, got {value!r}")
    return value


def _largest(value: float | None) -> float:
    if value is None:
        raise InputError("largest_tumour_mm", "required to tell stages 0, A and B apart")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError("largest_tumour_mm", f"expected a size in mm, got {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise InputError("largest_tumour_mm", f"must be a size greater than 0 mm, got {value!r}")
    return float(value)


def bclc_stage(
    *,
    tumour_count: int,
    largest_tumour_mm: float | None,
    macrovascular_invasion: bool,
    extrahepatic_spread: bool,
    ecog: int,
    child_pugh: ChildPugh | int,
    preserved: Preserved = "A",
    end_stage_min_score: int = END_STAGE_MIN_SCORE,
) -> Bclc:
    """BCLC 2022 stage from tumour burden, vascular invasion, spread, ECOG and liver function.

    ``tumour_count`` counts intrahepatic nodules; ``child_pugh`` is a :class:`ChildPugh`
    result or its score.
    """
    count = _count(tumour_count)
    grade = check_ecog(ecog)
    if grade == 5:
        raise InputError("ecog", "ECOG 5 means the patient has died; BCLC does not apply")
    score = child_pugh.score if isinstance(child_pugh, ChildPugh) else child_pugh
    function = liver_function_status(
        score, preserved=preserved, end_stage_min_score=end_stage_min_score
    )
    cp_label = f"Child-Pugh {child_pugh_grade(score)}{score}"
    if function == "end-stage":
        return Bclc("D", f"end-stage liver function ({cp_label})", function)
    if grade >= 3:
        return Bclc("D", f"ECOG {grade} (3-4)", function)
    liver_text = (
        f"preserved liver function ({cp_label})"
        if function == "preserved"
        else f"liver function not preserved ({cp_label}) but not end-stage: staged by tumour "
        f"burden and ECOG; BCLC 2022 stages 0-C assume preserved function"
    )
    advanced = [
        text
        for flag, text in (
            (macrovascular_invasion, "macrovascular invasion"),
            (extrahepatic_spread, "extrahepatic spread"),
            (grade in (1, 2), f"ECOG {grade}"),
        )
        if flag
    ]
    if advanced:
        return Bclc("C", f"{' and '.join(advanced)}; {liver_text}", function)
    if count == 0:
        raise InputError(
            "tumour_count",
            "0 intrahepatic tumours without vascular invasion or extrahepatic spread: no stage",
        )
    largest = _largest(largest_tumour_mm)
    burden = f"{count} tumour(s), largest {largest:g} mm"
    if count == 1 and largest <= VERY_EARLY_MAX_MM:
        return Bclc("0", f"single tumour {largest:g} mm (≤ 20 mm), ECOG 0; {liver_text}", function)
    if count == 1:
        return Bclc("A", f"single tumour {largest:g} mm, ECOG 0; {liver_text}", function)
    if count <= EARLY_MAX_NODULES and largest <= EARLY_NODULE_MAX_MM:
        return Bclc("A", f"{burden}: 2-3 nodules each ≤ 30 mm, ECOG 0; {liver_text}", function)
    return Bclc(
        "B",
        f"{burden}: multinodular beyond 3 nodules ≤ 30 mm, no vascular invasion or "
        f"extrahepatic spread, ECOG 0; {liver_text}",
        function,
    )
