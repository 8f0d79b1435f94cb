"""The range a Child-Pugh score can take when some of its five components are unknown.

Each item scores 1 to 3 points (Pugh 1973; see :mod:`oligotrial.clinical.child_pugh` for
the bands), so an unknown item adds 1 at best and 3 at worst. The smallest possible score
is the known points plus 1 per unknown item, the largest the known points plus 3 per
unknown item; with everything known both equal :func:`~oligotrial.clinical.child_pugh.child_pugh`'s
score. A rule on the score is decided when every completion agrees: e.g. ``score <= 7`` is
met when the largest possible score is at most 7 and not met when the smallest is above 7.
"""

from __future__ import annotations

from dataclasses import dataclass

from oligotrial.clinical.child_pugh import (
    ALBUMIN_LOWER_G_L,
    ASCITES_CODES,
    BILIRUBIN_CUTOFFS_UMOL_L,
    ENCEPHALOPATHY_CODES,
    albumin_points,
    bilirubin_points,
    inr_points,
    parse_ascites,
    parse_encephalopathy,
)

__all__ = ["ChildPughBounds", "child_pugh_bounds"]

MIN_POINTS = 1
MAX_POINTS = 3


@dataclass(frozen=True)
class ChildPughBounds:
    """Smallest and largest possible score, and the items still unknown (in input order)."""

    low: int
    high: int
    unknown: tuple[str, ...]

    @property
    def decided(self) -> bool:
        """Whether the score is known exactly."""
        return self.low == self.high


def child_pugh_bounds(
    *,
    bilirubin_umol_l: float | None,
    albumin_g_l: float | None,
    inr: float | None,
    ascites: str | None,
    encephalopathy: str | None,
    albumin_lower_g_l: float = ALBUMIN_LOWER_G_L,
    bilirubin_cutoffs_umol_l: tuple[float, float] = BILIRUBIN_CUTOFFS_UMOL_L,
) -> ChildPughBounds:
    """Bounds of the Child-Pugh score; ``None`` marks an unknown item (1-3 points). Each
    known item is scored by the band function :func:`~oligotrial.clinical.child_pugh.child_pugh`
    itself uses, so with every item known the bounds are its score."""
    items = (
        ("bilirubin", bilirubin_umol_l),
        ("albumin", albumin_g_l),
        ("inr", inr),
        ("ascites", ascites),
        ("encephalopathy", encephalopathy),
    )
    unknown = tuple(name for name, value in items if value is None)
    points = 0
    if bilirubin_umol_l is not None:
        points += bilirubin_points(
            float(bilirubin_umol_l),
            cutoffs_umol_l=bilirubin_cutoffs_umol_l,
            field="bilirubin_umol_l",
        )
    if albumin_g_l is not None:
        points += albumin_points(float(albumin_g_l), lower_g_l=albumin_lower_g_l)
    if inr is not None:
        points += inr_points(float(inr))
    if ascites is not None:
        points += ASCITES_CODES[parse_ascites(str(ascites))]
    if encephalopathy is not None:
        points += ENCEPHALOPATHY_CODES[parse_encephalopathy(str(encephalopathy))]
    n = len(unknown)
    return ChildPughBounds(points + MIN_POINTS * n, points + MAX_POINTS * n, unknown)
