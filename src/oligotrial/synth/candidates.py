"""Draw one synthetic candidate at oligoprogression, eligible or failing one criterion.

The share failing screening and the reasons follow what screening logs of oligometastatic
trials typically show (too many lesions, liver function, performance status, early
progression on FLST, very high AFP, untreated HBV, ...); see :data:`FAILURE_WEIGHTS`.
An eligible candidate satisfies all 27 criteria of REFERENCE.md §1 by construction;
a failing one breaks the criterion named in ``planned_failure`` and only it, except that
progression within 3 months of FLST start (E2) cannot coexist with 3 months of stable
disease (I4), so an E2 failure also fails I4.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import SupportsFloat

import numpy as np

from oligotrial.synth.catalogue import (
    AETIOLOGIES,
    ANTIVIRALS,
    OTHER_MALIGNANCIES,
    REGIMENS,
    Site,
)
from oligotrial.synth.labs import draw_labs
from oligotrial.synth.lesions import draw_lesions
from oligotrial.synth.records import BclcAtFlstStart, Candidate, FlstHistory, HbvStatus, History

# criterion id -> (weight among failures, what goes wrong)
FAILURE_WEIGHTS: dict[str, tuple[float, str]] = {
    "I3-lesions": (0.17, "more than 5 oligoprogressive lesions"),
    "I3-organs": (0.05, "more than 3 organs/systems"),
    "I6": (0.15, "Child-Pugh score 8 or more"),
    "I7": (0.12, "ECOG 2"),
    "E2": (0.15, "progression within 3 months of FLST start"),
    "E9": (0.08, "AFP at or above 10,000 ng/mL"),
    "E7": (0.05, "active untreated HBV"),
    "E6": (0.05, "prior radiotherapy to a progressing lesion"),
    "I9": (0.05, "older than 75"),
    "I2": (0.03, "BCLC B at FLST start"),
    "E10": (0.04, "other malignancy within 3 years"),
    "E4": (0.03, "grade 3 adverse event on FLST"),
    "I5": (0.03, "no measurable oligoprogressive lesion"),
}
FAILURE_SHARE = 0.34


def choose_failure(rng: np.random.Generator, share: float = FAILURE_SHARE) -> str | None:
    if rng.random() >= share:
        return None
    keys = list(FAILURE_WEIGHTS)
    w = np.array([FAILURE_WEIGHTS[k][0] for k in keys])
    return keys[int(rng.choice(len(keys), p=w / w.sum()))]


def _days(d: date, n: SupportsFloat) -> date:
    return d + timedelta(days=round(float(n)))


def _pick(rng: np.random.Generator, pairs: tuple[tuple[str, float], ...]) -> str:
    w = np.array([p for _, p in pairs])
    return pairs[int(rng.choice(len(pairs), p=w / w.sum()))][0]


def draw_candidate(
    rng: np.random.Generator,
    candidate_id: str,
    site: Site,
    consent_date: date,
    failure: str | None = None,
) -> Candidate:
    """One candidate; ``failure`` is a key of :data:`FAILURE_WEIGHTS` or None."""
    if failure is not None and failure not in FAILURE_WEIGHTS:
        raise ValueError(f"unknown failure {failure!r}")
    sex = "F" if rng.random() < 0.15 else "M"
    age_years = (
        float(rng.uniform(76.05, 80))
        if failure == "I9"
        else float(np.clip(rng.normal(56.0, 9.0), 30.0, 74.5))
    )
    birth = _days(consent_date, -age_years * 365.25)
    aetiology = "HBV" if failure == "E7" else _pick(rng, AETIOLOGIES)
    # FLST course: start, stable disease documented, oligoprogression shortly before consent.
    oligo = _days(consent_date, -rng.integers(5, 25))
    if failure == "E2":
        months_on = float(rng.uniform(45, 88)) / 30.4375
    else:
        months_on = float(np.clip(rng.gamma(3.0, 3.2), 4.2, 30.0))
    start = _days(oligo, -months_on * 30.4375)
    sd_offset = int(rng.integers(40, 63))
    if failure == "E2":
        sd_since = _days(start, 28)  # too short a course: I4 necessarily fails as well
    else:
        sd_since = min(_days(start, sd_offset), _days(oligo, -95))
    regimen = REGIMENS[
        int(
            rng.choice(
                len(REGIMENS),
                p=np.array([r.weight for r in REGIMENS]) / sum(r.weight for r in REGIMENS),
            )
        )
    ]
    aes: tuple[tuple[str, int], ...] = ()
    if failure == "E4":
        aes = (("Hypertension", 3),)
    elif rng.random() < 0.5:
        aes = (
            (
                str(
                    rng.choice(
                        [
                            "Fatigue",
                            "Hypertension",
                            "Proteinuria",
                            "Rash maculo-papular",
                            "Palmar-plantar erythrodysesthesia syndrome",
                            "Hypothyroidism",
                        ]
                    )
                ),
                int(rng.integers(1, 3)),
            ),
        )
    flst = FlstHistory(
        regimen.code,
        regimen.name,
        regimen.drugs,
        regimen.ici,
        start,
        sd_since,
        oligo,
        adverse_events=aes,
    )
    ecog = 2 if failure == "I7" else int(rng.random() < 0.55)
    ehs = bool(rng.random() < 0.55)
    mvi = bool(rng.random() < 0.5) or not ehs
    cp_start = int(rng.choice([5, 6], p=[0.7, 0.3]))
    tumours, largest = int(rng.integers(1, 6)), float(rng.integers(20, 110))
    if failure == "I2":
        bclc = BclcAtFlstStart("B", False, False, 0, "A", cp_start, 4, largest)
    else:
        bclc = BclcAtFlstStart("C", mvi, ehs, min(ecog, 1), "A", cp_start, tumours, largest)
    hbsag = aetiology == "HBV"
    hbv_dna: float | None = None
    antiviral: str | None = None
    if hbsag:
        antiviral = str(rng.choice(ANTIVIRALS))
        hbv_dna = 0.0 if rng.random() < 0.7 else float(rng.uniform(0, site.hbv_dna_uln * 0.9))
        if failure == "E7":
            antiviral = None
            hbv_dna = float(10 ** rng.uniform(3.3, 6.5))
        elif rng.random() < 0.05:
            hbv_dna = float(10 ** rng.uniform(3, 5))  # viraemic but on antivirals: allowed
    afp = (
        float(rng.uniform(10_050, 90_000))
        if failure == "E9"
        else float(np.clip(rng.lognormal(np.log(120.0), 2.0), 1.5, 9_500))
    )
    cp_score = (
        int(rng.choice([8, 9, 10], p=[0.6, 0.3, 0.1]))
        if failure == "I6"
        else int(rng.choice([5, 6, 7], p=[0.55, 0.32, 0.13]))
    )
    labs, ascites, enceph = draw_labs(
        rng,
        site,
        cp_score,
        afp,
        hbv_dna if hbsag else None,
        _days(consent_date, -rng.integers(1, 14)),
    )
    intrahepatic_only = bool(rng.random() < 0.45) and failure != "I3-organs"
    n_lesions = int(rng.integers(6, 9)) if failure == "I3-lesions" else None
    n_organs = 4 if failure == "I3-organs" else None
    if n_organs is not None:
        n_lesions = int(rng.integers(4, 6))
    lesions = draw_lesions(
        rng,
        intrahepatic_only=intrahepatic_only,
        n_lesions=n_lesions,
        n_organs=n_organs,
        none_measurable=failure == "I5",
        irradiated_index=0 if failure == "E6" else None,
    )
    prior_rt = (lesions[0].organ,) if failure == "E6" else ()
    induced = bool(rng.random() < 0.4)
    history = History(
        prior_polymetastatic=induced,
        prior_oligometastatic=not induced,
        prior_rt_sites=prior_rt,
    )
    if failure == "E10":
        history = History(
            induced,
            not induced,
            other_malignancy=str(rng.choice(OTHER_MALIGNANCIES[:3])),
            other_malignancy_date=_days(consent_date, -rng.integers(200, 1000)),
            other_malignancy_curative=True,
            prior_rt_sites=prior_rt,
        )
    elif rng.random() < 0.03:
        history = History(
            induced,
            not induced,
            other_malignancy=OTHER_MALIGNANCIES[3],
            other_malignancy_date=_days(consent_date, -rng.integers(200, 900)),
            other_malignancy_curative=True,
            prior_rt_sites=prior_rt,
        )
    return Candidate(
        candidate_id=candidate_id,
        site=site.code,
        sex=sex,
        birth_date=birth,
        consent_date=consent_date,
        aetiology=aetiology,
        diagnosis_date=_days(start, -rng.integers(20, 700)),
        diagnosis_basis=str(rng.choice(["histology", "cytology", "clinical"], p=[0.45, 0.1, 0.45])),
        histology="HCC",
        ecog=ecog,
        ascites=ascites,
        encephalopathy=enceph,
        flst=flst,
        bclc=bclc,
        hbv=HbvStatus(hbsag, hbv_dna, site.hbv_dna_uln, antiviral),
        history=history,
        labs=labs,
        lesions=lesions,
        planned_failure=failure,
        extras={"child_pugh_score": cp_score},
    )
