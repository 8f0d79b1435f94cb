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
    child_pugh,
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
    """Bounds of the Child-Pugh score; ``None`` marks an unknown item (1-3 points)."""
    if None not in (bilirubin_umol_l, albumin_g_l, inr, ascites, encephalopathy):
        # every item known: the one scoring function decides
        score = child_pugh(
            bilirubin_umol_l=float(bilirubin_umol_l),  # type: ignore[arg-type]
            albumin_g_l=float(albumin_g_l),  # type: ignore[arg-type]
            inr=float(inr),  # type: ignore[arg-type]
            ascites=str(ascites),
            encephalopathy=str(encephalopathy),
            albumin_lower_g_l=albumin_lower_g_l,
            bilirubin_cutoffs_umol_l=bilirubin_cutoffs_umol_l,
        ).score
        return ChildPughBounds(score, score, ())
    known: dict[str, int] = {}
    unknown: list[str] = []
    items = {
        "bilirubin": bilirubin_umol_l,
        "albumin": albumin_g_l,
        "inr": inr,
        "ascites": ascites,
        "encephalopathy": encephalopathy,
    }
    for name, value in items.items():
        if value is None:
            unknown.append(name)
        elif name == "bilirubin":
            known[name] = bilirubin_points(
                float(value), cutoffs_umol_l=bilirubin_cutoffs_umol_l, field="bilirubin_umol_l"
            )
        elif name == "albumin":
            known[name] = albumin_points(float(value), lower_g_l=albumin_lower_g_l)
        elif name == "inr":
            known[name] = inr_points(float(value))
        elif name == "ascites":
            known[name] = ASCITES_CODES[parse_ascites(str(value))]
        else:
            known[name] = ENCEPHALOPATHY_CODES[parse_encephalopathy(str(value))]
    points = sum(known.values())
    n = len(unknown)
    return ChildPughBounds(points + MIN_POINTS * n, points + MAX_POINTS * n, tuple(unknown))
