"""ESTRO-EORTC classification of oligometastatic disease.

Source: Guckenberger M, Lievens Y, Bouma AB, et al. Characterisation and classification of
oligometastatic disease: a European Society for Radiotherapy and Oncology and European
Organisation for Research and Treatment of Cancer consensus recommendation. Lancet Oncol
2020;21:e18-e28 (decision tree, figure 3).

1. History of polymetastatic disease → **induced** oligometastatic disease.
2. Else history of oligometastatic disease → **repeat**.
3. Else **de-novo**: **synchronous** if diagnosed within 6 months of the primary cancer
   diagnosis (inclusive, calendar months), else **metachronous**.

For metachronous, repeat and induced disease, the state at diagnosis:
off systemic therapy → **oligorecurrence**; on active systemic therapy with a progressing
lesion → **oligoprogression**; on therapy with nothing progressing →
**oligopersistence**. Synchronous disease has no further state.

NCT06841172 (inclusion 3) needs repeat or induced oligoprogression
(:attr:`OligoClass.repeat_or_induced_oligoprogression`).
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date
from typing import Literal

from oligotrial.errors import InputError

__all__ = ["OligoClass", "add_months", "estro_eortc_class"]

Category = Literal["induced", "repeat", "de-novo"]
Timing = Literal["synchronous", "metachronous"]
State = Literal["oligorecurrence", "oligoprogression", "oligopersistence"]

SYNCHRONOUS_WINDOW_MONTHS = 6


@dataclass(frozen=True)
class OligoClass:
    """ESTRO-EORTC class: category, timing (de-novo only), state, and the full label."""

    category: Category
    timing: Timing | None
    state: State | None
    label: str

    @property
    def repeat_or_induced_oligoprogression(self) -> bool:
        """Repeat or induced oligoprogression (the class the trial requires)."""
        return self.category in ("repeat", "induced") and self.state == "oligoprogression"


def add_months(start: date, months: int) -> date:
    """``start`` plus whole calendar months, the day clamped to the month's length."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _state(on_systemic_therapy: bool, progressing_lesion: bool) -> State:
    if not on_systemic_therapy:
        return "oligorecurrence"
    return "oligoprogression" if progressing_lesion else "oligopersistence"


def _timing(
    primary_diagnosis: date | None,
    omd_diagnosis: date | None,
    months_since_primary: float | None,
) -> Timing:
    if primary_diagnosis is not None or omd_diagnosis is not None:
        if months_since_primary is not None:
            raise InputError("months_since_primary", "give either the two dates or the months")
        if primary_diagnosis is None or omd_diagnosis is None:
            missing = "primary_diagnosis" if primary_diagnosis is None else "omd_diagnosis"
            raise InputError(
                missing, "both dates are needed to tell synchronous from metachronous disease"
            )
        if omd_diagnosis < primary_diagnosis:
            raise InputError(
                "omd_diagnosis",
                f"{omd_diagnosis.isoformat()} is before the primary diagnosis "
                f"{primary_diagnosis.isoformat()}",
            )
        limit = add_months(primary_diagnosis, SYNCHRONOUS_WINDOW_MONTHS)
        return "synchronous" if omd_diagnosis <= limit else "metachronous"
    if months_since_primary is None:
        raise InputError(
            "primary_diagnosis",
            "de-novo disease: the primary and oligometastatic diagnosis dates (or the months "
            "between them) are needed",
        )
    if not math.isfinite(months_since_primary) or months_since_primary < 0:
        raise InputError("months_since_primary", f"must be 0 or more, got {months_since_primary!r}")
    return "synchronous" if months_since_primary <= SYNCHRONOUS_WINDOW_MONTHS else "metachronous"


def estro_eortc_class(
    *,
    history_polymetastatic: bool,
    history_oligometastatic: bool,
    on_systemic_therapy: bool,
    progressing_lesion: bool,
    primary_diagnosis: date | None = None,
    omd_diagnosis: date | None = None,
    months_since_primary: float | None = None,
) -> OligoClass:
    """Classify oligometastatic disease per the ESTRO-EORTC decision tree.

    The timing inputs (two dates, or ``months_since_primary``) are needed only for de-novo
    disease.
    """
    if history_polymetastatic or history_oligometastatic:
        category: Category = "induced" if history_polymetastatic else "repeat"
        state = _state(on_systemic_therapy, progressing_lesion)
        return OligoClass(category, None, state, f"{category} {state}")
    timing = _timing(primary_diagnosis, omd_diagnosis, months_since_primary)
    if timing == "synchronous":
        return OligoClass("de-novo", timing, None, "synchronous oligometastatic disease")
    state = _state(on_systemic_therapy, progressing_lesion)
    return OligoClass("de-novo", timing, state, f"metachronous {state}")
