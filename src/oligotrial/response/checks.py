"""Checks of a tumour record before any response is derived; every problem is named.

Baseline target selection follows RECIST 1.1 (Eisenhauer et al., Eur J Cancer 2009;45:228):
at most 5 targets, at most 2 per organ, all lymph nodes one organ, paired organs one organ
(the organ by :func:`oligotrial.clinical.anatomy.organ_system`); a target must be measurable
by :func:`oligotrial.clinical.measurability.measurability` (non-nodal longest diameter
≥ 10 mm, ≥ 2 × slice thickness when slices are thicker than 5 mm; nodal short axis ≥ 15 mm;
a bone target is measured on its soft-tissue component; a previously irradiated lesion only
if it progressed afterwards, a protocol setting). mRECIST (Lencioni & Llovet, Semin Liver
Dis 2010;30:52) adds: intrahepatic targets need a viable (enhancing) part ≥ 10 mm, porta
hepatis nodes need a short axis ≥ 20 mm, portal vein thrombosis is never a target.
"""

from __future__ import annotations

from oligotrial.clinical.anatomy import LYMPH_NODE_SYSTEM, organ_system
from oligotrial.clinical.anatomy_terms import ORGANS
from oligotrial.clinical.lesion import Lesion
from oligotrial.clinical.measurability import Measurability, measurability
from oligotrial.errors import InputError
from oligotrial.response.inputs import Assessment, BaselineLesion, TumourRecord
from oligotrial.response.settings import Criteria, ResponseSettings

MAX_TARGETS = 5
MAX_TARGETS_PER_ORGAN = 2
PORTA_HEPATIS_NODE_MRECIST_MM = 20.0


def organ_key(lesion: BaselineLesion) -> str:
    """The organ a target counts against, in words: all nodes are one organ ("lymph
    nodes"); paired organs are one (the clinical vocabulary's organ code)."""
    code = LYMPH_NODE_SYSTEM if lesion.nodal else organ_system(lesion.organ)
    return ORGANS[code][0]


def recist_measurability(lesion: BaselineLesion, settings: ResponseSettings) -> Measurability:
    """RECIST 1.1 measurability of a baseline lesion, by the clinical package's rule. A bone
    lesion's recorded size is its soft-tissue component (the only measurable part)."""
    bone = not lesion.nodal and organ_system(lesion.organ) == "bone"
    clinical = Lesion(
        organ=lesion.organ,
        nodal=lesion.nodal,
        longest_diameter_mm=None if bone else lesion.longest_mm,
        short_axis_mm=lesion.short_axis_mm,
        slice_thickness_mm=lesion.slice_thickness_mm,
        bone_type="lytic" if bone else None,
        soft_tissue_component_mm=lesion.longest_mm if bone else None,
        previously_irradiated=lesion.previously_irradiated,
        progressed_after_rt=bool(lesion.previously_irradiated and lesion.progressed_after_rt),
        label=lesion.id,
    )
    return measurability(
        clinical,
        irradiated_measurable_if_progressed=settings.irradiated_lesion_measurable_if_progressed,
    )


def fmt_mm(value: float) -> str:
    """A size as written in reasons: whole millimetres without a decimal point."""
    return f"{value:g}"


def _measurability_problem(
    lesion: BaselineLesion, criteria: Criteria, settings: ResponseSettings
) -> str | None:
    verdict = recist_measurability(lesion, settings)
    if lesion.previously_irradiated and verdict.threshold_mm is None and not verdict.measurable:
        unknown = lesion.progressed_after_rt is None
        if unknown and settings.irradiated_lesion_measurable_if_progressed:
            return (
                f"target {lesion.id} was irradiated and whether it progressed since is not "
                "recorded: not measurable"
            )
        return f"target {lesion.id}: {verdict.reason}; not measurable"
    if criteria == "mrecist" and lesion.portal_vein_thrombosis:
        return f"target {lesion.id} is portal vein thrombosis, never measurable under mRECIST"
    minimum = verdict.threshold_mm or 0.0
    if lesion.nodal:
        size = lesion.short_axis_mm or 0.0
        if criteria == "mrecist" and lesion.porta_hepatis:
            minimum = max(minimum, PORTA_HEPATIS_NODE_MRECIST_MM)
        if not verdict.measurable or size < minimum:
            return f"nodal target {lesion.id} short axis {fmt_mm(size)} mm < {fmt_mm(minimum)} mm"
        return None
    size = lesion.longest_mm or 0.0
    if not verdict.measurable:
        return f"target {lesion.id} longest diameter {fmt_mm(size)} mm < {fmt_mm(minimum)} mm"
    if criteria == "mrecist" and lesion.intrahepatic:
        viable = lesion.viable_mm
        if viable is None:
            return f"intrahepatic target {lesion.id} has no viable (enhancing) diameter for mRECIST"
        if viable < minimum:
            return (
                f"intrahepatic target {lesion.id} viable diameter {fmt_mm(viable)} mm"
                f" < {fmt_mm(minimum)} mm"
            )
    return None


def check_baseline(record: TumourRecord, criteria: Criteria, settings: ResponseSettings) -> None:
    """Raise one InputError listing every problem with the baseline selection."""
    problems: list[str] = []
    if not record.baseline:
        raise InputError("baseline", "no baseline lesion recorded; response cannot be assessed")
    seen: set[str] = set()
    for lesion in record.baseline:
        if lesion.id in seen:
            problems.append(f"lesion id {lesion.id} used twice")
        seen.add(lesion.id)
    targets = [les for les in record.baseline if les.role == "target"]
    if len(targets) > MAX_TARGETS:
        problems.append(f"{len(targets)} targets selected, at most {MAX_TARGETS} allowed")
    per_organ: dict[str, list[str]] = {}
    for lesion in targets:
        per_organ.setdefault(organ_key(lesion), []).append(lesion.id)
        problem = _measurability_problem(lesion, criteria, settings)
        if problem:
            problems.append(problem)
    for organ, ids in sorted(per_organ.items()):
        if len(ids) > MAX_TARGETS_PER_ORGAN:
            problems.append(
                f"{len(ids)} targets in {organ} ({', '.join(ids)}),"
                f" at most {MAX_TARGETS_PER_ORGAN} per organ"
            )
    if problems:
        raise InputError("baseline", "; ".join(problems))


def _visit(index: int, visit: Assessment) -> str:
    return f"assessments[{index}] ({visit.date.isoformat()})"


def check_visits(record: TumourRecord, criteria: Criteria) -> tuple[Assessment, ...]:
    """Check every follow-up visit against the baseline; return the visits in date order."""
    roles = {les.id: les for les in record.baseline}
    dates: dict[object, int] = {}
    for i, visit in enumerate(record.assessments):
        where = _visit(i, visit)
        if visit.date < record.randomization_date:
            raise InputError(
                where,
                f"visit date is before randomization ({record.randomization_date.isoformat()})",
            )
        if record.baseline_date is not None and visit.date <= record.baseline_date:
            raise InputError(
                where,
                f"visit date is not after the baseline scan ({record.baseline_date.isoformat()})",
            )
        if visit.date in dates:
            raise InputError(
                where, f"a second assessment on the same date as assessments[{dates[visit.date]}]"
            )
        dates[visit.date] = i
        _check_lesions(where, visit, roles, criteria)
    return tuple(sorted(record.assessments, key=lambda v: v.date))


def _check_lesions(
    where: str, visit: Assessment, roles: dict[str, BaselineLesion], criteria: Criteria
) -> None:
    listed: set[str] = set()
    for entry, expected in [(t.lesion, "target") for t in visit.targets] + [
        (n.lesion, "non-target") for n in visit.non_targets
    ]:
        field = f"{where}.lesion {entry}"
        if entry not in roles:
            raise InputError(
                field, "this lesion was never recorded at baseline (report it as a new lesion)"
            )
        if roles[entry].role != expected:
            raise InputError(
                field,
                f"recorded as a {roles[entry].role} at baseline, reported here as a {expected}",
            )
        if entry in listed:
            raise InputError(field, "reported twice at this visit")
        listed.add(entry)
    for target in visit.targets:
        if target.status != "measured":
            continue
        lesion = roles[target.lesion]
        uses_viable = criteria == "mrecist" and lesion.intrahepatic and not lesion.nodal
        if uses_viable and target.viable_mm is None:
            raise InputError(
                f"{where}.lesion {target.lesion}",
                "mRECIST needs viable_mm for an intrahepatic target",
            )
        if not uses_viable and target.mm is None and target.fragments_mm is None:
            raise InputError(
                f"{where}.lesion {target.lesion}", "measured but no mm or fragments_mm given"
            )
    new_ids: set[str] = set()
    for new in visit.new_lesions:
        field = f"{where}.new lesion {new.id}"
        if new.id in roles:
            raise InputError(field, "this id is a baseline lesion; a new lesion needs its own id")
        if new.id in new_ids:
            raise InputError(field, "reported twice at this visit")
        new_ids.add(new.id)
