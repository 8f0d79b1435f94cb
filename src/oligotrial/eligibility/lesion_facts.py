"""Facts of the oligoprogressive lesions of one screening record: their count and organ
systems, the oligoprogression site, how many are measurable or previously irradiated, and
whether all are amenable to radiotherapy.

Rules from :mod:`oligotrial.clinical.lesions` (RECIST 1.1 measurability: Eisenhauer 2009;
counting of oligoprogressive lesions and organ systems: the NCT06841172 registry,
inclusion 3) and :mod:`oligotrial.clinical.oligo_site`. A lesion's previous irradiation is
the record's flag, else a prior radiotherapy course naming it, else unknown. Counts with
undecided lesions carry bounds (each undecided lesion adds 0 or 1; a node without its region
may join a known region or form a new one).
"""

from __future__ import annotations

from oligotrial.clinical.lesions import (
    LYMPH_NODE_SYSTEM,
    Lesion,
    count_oligoprogressive,
    measurability,
)
from oligotrial.clinical.oligo_site import oligoprogression_site
from oligotrial.eligibility.fact_value import FactValue, Missing, Settings
from oligotrial.eligibility.record import ScreeningRecord
from oligotrial.eligibility.record_parts import LesionRecord
from oligotrial.errors import InputError

_LESIONS = "oligoprogression.lesions"


def _progressing(r: ScreeningRecord) -> list[tuple[int, LesionRecord]]:
    return [(i, le) for i, le in enumerate(r.oligoprogression.lesions or ()) if le.progressing]


def _irradiated(r: ScreeningRecord, index: int, lesion: LesionRecord) -> bool | Missing:
    if lesion.previously_irradiated is not None:
        return lesion.previously_irradiated
    courses = r.history.prior_radiotherapy
    if courses is not None and any(lesion.id in c.lesion_ids for c in courses):
        return True
    if courses is not None and len(courses) == 0:
        return False
    return Missing((f"{_LESIONS}.{index}.previously_irradiated",))


def clinical_lesion(lesion: LesionRecord, irradiated: bool) -> Lesion:
    """The clinical package's lesion for one record lesion. The record's validation applied
    the lesion's own checks (:class:`LesionRecord`), so they are not run again."""
    return Lesion.checked(
        organ=lesion.organ,
        lymph_node_region=lesion.lymph_node_region,
        nodal=lesion.nodal,
        longest_diameter_mm=lesion.longest_diameter_mm,
        short_axis_mm=lesion.short_axis_mm,
        slice_thickness_mm=lesion.slice_thickness_mm,
        modality=lesion.modality,
        bone_type=lesion.bone_type,
        soft_tissue_component_mm=lesion.soft_tissue_component_mm,
        kind=lesion.kind,
        progressing=lesion.progressing,
        previously_irradiated=irradiated,
        progressed_after_rt=lesion.progressed_after_rt and irradiated,
        label=lesion.id,
    )


def _clinical_lesions(r: ScreeningRecord) -> tuple[Lesion, ...]:
    """The clinical lesion of every record lesion, as not irradiated (what counting and
    the site need), built once per record; :func:`_clinical` adds irradiated ones."""
    lesions = r.oligoprogression.lesions or ()
    return r.derived("lesions", lambda: tuple(clinical_lesion(le, False) for le in lesions))


def _clinical(r: ScreeningRecord, index: int, lesion: LesionRecord, irradiated: bool) -> Lesion:
    """The clinical lesion of lesion ``index``, built once per record."""
    if not irradiated:
        return _clinical_lesions(r)[index]
    return r.derived(("lesion", index), lambda: clinical_lesion(lesion, True))


Counted = tuple[int, int, tuple[str, ...], bool]
_COUNTED: dict[tuple[tuple[bool, str, str | None], ...], Counted] = {}


def _counted(lesions: tuple[Lesion, ...]) -> Counted:
    """:func:`count_oligoprogressive` of ``lesions``: the lesions, the organs/systems, the
    systems and whether a node region is known. Counting reads only each lesion's
    progressing flag, system and node region, so it is done once per distinct sequence of
    those (records repeat a modest number of organ patterns; sizes do not matter)."""
    key = tuple((le.progressing, le.system, le.lymph_node_region) for le in lesions)
    found = _COUNTED.get(key)
    if found is None:
        placed = count_oligoprogressive(lesions)
        regions = any(item.region is not None for item in placed.detail)
        found = (placed.lesions, placed.organ_systems, placed.systems, regions)
        if len(_COUNTED) >= 4096:
            _COUNTED.clear()
        _COUNTED[key] = found
    return found


def lesion_counts(r: ScreeningRecord, s: Settings) -> tuple[FactValue, FactValue]:
    lesions = r.oligoprogression.lesions
    if lesions is None:
        return Missing((_LESIONS,)), Missing((_LESIONS,))
    clinical = _clinical_lesions(r)
    unplaced = [
        i
        for i, le in enumerate(clinical)
        if le.progressing and le.is_nodal and le.lymph_node_region is None
    ]
    count, organ_systems, placed_systems, known_regions = _counted(
        tuple(le for i, le in enumerate(clinical) if i not in unplaced)
    )
    if not unplaced:
        return count, organ_systems
    # Nodes without a region: all nodes are one system, so the systems are known; each such
    # node may join a known region (adds 0) or be a region of its own (adds 1).
    systems = len(set(placed_systems) | {LYMPH_NODE_SYSTEM})
    low, high = count + (0 if known_regions else 1), count + len(unplaced)
    if low == high:  # one node, no other region: it is a region of its own
        return low, systems
    paths = tuple(f"{_LESIONS}.{i}.lymph_node_region" for i in unplaced)
    return Missing(paths, low, high), systems


def oligo_site(r: ScreeningRecord, s: Settings) -> FactValue:
    lesions = r.oligoprogression.lesions
    site = None if lesions is None else oligoprogression_site(_clinical_lesions(r))
    return Missing((_LESIONS,)) if site is None else site


def _at_least(known: int, unknown: list[str]) -> FactValue:
    """``known`` lesions counted; each lesion in ``unknown`` may add one more."""
    lesions = {path.rsplit(".", 1)[0] for path in unknown}
    return Missing(tuple(unknown), known, known + len(lesions)) if unknown else known


def measurable(r: ScreeningRecord, s: Settings) -> FactValue:
    if r.oligoprogression.lesions is None:
        return Missing((_LESIONS,))
    allow = bool(s["irradiated_lesion_measurable_if_progressed"])
    known = 0
    unknown: list[str] = []
    for i, le in _progressing(r):
        irradiated = _irradiated(r, i, le)
        if isinstance(irradiated, Missing):
            unknown.extend(irradiated.paths)
            continue
        try:
            verdict = measurability(
                _clinical(r, i, le, irradiated), irradiated_measurable_if_progressed=allow
            )
        except InputError as exc:
            unknown.append(f"{_LESIONS}.{i}.{exc.field}")
            continue
        known += verdict.measurable
    return _at_least(known, unknown)


def count_irradiated(r: ScreeningRecord, s: Settings) -> FactValue:
    if r.oligoprogression.lesions is None:
        return Missing((_LESIONS,))
    known = 0
    unknown: list[str] = []
    for i, le in _progressing(r):
        irradiated = _irradiated(r, i, le)
        if isinstance(irradiated, Missing):
            unknown.extend(irradiated.paths)
        else:
            known += irradiated
    return _at_least(known, unknown)


def amenable(r: ScreeningRecord, s: Settings) -> FactValue:
    if r.oligoprogression.lesions is None:
        return Missing((_LESIONS,))
    flags = [(i, le.amenable_to_rt) for i, le in _progressing(r)]
    if any(flag is False for _, flag in flags):
        return False
    unknown = tuple(f"{_LESIONS}.{i}.amenable_to_rt" for i, flag in flags if flag is None)
    return Missing(unknown) if unknown else True
