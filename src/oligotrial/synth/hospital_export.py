"""A synthetic hospital population as a Bulk FHIR export (one NDJSON file per type).

Most patients are the hospital's background (hypertension, diabetes, other cancers,
routine labs and vital signs, common drugs); a minority (``hcc_share``) have HCC and are
drawn as screening candidates (:func:`oligotrial.synth.draw_candidate`), so each one's
screening record (:func:`to_screening_record`) is known and a round trip can be checked.
The HCC patients' data are written as an EHR holds them: labs in each site's units
(bilirubin in µmol/L or mg/dL, albumin in g/L or g/dL, AFP in ng/mL or IU/mL) with older
results beside the latest, regimen drugs with refills, and gaps (each datum left out with
probability ``gap``). What an EHR does not code (lesions, ascites, consent, attestations)
is not written. Seeded by a :class:`numpy.random.Generator`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import numpy as np

from oligotrial.synth import fhir_codes as c
from oligotrial.synth import fhir_resources as f
from oligotrial.synth.candidates import choose_failure, draw_candidate
from oligotrial.synth.catalogue import REGIMENS, SITES
from oligotrial.synth.records import Candidate
from oligotrial.synth.screening_record import to_screening_record

TYPES = (
    "Patient",
    "Condition",
    "Observation",
    "MedicationRequest",
    "Procedure",
    "DiagnosticReport",
)
_DRUGS = {d for r in REGIMENS for d in r.drugs}


@dataclass(frozen=True)
class HospitalExport:
    """What was written: the directory, resource counts and the HCC patients' records."""

    directory: Path
    counts: dict[str, int]
    screening_date: dt.date
    hcc: dict[str, Candidate]

    def records(self) -> dict[str, dict[str, Any]]:
        """Each HCC patient's screening record (JSON form), by patient id."""
        return {pid: to_screening_record(cand) for pid, cand in self.hcc.items()}


class _Writer:
    def __init__(self, rng: np.random.Generator, gap: float) -> None:
        self.rng, self.gap = rng, gap
        self.out: dict[str, list[dict[str, Any]]] = {t: [] for t in TYPES}
        self._ids = itertools.count(1)

    def rid(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids)}"

    def keep(self) -> bool:
        return bool(self.rng.random() >= self.gap)

    def add(self, resource: dict[str, Any]) -> None:
        self.out[resource["resourceType"]].append(resource)

    def lab(
        self, pid: str, key: str, day: dt.date, value: float, unit: str, lo: Any, hi: Any
    ) -> None:
        code = c.LAB_LOINC[key]
        self.add(
            f.observation(self.rid("obs"), pid, code, day, quantity=(value, unit), low=lo, high=hi)
        )


def _lab_key(analyte: str, unit: str) -> str:
    if analyte == "bilirubin":
        return "bilirubin-mass" if unit.startswith("mg") else "bilirubin-moles"
    return analyte


def _hcc_patient(w: _Writer, pid: str, cand: Candidate) -> None:
    rng = w.rng
    sex = "female" if cand.sex == "F" else "male"
    w.add(f.patient(pid, sex, cand.birth_date, cand.site))
    w.add(f.condition(w.rid("cond"), pid, c.ICD10, *c.HCC_ICD10, cand.diagnosis_date))
    if cand.diagnosis_basis in c.PATHOLOGY and w.keep():
        histology = "combined-hcc-cca" if cand.histology == "cHCC-CC" else "hcc"
        code = (c.LOINC, *c.PATHOLOGY[cand.diagnosis_basis])
        conclusion = (c.ICDO3, *c.HISTOLOGY_ICDO3[histology])
        w.add(f.diagnostic_report(w.rid("dr"), pid, code, cand.diagnosis_date, conclusion))
    for lab in cand.labs:
        key = _lab_key(lab.analyte, lab.unit)
        if rng.random() < 0.6:  # an older result of the same test, differently valued
            older = lab.collected - dt.timedelta(days=int(rng.integers(20, 400)))
            noisy = round(lab.value * float(rng.uniform(0.6, 1.5)), 2)
            w.lab(pid, key, older, noisy, lab.unit, lab.low, lab.high)
        if w.keep():
            w.lab(pid, key, lab.collected, lab.value, lab.unit, lab.low, lab.high)
    ecog_day = cand.consent_date - dt.timedelta(days=int(rng.integers(1, 10)))
    if w.keep():
        if rng.random() < 0.5:
            ecog = (c.LOINC, c.ECOG_ANSWERS[cand.ecog], str(cand.ecog))
            w.add(f.observation(w.rid("obs"), pid, c.ECOG, ecog_day, coded=ecog, category="survey"))
        else:
            w.add(
                f.observation(
                    w.rid("obs"), pid, c.ECOG, ecog_day, integer=cand.ecog, category="survey"
                )
            )
    if w.keep():
        hbsag = c.POSITIVE if cand.hbv.hbsag_positive else c.NEGATIVE
        day = cand.diagnosis_date
        w.add(f.observation(w.rid("obs"), pid, c.HBSAG, day, coded=(c.SNOMED, *hbsag)))
    if cand.hbv.antiviral is not None and w.keep():
        drug = cand.hbv.antiviral
        w.add(f.medication_request(w.rid("med"), pid, c.DRUGS[drug], drug, cand.diagnosis_date))
    for drug in cand.flst.drugs:
        day = cand.flst.start
        while day <= cand.consent_date:
            w.add(f.medication_request(w.rid("med"), pid, c.DRUGS[drug], drug, day))
            day += dt.timedelta(days=int(rng.integers(14, 22)))
    h = cand.history
    if h.other_malignancy is not None and h.other_malignancy_date is not None:
        icd = c.MALIGNANCY_ICD10[h.other_malignancy]
        w.add(
            f.condition(
                w.rid("cond"), pid, c.ICD10, icd, h.other_malignancy, h.other_malignancy_date
            )
        )
    for site in h.prior_rt_sites:
        w.add(f.procedure(w.rid("proc"), pid, (c.SNOMED, *c.RADIOTHERAPY), cand.flst.start, site))
    if sex == "female" and w.keep():
        status = c.PREGNANT if h.pregnant_or_breastfeeding else c.NOT_PREGNANT
        w.add(f.observation(w.rid("obs"), pid, c.PREGNANCY, ecog_day, coded=(c.SNOMED, *status)))
    before = min(lab.collected for lab in cand.labs) - dt.timedelta(days=1)
    _background_data(w, pid, before, n_visits=int(rng.integers(2, 6)))


def _background_data(w: _Writer, pid: str, until: dt.date, n_visits: int) -> None:
    """Routine labs, vital signs and common drugs: codes the pre-screening does not use."""
    rng = w.rng
    for _ in range(n_visits):
        day = until - dt.timedelta(days=int(rng.integers(0, 720)))
        w.lab(pid, "creatinine", day, float(rng.integers(50, 120)), "umol/L", 57.0, 111.0)
        w.lab(pid, "haemoglobin", day, round(float(rng.normal(13.5, 1.5)), 1), "g/dL", 12.0, 17.5)
        w.lab(pid, "glucose", day, round(float(rng.normal(5.6, 1.0)), 1), "mmol/L", 3.9, 6.1)
        w.lab(pid, "alt", day, float(rng.integers(10, 90)), "U/L", 7.0, 40.0)
        w.lab(pid, "ast", day, float(rng.integers(10, 90)), "U/L", 13.0, 40.0)
        if rng.random() < 0.5:
            w.lab(
                pid,
                "bilirubin-mass",
                day,
                round(float(rng.uniform(0.2, 1.6)), 2),
                "mg/dL",
                0.2,
                1.2,
            )
        else:
            w.lab(
                pid,
                "bilirubin-moles",
                day,
                round(float(rng.uniform(4, 28)), 1),
                "µmol/L",
                3.4,
                21.0,
            )
        for key, lo, hi, unit in (("heart_rate", 55, 100, "/min"), ("weight", 45, 95, "kg")):
            value = float(rng.integers(lo, hi))
            w.add(
                f.observation(
                    w.rid("obs"),
                    pid,
                    c.LAB_LOINC[key],
                    day,
                    quantity=(value, unit),
                    category="vital-signs",
                )
            )
    for drug in rng.choice(
        ["ramipril", "metformin", "amlodipine", "omeprazole"],
        size=int(rng.integers(0, 3)),
        replace=False,
    ):
        day = until - dt.timedelta(days=int(rng.integers(30, 900)))
        w.add(f.medication_request(w.rid("med"), pid, c.DRUGS[str(drug)], str(drug), day))


def _other_patient(w: _Writer, pid: str, day: dt.date) -> None:
    rng = w.rng
    site = SITES[int(rng.integers(len(SITES)))].code
    birth = day - dt.timedelta(days=int(rng.integers(18 * 365, 90 * 365)))
    w.add(f.patient(pid, str(rng.choice(["female", "male"])), birth, site))
    for code, display, share in c.BACKGROUND_CONDITIONS:
        if rng.random() < share:
            onset = day - dt.timedelta(days=int(rng.integers(10, 3000)))
            w.add(f.condition(w.rid("cond"), pid, c.ICD10, code, display, onset))
    _background_data(w, pid, day, n_visits=int(rng.integers(2, 7)))


def _write(directory: Path, out: dict[str, list[dict[str, Any]]], counts: dict[str, int]) -> None:
    encode = msgspec.json.Encoder().encode
    for kind, resources in out.items():
        with (directory / f"{kind}.ndjson").open("ab") as fh:
            fh.write(b"".join(encode(r) + b"\n" for r in resources))
        counts[kind] = counts.get(kind, 0) + len(resources)
        resources.clear()


def _patient_ids(n: int) -> Iterator[str]:
    return (f"pt{i:07d}" for i in range(1, n + 1))


def write_hospital_export(
    directory: Path,
    n_patients: int,
    rng: np.random.Generator,
    *,
    screening_date: dt.date,
    hcc_share: float = 0.03,
    gap: float = 0.1,
) -> HospitalExport:
    """Write ``n_patients`` patients as NDJSON files into ``directory`` (created, emptied)."""
    directory.mkdir(parents=True, exist_ok=True)
    for kind in TYPES:
        (directory / f"{kind}.ndjson").unlink(missing_ok=True)
    w = _Writer(rng, gap)
    counts: dict[str, int] = {}
    hcc: dict[str, Candidate] = {}
    for k, pid in enumerate(_patient_ids(n_patients), start=1):
        if rng.random() < hcc_share:
            site = SITES[int(rng.integers(len(SITES)))]
            consent = screening_date - dt.timedelta(days=int(rng.integers(0, 30)))
            cand = draw_candidate(rng, pid, site, consent, choose_failure(rng))
            hcc[pid] = cand
            _hcc_patient(w, pid, cand)
        else:
            _other_patient(w, pid, screening_date)
        if k % 5000 == 0:
            _write(directory, w.out, counts)
    _write(directory, w.out, counts)
    return HospitalExport(directory, counts, screening_date, hcc)
