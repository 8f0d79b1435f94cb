"""Lesion facts for many patients at once (vectorised counterparts of the clinical rules).

The clinical package decides one lesion or one patient at a time
(:func:`oligotrial.clinical.lesions.measurability`, :func:`count_oligoprogressive`;
RECIST 1.1, Eisenhauer 2009; registry inclusion 3). These are the same rules over arrays
of lesions, for the batch path; property tests check that both give identical facts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from oligotrial.clinical.measurability import (
    CHEST_X_RAY_MIN_MM,
    MAX_THIN_SLICE_MM,
    MIN_SIZE_MM,
    NODE_MEASURABLE_MM,
)
from oligotrial.eligibility.columns import Columns
from oligotrial.eligibility.struct_lesions import (
    BONE_CODES,
    KIND_CODES,
    MODALITY_CODES,
    LesionTable,
)

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]
_NEVER = ("effusion", "ascites", "lymphangitic", "leptomeningeal")


@dataclass(frozen=True)
class LesionFacts:
    """Per patient: (value, known) of each lesion fact."""

    count: tuple[Floats, Bools]
    systems: tuple[Floats, Bools]
    measurable: tuple[Floats, Bools]
    irradiated: tuple[Floats, Bools]
    amenable: tuple[Bools, Bools]
    any_progressing: Bools


def _distinct_per_owner(owner: Ints, key: Ints, n: int) -> Ints:
    if not len(owner):
        return np.zeros(n, dtype=np.int64)
    width = int(key.max()) + 1
    if n * width <= 1 << 22:  # a table of (owner, key) seen: faster than sorting
        seen = np.zeros(n * width, dtype=bool)
        seen[owner * width + key] = True
        return np.asarray(seen.reshape(n, width).sum(axis=1), dtype=np.int64)
    pairs = np.unique(owner * width + key)
    return np.bincount(pairs // width, minlength=n).astype(np.int64)


def _measurable(
    t: LesionTable, irradiated: npt.NDArray[np.int8], allow: bool
) -> npt.NDArray[np.int8]:
    """Per lesion: 1 measurable, 0 not, -1 cannot tell (as the clinical rule decides)."""
    nodal_a, longest_a, short_a, slice_a, soft_a = t.nodal, t.longest, t.short, t.slice_mm, t.soft
    modality_a, kind_a, after_a = t.modality, t.kind, t.after_rt
    bone_a = t.bone == BONE_CODES["blastic"]
    is_bone = t.system == t.bone_system
    threshold = np.where(
        modality_a == MODALITY_CODES["X-ray"],
        CHEST_X_RAY_MIN_MM,
        np.where(
            (modality_a == MODALITY_CODES["clinical"])
            | np.isnan(slice_a)
            | (slice_a <= MAX_THIN_SLICE_MM),
            MIN_SIZE_MM,
            np.maximum(MIN_SIZE_MM, 2.0 * np.nan_to_num(slice_a)),
        ),
    )
    result = np.full(len(nodal_a), -1, dtype=np.int8)
    decided = np.zeros(len(nodal_a), dtype=bool)

    def settle(mask: Bools, value: npt.NDArray[np.int8] | int) -> None:
        take = mask & ~decided
        result[take] = value if isinstance(value, int) else value[take]
        decided[take] = True

    settle(irradiated < 0, -1)
    settle(np.isin(kind_a, [KIND_CODES[k] for k in _NEVER]), 0)
    settle((irradiated == 1) & (~after_a | (not allow)), 0)
    settle((modality_a == MODALITY_CODES["ultrasound"]) | (modality_a == MODALITY_CODES["PET"]), 0)
    settle(nodal_a & np.isnan(short_a), -1)
    settle(nodal_a, (np.nan_to_num(short_a) >= NODE_MEASURABLE_MM).astype(np.int8))
    settle(is_bone & bone_a, 0)
    no_soft = np.isnan(soft_a) | (soft_a == 0)
    settle(is_bone & no_soft, 0)
    settle(is_bone, (np.nan_to_num(soft_a) >= threshold).astype(np.int8))
    settle(np.isnan(longest_a), -1)
    settle(
        np.ones(len(nodal_a), dtype=bool), (np.nan_to_num(longest_a) >= threshold).astype(np.int8)
    )
    return result


def lesion_facts(c: Columns, allow_irradiated_if_progressed: bool) -> LesionFacts:
    """Counts, organ systems, measurable, irradiated and amenable facts per patient."""
    n = c.n
    has = c.codes["has_lesions"] == 1
    t = c.lesions
    owner, nodal, region, system, prog = t.owner, t.nodal, t.region, t.system, t.progressing
    region_given = region >= 0
    irradiated = t.irradiated.copy()
    unknown = np.flatnonzero(irradiated == 2)
    if len(unknown):
        courses = c.numbers["rt_courses"]
        irradiated[unknown] = [
            1 if (int(owner[k]), t.ids[k]) in t.rt_refs else 0 if courses[owner[k]] == 0 else -1
            for k in unknown.tolist()
        ]
    lacking_region = np.bincount(owner[prog & nodal & ~region_given], minlength=n) > 0
    singles = np.bincount(owner[prog & ~nodal], minlength=n)
    counted = prog & nodal & region_given
    regions = _distinct_per_owner(owner[counted], region[counted], n)
    systems = _distinct_per_owner(owner[prog], system[prog], n)
    count_known = has & ~lacking_region
    meas = _measurable(t, irradiated, allow_irradiated_if_progressed)
    meas_yes = np.bincount(owner[prog & (meas == 1)], minlength=n)
    meas_unknown = np.bincount(owner[prog & (meas < 0)], minlength=n) > 0
    irr_yes = np.bincount(owner[prog & (irradiated == 1)], minlength=n)
    irr_unknown = np.bincount(owner[prog & (irradiated < 0)], minlength=n) > 0
    amen = t.amenable
    amen_no = np.bincount(owner[prog & (amen == 0)], minlength=n) > 0
    amen_unknown = np.bincount(owner[prog & (amen == 2)], minlength=n) > 0
    any_prog = np.bincount(owner[prog], minlength=n) > 0
    return LesionFacts(
        count=((singles + regions).astype(np.float64), count_known),
        systems=(systems.astype(np.float64), count_known),
        measurable=(meas_yes.astype(np.float64), has & ((meas_yes > 0) | ~meas_unknown)),
        irradiated=(irr_yes.astype(np.float64), has & ((irr_yes > 0) | ~irr_unknown)),
        amenable=(~amen_no, has & (amen_no | ~amen_unknown)),
        any_progressing=any_prog,
    )
