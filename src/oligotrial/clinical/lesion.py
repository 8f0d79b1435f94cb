"""One tumour lesion as seen on imaging, with what RECIST 1.1 and lesion counting need.

Sizes are in millimetres: ``longest_diameter_mm`` for non-nodal lesions,
``short_axis_mm`` for lymph nodes, ``soft_tissue_component_mm`` for the soft-tissue part
of a lytic or mixed bone lesion. Impossible values (negative or non-finite sizes, a slice
thickness of 0) and unknown vocabularies are refused when the lesion is built, with an
:class:`~oligotrial.errors.InputError` naming the field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from oligotrial.clinical.anatomy import LYMPH_NODE_SYSTEM, organ_system
from oligotrial.errors import InputError

__all__ = ["BONE_TYPES", "KINDS", "MODALITIES", "Lesion"]

BoneType = Literal["lytic", "mixed", "blastic"]
BONE_TYPES: frozenset[str] = frozenset({"lytic", "mixed", "blastic"})
KINDS: frozenset[str] = frozenset(
    {"solid", "cystic", "effusion", "ascites", "lymphangitic", "leptomeningeal"}
)
MODALITIES: frozenset[str] = frozenset(
    {"CT", "MRI", "PET-CT", "X-ray", "clinical", "ultrasound", "PET"}
)
_MODALITY_ALIASES = {
    "ct": "CT",
    "mri": "MRI",
    "mr": "MRI",
    "pet-ct": "PET-CT",
    "petct": "PET-CT",
    "pet/ct": "PET-CT",
    "x-ray": "X-ray",
    "xray": "X-ray",
    "chest-x-ray": "X-ray",
    "cxr": "X-ray",
    "clinical": "clinical",
    "caliper": "clinical",
    "ultrasound": "ultrasound",
    "us": "ultrasound",
    "pet": "PET",
}
_KIND_ALIASES = {
    "pleural-effusion": "effusion",
    "pericardial-effusion": "effusion",
    "lymphangitis": "lymphangitic",
    "lymphangitic-spread": "lymphangitic",
}


def _size(value: float | None, field: str, *, positive: bool = False) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(field, f"expected a size in mm, got {value!r}")
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        need = "greater than 0" if positive else "0 or more"
        raise InputError(field, f"size must be a finite number {need} mm, got {value!r}")


def _known(value: object, spellings: frozenset[str]) -> str | None:
    """``value`` when it already is one of ``spellings`` (no reading needed), else None."""
    return value if isinstance(value, str) and value in spellings else None


@dataclass(frozen=True)
class Lesion:
    """A lesion: its organ (and lymph-node region), sizes, imaging and history.

    ``organ`` is free text normalised by :func:`oligotrial.clinical.anatomy.organ_system`
    (``"left lung"`` and ``"lungs"`` are both ``"lung"``). A lymph node is flagged by
    ``nodal=True`` or by an organ naming lymph nodes; it needs ``lymph_node_region`` to be
    counted. ``label`` is an optional name shown in explanations (e.g. ``"T1"``).
    """

    organ: str
    lymph_node_region: str | None = None
    nodal: bool = False
    longest_diameter_mm: float | None = None
    short_axis_mm: float | None = None
    slice_thickness_mm: float | None = None
    modality: str = "CT"
    bone_type: str | None = None
    soft_tissue_component_mm: float | None = None
    kind: str = "solid"
    progressing: bool = False
    previously_irradiated: bool = False
    progressed_after_rt: bool = False
    label: str = ""

    def __post_init__(self) -> None:
        system = organ_system(self.organ)
        _size(self.longest_diameter_mm, "longest_diameter_mm")
        _size(self.short_axis_mm, "short_axis_mm")
        _size(self.soft_tissue_component_mm, "soft_tissue_component_mm")
        _size(self.slice_thickness_mm, "slice_thickness_mm", positive=True)
        modality = _known(self.modality, MODALITIES) or _MODALITY_ALIASES.get(
            "-".join(str(self.modality).strip().lower().split())
        )
        if modality is None:
            raise InputError(
                "modality",
                f"unknown imaging modality {self.modality!r}; allowed: "
                f"{', '.join(sorted(MODALITIES))}",
            )
        object.__setattr__(self, "modality", modality)
        kind = _known(self.kind, KINDS)
        if kind is None:
            kind_key = "-".join(str(self.kind).strip().lower().split())
            kind = _KIND_ALIASES.get(kind_key, kind_key)
        if kind not in KINDS:
            raise InputError(
                "kind", f"unknown lesion kind {self.kind!r}; allowed: {', '.join(sorted(KINDS))}"
            )
        object.__setattr__(self, "kind", kind)
        if self.bone_type is not None:
            bone_type = str(self.bone_type).strip().lower()
            if bone_type not in BONE_TYPES:
                raise InputError(
                    "bone_type",
                    f"unknown bone lesion type {self.bone_type!r}; allowed: blastic, lytic, mixed",
                )
            if system != "bone":
                raise InputError("bone_type", f"given for a lesion in {self.organ!r}, not bone")
            object.__setattr__(self, "bone_type", bone_type)
        if self.lymph_node_region is not None and not (self.nodal or system == LYMPH_NODE_SYSTEM):
            raise InputError(
                "lymph_node_region",
                f"given for a lesion in {self.organ!r}; set nodal=True for a lymph node",
            )
        if self.progressed_after_rt and not self.previously_irradiated:
            raise InputError(
                "progressed_after_rt", "set for a lesion that was not previously irradiated"
            )

    @classmethod
    def checked(
        cls,
        *,
        organ: str,
        lymph_node_region: str | None,
        nodal: bool,
        longest_diameter_mm: float | None,
        short_axis_mm: float | None,
        slice_thickness_mm: float | None,
        modality: str,
        bone_type: str | None,
        soft_tissue_component_mm: float | None,
        kind: str,
        progressing: bool,
        previously_irradiated: bool,
        progressed_after_rt: bool,
        label: str,
    ) -> Lesion:
        """A lesion from values that already passed this class's checks: an organ code,
        sizes finite and not negative (slice thickness above 0), modality, kind and bone
        type in their canonical spelling, the region and bone type and irradiation flags
        consistent (as a validated screening record's lesion has them). Built without
        checking them a second time; every field must be given. Its :attr:`system` is
        worked out at once (the counting and measurability rules all ask for it)."""
        made = object.__new__(cls)
        made.__dict__.update(
            organ=organ,
            lymph_node_region=lymph_node_region,
            nodal=nodal,
            longest_diameter_mm=longest_diameter_mm,
            short_axis_mm=short_axis_mm,
            slice_thickness_mm=slice_thickness_mm,
            modality=modality,
            bone_type=bone_type,
            soft_tissue_component_mm=soft_tissue_component_mm,
            kind=kind,
            progressing=progressing,
            previously_irradiated=previously_irradiated,
            progressed_after_rt=progressed_after_rt,
            label=label,
            system=LYMPH_NODE_SYSTEM if nodal else organ_system(organ),
        )
        return made

    @cached_property
    def system(self) -> str:
        """The organ/system this lesion counts under (all lymph nodes: ``"lymph-node"``);
        worked out once per lesion (counting and measurability ask for it many times)."""
        return LYMPH_NODE_SYSTEM if self.nodal else organ_system(self.organ)

    @property
    def is_nodal(self) -> bool:
        """Whether the lesion is a lymph node."""
        return self.system == LYMPH_NODE_SYSTEM

    @property
    def in_liver(self) -> bool:
        """Whether the lesion lies in the liver: its organ is the liver and it is not a lymph
        node (a node at the hepatic hilum or porta hepatis is a lymph node, RECIST 1.1: all
        nodes are one organ, outside the liver). The one definition every package uses."""
        return self.system == "liver"
