"""Target-lesion response at one visit (RECIST 1.1 §4.3.1; mRECIST for intrahepatic targets).

Sum = longest diameters of non-nodal targets + short axes of nodal targets (a node keeps its
real short axis even below 10 mm); too small to measure counts 5 mm, gone 0 mm; fragments of
a split lesion are added. With B the baseline sum and N the nadir (smallest sum so far,
baseline included): CR when every non-nodal target is gone (mRECIST: no enhancement) and
every nodal target is < 10 mm; PD when C ≥ 1.2·N and C − N ≥ 5 mm (5 mm rule optional for
mRECIST); PR when C ≤ 0.7·B; SD otherwise. A target not assessed makes the visit NE unless
the assessed targets alone already show PD (§4.3.1: a partial sum can only grow); that PD
visit reports the partial sum, marked partial, and does not move the nadir. All
comparisons are exact (decimal fractions, written as products), so N = 0 needs no special
case.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from oligotrial.response.checks import fmt_mm
from oligotrial.response.inputs import BaselineLesion, TargetMeasurement
from oligotrial.response.mrecist import uses_viable_diameter
from oligotrial.response.settings import Criteria, ResponseSettings
from oligotrial.response.timepoint import TargetResponse

TOO_SMALL_MM = Fraction(5)
NODE_NORMAL_MM = Fraction(10)
ABSOLUTE_INCREASE_MM = Fraction(5)


def exact(value: float) -> Fraction:
    """The decimal value as written (12.3 is 123/10, not the nearest binary float)."""
    return Fraction(repr(float(value)))


def baseline_size(lesion: BaselineLesion, criteria: Criteria) -> Fraction:
    """The size a target contributes to the baseline sum."""
    if uses_viable_diameter(lesion, criteria):
        return exact(lesion.viable_mm or 0.0)
    size = lesion.short_axis_mm if lesion.nodal else lesion.longest_mm
    return exact(size or 0.0)


def follow_up_size(
    lesion: BaselineLesion, entry: TargetMeasurement | None, criteria: Criteria
) -> Fraction | None:
    """The size a target contributes at a visit; None when not assessed."""
    if entry is None or entry.status == "not-assessed":
        return None
    if entry.status == "gone":
        return Fraction(0)
    if entry.status == "too-small":
        return TOO_SMALL_MM
    if uses_viable_diameter(lesion, criteria):
        return exact(entry.viable_mm or 0.0)
    if entry.fragments_mm is not None:
        return sum((exact(f) for f in entry.fragments_mm), Fraction(0))
    return exact(entry.mm or 0.0)


@dataclass(frozen=True)
class TargetRead:
    """The target part of a time point."""

    response: TargetResponse
    sum_mm: Fraction | None  # None for NE with a target not assessed
    partial_sum_mm: Fraction
    reason: str
    partial: bool = False  # sum_mm is the sum of the assessed targets only (PD called)
    missing: tuple[str, ...] = ()  # targets not assessed


def _is_pd(
    current: Fraction, nadir: Fraction, criteria: Criteria, settings: ResponseSettings
) -> bool:
    relative = 5 * current >= 6 * nadir
    needs_absolute = criteria == "recist1.1" or settings.mrecist_absolute_5mm_rule
    return relative and (not needs_absolute or current - nadir >= ABSOLUTE_INCREASE_MM)


def _pd_text(
    current: Fraction,
    nadir: Fraction,
    criteria: Criteria,
    settings: ResponseSettings,
    missing: Sequence[str] = (),
) -> str:
    partial = f" (partial: {', '.join(missing)} not assessed)" if missing else ""
    text = f"sum {fmt_mm(float(current))} mm{partial} ≥ 1.2 × nadir {fmt_mm(float(nadir))} mm"
    if criteria == "recist1.1" or settings.mrecist_absolute_5mm_rule:
        text += f" and +{fmt_mm(float(current - nadir))} mm"
    return text


def read_targets(
    targets: Sequence[BaselineLesion],
    entries: Mapping[str, TargetMeasurement],
    *,
    baseline_sum: Fraction,
    nadir: Fraction,
    criteria: Criteria,
    settings: ResponseSettings,
) -> TargetRead:
    """Target response of one visit."""
    sizes = {les.id: follow_up_size(les, entries.get(les.id), criteria) for les in targets}
    missing = [lid for lid, size in sizes.items() if size is None]
    partial = sum((s for s in sizes.values() if s is not None), Fraction(0))
    if missing:
        if _is_pd(partial, nadir, criteria, settings):
            return TargetRead(
                "PD",
                partial,
                partial,
                _pd_text(partial, nadir, criteria, settings, missing),
                partial=True,
                missing=tuple(missing),
            )
        return TargetRead(
            "NE",
            None,
            partial,
            f"{', '.join(missing)} not assessed; "
            f"assessed sum {fmt_mm(float(partial))} mm does not show PD",
            missing=tuple(missing),
        )
    current = partial
    complete = all(
        (size is not None and size < NODE_NORMAL_MM) if les.nodal else size == 0
        for les, size in ((les, sizes[les.id]) for les in targets)
    )
    if complete:
        what = (
            "no enhancing tumour in any target"
            if criteria == "mrecist"
            else "all non-nodal targets gone"
        )
        if any(les.nodal for les in targets):
            what += ", every nodal target < 10 mm short axis"
        return TargetRead("CR", current, current, what)
    if _is_pd(current, nadir, criteria, settings):
        return TargetRead("PD", current, current, _pd_text(current, nadir, criteria, settings))
    change = float((current - baseline_sum) / baseline_sum * 100)
    if 10 * current <= 7 * baseline_sum:
        return TargetRead(
            "PR",
            current,
            current,
            f"sum {fmt_mm(float(current))} mm ≤ 0.7 × baseline "
            f"{fmt_mm(float(baseline_sum))} mm ({change:+.1f}%)",
        )
    return TargetRead(
        "SD",
        current,
        current,
        f"sum {fmt_mm(float(current))} mm, {change:+.1f}% from baseline, "
        f"{float(current - nadir):+g} mm vs nadir {fmt_mm(float(nadir))} mm: neither PR nor PD",
    )
