"""Synthetic lesion sets at oligoprogression.

Each candidate has 1-5 progressing lesions in 1-3 organ systems when eligible (I3:
each lymphatic drainage region counts as one lesion; all nodes are one system), at least
one RECIST-measurable (I5), plus a few stable pre-existing intrahepatic lesions. Failing
variants (too many lesions or organs, nothing measurable, prior RT) are requested by flag.
"""

from __future__ import annotations

import numpy as np

from oligotrial.synth.catalogue import EXTRAHEPATIC_ORGANS, LYMPH_NODE_REGIONS
from oligotrial.synth.records import SynthLesion

_COUNT_P = np.array([0.40, 0.25, 0.17, 0.11, 0.07])


def _size(rng: np.random.Generator, median: float, lo: float, hi: float) -> float:
    return float(np.clip(round(rng.lognormal(np.log(median), 0.35)), lo, hi))


def _one(
    rng: np.random.Generator,
    lid: str,
    organ: str,
    region: str | None,
    measurable: bool,
    progressing: bool = True,
) -> SynthLesion:
    if organ == "lymph node":
        sa = _size(rng, 19, 15, 35) if measurable else float(rng.integers(10, 15))
        return SynthLesion(
            lid,
            organ,
            sa + float(rng.integers(3, 10)),
            sa,
            lymph_node_region=region,
            progressing=progressing,
        )
    if organ == "bone":
        if measurable:
            return SynthLesion(
                lid,
                organ,
                _size(rng, 30, 15, 60),
                None,
                bone_type="lytic",
                soft_tissue_component_mm=_size(rng, 22, 12, 45),
                progressing=progressing,
            )
        return SynthLesion(
            lid, organ, _size(rng, 25, 12, 50), None, bone_type="blastic", progressing=progressing
        )
    median, lo, hi = {"liver": (28, 12, 80), "lung": (16, 10, 40), "adrenal": (25, 12, 50)}[organ]
    size = _size(rng, median, lo, hi) if measurable else float(rng.integers(6, 10))
    return SynthLesion(lid, organ, size, progressing=progressing, new=bool(rng.random() < 0.6))


def draw_lesions(
    rng: np.random.Generator,
    *,
    intrahepatic_only: bool,
    n_lesions: int | None = None,
    n_organs: int | None = None,
    none_measurable: bool = False,
    irradiated_index: int | None = None,
) -> tuple[SynthLesion, ...]:
    """Progressing lesions (ids P1..) followed by stable intrahepatic ones (S1..)."""
    n = int(rng.choice(5, p=_COUNT_P)) + 1 if n_lesions is None else n_lesions
    organs: list[str]
    if intrahepatic_only:
        organs = ["liver"] * n
    else:
        names = [o for o, _ in EXTRAHEPATIC_ORGANS]
        w = np.array([p for _, p in EXTRAHEPATIC_ORGANS])
        k = (
            n_organs
            if n_organs is not None
            else min(n, int(rng.choice([1, 2, 3], p=[0.55, 0.35, 0.10])))
        )
        with_liver = k > 1 and (k > len(names) or rng.random() < 0.45)
        extra = k - 1 if with_liver else k
        systems = (["liver"] if with_liver else []) + [
            str(o) for o in rng.choice(names, size=extra, replace=False, p=w)
        ]
        organs = systems + [str(rng.choice(systems)) for _ in range(max(0, n - k))]
    regions = iter(rng.permutation(LYMPH_NODE_REGIONS))
    measurable_at = -1 if none_measurable else int(rng.integers(n))
    out: list[SynthLesion] = []
    for i, organ in enumerate(organs):
        region = str(next(regions)) if organ == "lymph node" else None
        if none_measurable:
            measurable = False
            if organ not in ("bone", "lymph node"):
                organ, region = "bone", None
        else:
            measurable = i == measurable_at or bool(rng.random() < 0.85)
        lesion = _one(rng, f"P{i + 1}", organ, region, measurable)
        if irradiated_index == i:
            lesion = SynthLesion(**{**lesion.__dict__, "previously_irradiated": True})
        out.append(lesion)
    for j in range(int(rng.integers(0, 3))):
        out.append(
            SynthLesion(f"S{j + 1}", "liver", _size(rng, 30, 12, 70), progressing=False, new=False)
        )
    return tuple(out)
