"""Every BCLC 2022 stage a patient could have when some staging inputs are unknown.

Source: the staging rule of :func:`oligotrial.clinical.bclc.bclc_stage` (Reig M et al.,
J Hepatol 2022;76:681-693). The rule is piecewise constant in each input, so trying one
value per piece of each unknown input finds every reachable stage: ECOG 0, 1-2 or 3-4;
macrovascular invasion and extrahepatic spread yes or no; Child-Pugh A, B7, B8-9 or C
(preserved, not preserved or end-stage by the protocol's setting); one, two or three, or
more than three tumours; a largest tumour ≤ 20 mm, ≤ 30 mm or larger. When only one stage
is possible, the stage is known although a datum is missing (e.g. ECOG 3 is stage D
whatever the tumour burden).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from oligotrial.clinical.bclc import (
    EARLY_MAX_NODULES,
    EARLY_NODULE_MAX_MM,
    END_STAGE_MIN_SCORE,
    VERY_EARLY_MAX_MM,
    LiverFunction,
    Preserved,
    Stage,
    bclc_stage,
)
from oligotrial.errors import InputError

__all__ = ["bclc_completions", "possible_bclc_stages"]

_ECOG = (0, 1, 3)
_FLAGS = (False, True)
_CHILD_PUGH = (5, 7, 8, END_STAGE_MIN_SCORE)
_COUNTS = (1, EARLY_MAX_NODULES, EARLY_MAX_NODULES + 1)
_SIZES = (VERY_EARLY_MAX_MM, EARLY_NODULE_MAX_MM, EARLY_NODULE_MAX_MM + 1.0)


Completion = tuple[dict[str, object], tuple[Stage, LiverFunction]]


def bclc_completions(
    *,
    tumour_count: int | None,
    largest_tumour_mm: float | None,
    macrovascular_invasion: bool | None,
    extrahepatic_spread: bool | None,
    ecog: int | None,
    child_pugh: int | None,
    preserved: Preserved = "A",
) -> list[Completion]:
    """For each completion of the unknown inputs (``None``) by representative values: the
    values it gives the unknown inputs, by name, and its (stage, liver function).
    Completions that admit no stage (no tumour and nothing advanced) are left out."""
    if None not in (
        tumour_count,
        largest_tumour_mm,
        macrovascular_invasion,
        extrahepatic_spread,
        ecog,
        child_pugh,
    ):  # nothing to complete: the one staging rule, once
        stage = bclc_stage(
            tumour_count=tumour_count,  # type: ignore[arg-type]
            largest_tumour_mm=largest_tumour_mm,
            macrovascular_invasion=macrovascular_invasion,  # type: ignore[arg-type]
            extrahepatic_spread=extrahepatic_spread,  # type: ignore[arg-type]
            ecog=ecog,  # type: ignore[arg-type]
            child_pugh=child_pugh,  # type: ignore[arg-type]
            preserved=preserved,
        )
        return [({}, (stage.stage, stage.liver_function))]
    given: dict[str, object] = {
        "ecog": ecog,
        "macrovascular_invasion": macrovascular_invasion,
        "extrahepatic_spread": extrahepatic_spread,
        "child_pugh": child_pugh,
        "tumour_count": tumour_count,
        "largest_tumour_mm": largest_tumour_mm,
    }
    pieces: dict[str, Sequence[object]] = {
        "ecog": _ECOG,
        "macrovascular_invasion": _FLAGS,
        "extrahepatic_spread": _FLAGS,
        "child_pugh": _CHILD_PUGH,
        "tumour_count": _COUNTS,
        "largest_tumour_mm": _SIZES if tumour_count != 0 else (None,),
    }
    hidden = [name for name, value in given.items() if value is None]
    out: list[Completion] = []
    refusals: list[InputError] = []
    for combo in itertools.product(*(pieces[name] for name in hidden)):
        chosen = dict(zip(hidden, combo, strict=True))
        full: dict[str, Any] = {**given, **chosen}
        try:
            stage = bclc_stage(
                tumour_count=full["tumour_count"],
                largest_tumour_mm=full["largest_tumour_mm"],
                macrovascular_invasion=full["macrovascular_invasion"],
                extrahepatic_spread=full["extrahepatic_spread"],
                ecog=full["ecog"],
                child_pugh=full["child_pugh"],
                preserved=preserved,
            )
        except InputError as exc:  # e.g. no tumour and nothing advanced: no stage
            refusals.append(exc)
            continue
        out.append((chosen, (stage.stage, stage.liver_function)))
    if not out and refusals:
        raise refusals[0]
    return out


def possible_bclc_stages(
    *,
    tumour_count: int | None,
    largest_tumour_mm: float | None,
    macrovascular_invasion: bool | None,
    extrahepatic_spread: bool | None,
    ecog: int | None,
    child_pugh: int | None,
    preserved: Preserved = "A",
) -> frozenset[tuple[Stage, LiverFunction]]:
    """(stage, liver function) pairs reachable by some completion of the unknown inputs
    (``None``). Known inputs are checked as :func:`bclc_stage` checks them."""
    return frozenset(
        result
        for _, result in bclc_completions(
            tumour_count=tumour_count,
            largest_tumour_mm=largest_tumour_mm,
            macrovascular_invasion=macrovascular_invasion,
            extrahepatic_spread=extrahepatic_spread,
            ecog=ecog,
            child_pugh=child_pugh,
            preserved=preserved,
        )
    )
