"""Counting oligoprogressive lesions and the organs/systems they involve.

Source: NCT06841172 registry, inclusion criterion 3 (1-5 oligoprogressive lesions in 1-3
organs or systems; each lymphatic drainage region is one lesion, para-aortic 16a and 16b
separate regions), with RECIST 1.1 (Eisenhauer 2009) for what an organ is (paired organs
one organ, all lymph nodes one organ). The organ and region rules are in
:mod:`oligotrial.clinical.anatomy`.

Only lesions marked ``progressing`` are counted. A non-nodal lesion counts as one lesion
under its organ. Lymph nodes are grouped by drainage region: a region counts as one lesion
however many of its nodes progress, and all regions together are one system. The result
keeps, for each counted unit, which input lesions (by position and label) it stands for, so
a verdict can be explained. The counts do not depend on the order of the lesions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from oligotrial.clinical.anatomy import DEFAULT_SPLIT_STATIONS, LYMPH_NODE_SYSTEM, lymph_node_region
from oligotrial.clinical.lesion import Lesion
from oligotrial.errors import InputError

__all__ = ["CountedLesion", "OligoCount", "count_oligoprogressive"]


@dataclass(frozen=True)
class CountedLesion:
    """One counted lesion: its system, its node region (None for non-nodal), the inputs."""

    system: str
    region: str | None
    indices: tuple[int, ...]
    labels: tuple[str, ...]

    def describe(self) -> str:
        """One line saying what was counted and why."""
        names = ", ".join(
            label or f"#{index + 1}" for index, label in zip(self.indices, self.labels, strict=True)
        )
        if self.region is None:
            return f"{self.system}: lesion {names}"
        nodes = "1 node" if len(self.indices) == 1 else f"{len(self.indices)} nodes"
        return f"{LYMPH_NODE_SYSTEM}: region {self.region} ({nodes}: {names}) counts once"


@dataclass(frozen=True)
class OligoCount:
    """Counted oligoprogressive lesions and organs/systems, with the detail of each."""

    lesions: int
    organ_systems: int
    detail: tuple[CountedLesion, ...]
    systems: tuple[str, ...]
    not_progressing: tuple[int, ...]

    def within(self, *, max_lesions: int = 5, max_systems: int = 3) -> bool:
        """1 to ``max_lesions`` lesions in 1 to ``max_systems`` organs/systems."""
        return 1 <= self.lesions <= max_lesions and 1 <= self.organ_systems <= max_systems

    @property
    def intrahepatic_only(self) -> bool:
        """All counted lesions are in the liver (stratification: intrahepatic only)."""
        return self.systems == ("liver",)

    def explain(self) -> str:
        """The count in words, one counted lesion per line."""
        head = (
            f"{self.lesions} oligoprogressive lesion(s) in {self.organ_systems} "
            f"organ(s)/system(s): {', '.join(self.systems) or 'none'}"
        )
        return "\n".join([head, *(f"  - {item.describe()}" for item in self.detail)])


def count_oligoprogressive(
    lesions: Iterable[Lesion],
    *,
    split_stations: frozenset[str] = DEFAULT_SPLIT_STATIONS,
) -> OligoCount:
    """Count progressing lesions (node regions once each) and the organs/systems involved."""
    items: Sequence[Lesion] = list(lesions)
    singles: list[CountedLesion] = []
    regions: dict[str, list[int]] = {}
    idle: list[int] = []
    for index, lesion in enumerate(items):
        if not isinstance(lesion, Lesion):
            raise InputError(f"lesions[{index}]", f"expected a Lesion, got {type(lesion).__name__}")
        if not lesion.progressing:
            idle.append(index)
            continue
        if lesion.is_nodal:
            if lesion.lymph_node_region is None:
                raise InputError(
                    f"lesions[{index}].lymph_node_region",
                    "a progressing lymph node needs its drainage region to be counted",
                )
            try:
                region = lymph_node_region(lesion.lymph_node_region, split_stations=split_stations)
            except InputError as exc:
                raise InputError(f"lesions[{index}].lymph_node_region", exc.problem) from None
            regions.setdefault(region, []).append(index)
        else:
            singles.append(CountedLesion(lesion.system, None, (index,), (lesion.label,)))
    for region, indices in regions.items():
        labels = tuple(items[i].label for i in indices)
        singles.append(CountedLesion(LYMPH_NODE_SYSTEM, region, tuple(indices), labels))
    detail = tuple(sorted(singles, key=lambda c: (c.system, c.region or "", c.indices)))
    systems = tuple(sorted({item.system for item in detail}))
    return OligoCount(len(detail), len(systems), detail, systems, tuple(idle))
