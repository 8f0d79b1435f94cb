"""Laboratory values with the units and reference ranges each site reports.

Liver function is drawn *from* a target Child-Pugh score (points per REFERENCE.md §2:
bilirubin < 34 / 34-51 / > 51 µmol/L, albumin > 35 / 28-35 / < 28 g/L, INR < 1.7 /
1.7-2.3 / > 2.3, ascites, encephalopathy), each value well inside its band so that unit
conversion and rounding cannot move it. Sites differ in units (bilirubin µmol/L or
mg/dL, × 17.1; albumin g/L or g/dL; AFP ng/mL or IU/mL, ng/mL = 1.21 × IU/mL) as real
laboratories do.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from oligotrial.synth.catalogue import Site
from oligotrial.synth.records import LabValue

_BILI_BANDS = ((6.0, 30.0), (36.0, 49.0), (56.0, 90.0))  # µmol/L
_ALB_BANDS = ((36.0, 46.0), (29.0, 34.0), (22.0, 27.0))  # g/L
_INR_BANDS = ((0.92, 1.45), (1.75, 2.2), (2.45, 3.0))
ASCITES = ("none", "mild", "moderate-severe")
ENCEPHALOPATHY = ("none", "grade-1-2", "grade-3-4")


def split_child_pugh(rng: np.random.Generator, score: int) -> tuple[int, int, int, int, int]:
    """Points (bilirubin, albumin, INR, ascites, encephalopathy) adding up to ``score``."""
    if not 5 <= score <= 15:
        raise ValueError("Child-Pugh score must be 5..15")
    points = [1, 1, 1, 1, 1]
    weights = np.array([0.30, 0.35, 0.12, 0.20, 0.03])
    for _ in range(score - 5):
        open_ = np.array([p < 3 for p in points], dtype=float) * weights
        k = int(rng.choice(5, p=open_ / open_.sum()))
        points[k] += 1
    return points[0], points[1], points[2], points[3], points[4]


def _in_band(rng: np.random.Generator, band: tuple[float, float]) -> float:
    return float(rng.uniform(*band))


def draw_labs(
    rng: np.random.Generator,
    site: Site,
    child_pugh_score: int,
    afp_ng_ml: float,
    hbv_dna_iu_ml: float | None,
    collected: date,
) -> tuple[tuple[LabValue, ...], str, str]:
    """Labs in the site's units, plus the ascites and encephalopathy grades."""
    p_bili, p_alb, p_inr, p_asc, p_enc = split_child_pugh(rng, child_pugh_score)
    bili = round(_in_band(rng, _BILI_BANDS[p_bili - 1]), 1)
    alb = float(round(_in_band(rng, _ALB_BANDS[p_alb - 1])))
    inr = round(_in_band(rng, _INR_BANDS[p_inr - 1]), 2)
    uln_b = site.bilirubin_uln_umol
    if site.bilirubin_unit == "mg/dL":
        bili_v = LabValue(
            "bilirubin", round(bili / 17.1, 2), "mg/dL", 0.2, round(uln_b / 17.1, 1), collected
        )
    else:
        bili_v = LabValue("bilirubin", bili, site.bilirubin_unit, 3.4, uln_b, collected)
    if site.albumin_unit == "g/dL":
        alb_v = LabValue("albumin", round(alb / 10.0, 1), "g/dL", 3.5, 5.2, collected)
    else:
        alb_v = LabValue("albumin", alb, "g/L", 35.0, 52.0, collected)
    if site.afp_unit == "IU/mL":
        afp_v = LabValue("afp", round(afp_ng_ml / 1.21, 1), "IU/mL", None, 5.8, collected)
    else:
        afp_v = LabValue("afp", round(afp_ng_ml, 1), "ng/mL", None, 7.0, collected)
    alt = float(np.clip(rng.lognormal(np.log(38.0), 0.45), 8, 190))
    ast = float(np.clip(alt * rng.lognormal(np.log(1.25), 0.25), 10, 230))
    platelets = float(np.clip(rng.lognormal(np.log(125.0), 0.4), 45, 400))
    neutrophils = float(np.clip(rng.lognormal(np.log(3.2), 0.35), 1.0, 9.0))
    creat = float(np.clip(rng.normal(72.0, 14.0), 40, 130))
    labs = [
        bili_v,
        alb_v,
        LabValue("inr", inr, "1", 0.8, 1.2, collected),
        afp_v,
        LabValue("alt", round(alt), "U/L", 7.0, site.alt_uln, collected),
        LabValue("ast", round(ast), "U/L", 13.0, 40.0, collected),
        LabValue("platelets", round(platelets), "10^9/L", 125.0, 350.0, collected),
        LabValue("neutrophils", round(neutrophils, 1), "10^9/L", 1.8, 6.3, collected),
        LabValue("creatinine", round(creat), "umol/L", 57.0, 111.0, collected),
    ]
    if hbv_dna_iu_ml is not None:
        labs.append(
            LabValue("hbv_dna", round(hbv_dna_iu_ml), "IU/mL", None, site.hbv_dna_uln, collected)
        )
    return tuple(labs), ASCITES[p_asc - 1], ENCEPHALOPATHY[p_enc - 1]
