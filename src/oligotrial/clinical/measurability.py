"""RECIST 1.1 measurability of one lesion at baseline.

Source: Eisenhauer EA, Therasse P, Bogaerts J, et al. New response evaluation criteria in
solid tumours: revised RECIST guideline (version 1.1). Eur J Cancer 2009;45:228-247,
section 3.1 and appendix II.

- Non-nodal lesions: longest diameter ≥ 10 mm on CT/MRI with slices ≤ 5 mm; with thicker
  slices ≥ 2 × slice thickness; ≥ 20 mm on chest X-ray; ≥ 10 mm by caliper (clinical).
  Ultrasound and PET are not used to measure. A missing slice thickness is taken as ≤ 5 mm
  and the reason says so. The CT of a PET-CT is treated as CT.
- Lymph nodes, short axis: ≥ 15 mm measurable; 10 to < 15 mm pathological but
  non-measurable; < 10 mm not pathological ("normal").
- Bone: blastic lesions are never measurable; lytic or mixed lesions only through an
  identifiable soft-tissue component that meets the non-nodal size rule.
- Effusions, ascites, lymphangitic and leptomeningeal disease are never measurable.
- Previously irradiated lesions are non-measurable unless they progressed after the
  radiotherapy and the protocol accepts such lesions
  (``irradiated_measurable_if_progressed``, default True, the protocol's
  ``response.irradiated_lesion_measurable_if_progressed``).

A lesion missing the size its category needs raises :class:`InputError`: missing data is
not the same as non-measurable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from oligotrial.clinical.lesion import Lesion
from oligotrial.errors import InputError

__all__ = [
    "NODE_MEASURABLE_MM",
    "NODE_PATHOLOGICAL_MM",
    "Measurability",
    "measurability",
    "minimum_size_mm",
]

Category = Literal["measurable", "non-measurable", "normal"]

NODE_MEASURABLE_MM = 15.0
NODE_PATHOLOGICAL_MM = 10.0
MIN_SIZE_MM = 10.0
MAX_THIN_SLICE_MM = 5.0
CHEST_X_RAY_MIN_MM = 20.0
_NEVER_MEASURABLE_KINDS = {
    "effusion": "effusions are never measurable",
    "ascites": "ascites is never measurable",
    "lymphangitic": "lymphangitic spread is never measurable",
    "leptomeningeal": "leptomeningeal disease is never measurable",
}


@dataclass(frozen=True)
class Measurability:
    """RECIST 1.1 category of a lesion, the reason in words and the threshold applied."""

    category: Category
    reason: str
    threshold_mm: float | None = None

    @property
    def measurable(self) -> bool:
        """True for a measurable lesion."""
        return self.category == "measurable"


def minimum_size_mm(modality: str, slice_thickness_mm: float | None) -> float:
    """Smallest measurable longest diameter for a non-nodal lesion."""
    if modality == "X-ray":
        return CHEST_X_RAY_MIN_MM
    if modality == "clinical" or slice_thickness_mm is None:
        return MIN_SIZE_MM
    if slice_thickness_mm > MAX_THIN_SLICE_MM:
        return max(MIN_SIZE_MM, 2.0 * slice_thickness_mm)
    return MIN_SIZE_MM


def _size_rule(size: float, lesion: Lesion, what: str) -> Measurability:
    threshold = minimum_size_mm(lesion.modality, lesion.slice_thickness_mm)
    if lesion.modality == "X-ray":
        basis = "chest X-ray needs ≥ 20 mm"
    elif lesion.modality == "clinical":
        basis = "caliper measurement needs ≥ 10 mm"
    elif lesion.slice_thickness_mm is None:
        basis = f"{lesion.modality} needs ≥ 10 mm (slice thickness not given; assumed ≤ 5 mm)"
    elif lesion.slice_thickness_mm > MAX_THIN_SLICE_MM:
        basis = (
            f"{lesion.modality} with {lesion.slice_thickness_mm:g} mm slices needs "
            f"≥ 2 × slice thickness = {threshold:g} mm"
        )
    else:
        basis = f"{lesion.modality} with {lesion.slice_thickness_mm:g} mm slices needs ≥ 10 mm"
    if size >= threshold:
        return Measurability("measurable", f"{what} {size:g} mm; {basis}", threshold)
    return Measurability("non-measurable", f"{what} {size:g} mm is too small: {basis}", threshold)


def _required(value: float | None, field: str, why: str) -> float:
    if value is None:
        raise InputError(field, f"required to judge measurability ({why})")
    return value


def measurability(
    lesion: Lesion, *, irradiated_measurable_if_progressed: bool = True
) -> Measurability:
    """Classify a lesion as measurable, non-measurable or normal (a node < 10 mm)."""
    if lesion.kind in _NEVER_MEASURABLE_KINDS:
        return Measurability("non-measurable", _NEVER_MEASURABLE_KINDS[lesion.kind])
    if lesion.previously_irradiated:
        if not lesion.progressed_after_rt:
            return Measurability("non-measurable", "previously irradiated and not progressed since")
        if not irradiated_measurable_if_progressed:
            return Measurability(
                "non-measurable",
                "previously irradiated; the protocol does not accept irradiated lesions "
                "even after progression",
            )
    if lesion.modality in ("ultrasound", "PET"):
        return Measurability(
            "non-measurable", f"RECIST 1.1 does not measure lesions on {lesion.modality}"
        )
    if lesion.is_nodal:
        short_axis = _required(lesion.short_axis_mm, "short_axis_mm", "lymph node")
        if short_axis >= NODE_MEASURABLE_MM:
            return Measurability(
                "measurable", f"lymph node short axis {short_axis:g} mm ≥ 15 mm", NODE_MEASURABLE_MM
            )
        if short_axis >= NODE_PATHOLOGICAL_MM:
            return Measurability(
                "non-measurable",
                f"lymph node short axis {short_axis:g} mm: pathological (≥ 10 mm) but < 15 mm",
                NODE_MEASURABLE_MM,
            )
        return Measurability(
            "normal",
            f"lymph node short axis {short_axis:g} mm < 10 mm: not pathological",
            NODE_MEASURABLE_MM,
        )
    if lesion.system == "bone":
        if lesion.bone_type == "blastic":
            return Measurability("non-measurable", "blastic bone lesions are never measurable")
        if not lesion.soft_tissue_component_mm:
            return Measurability(
                "non-measurable", "bone lesion without a soft-tissue component is non-measurable"
            )
        return _size_rule(lesion.soft_tissue_component_mm, lesion, "bone soft-tissue component")
    size = _required(lesion.longest_diameter_mm, "longest_diameter_mm", "non-nodal lesion")
    return _size_rule(size, lesion, "longest diameter")
