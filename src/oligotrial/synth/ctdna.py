"""Synthetic ctDNA and biopsy samples at the protocol's time points, with laboratory results.

Time points (REFERENCE.md §1, protocol ``schedule.ctdna`` / ``schedule.biopsy``): baseline
(oligoprogression), first follow-up after RT (arm A, about 4 weeks after RT ends; arm B, the
first follow-up visit), and progression. About 7 % of planned blood samples and 30 % of
planned biopsies are not obtained.

Calibration (approximate, advanced HCC on systemic therapy):

- ctDNA detected at baseline in about 80 % of patients, maximum VAF log-normal with a
  median near 1-2 % (targeted panel sequencing of plasma in advanced HCC: von Felden et al.,
  Oncogene 2021;40:140-151; Ikeda et al., Oncologist 2018;23:586-593);
- after treatment ctDNA falls or clears in patients who will stay progression-free longer
  (latent PFS of at least ``CLEARING_PFS_DAYS``) and persists or rises in the others
  (detected at the first follow-up in about 30 % vs 75 %), so that persisting ctDNA carries a
  hazard ratio for progression of about 2 to 3, the size reported for ctDNA persistence on
  treatment; it is detected at progression in about 90 %;
- the mutated genes and their frequencies follow The Cancer Genome Atlas Research Network,
  Cell 2017;169:1327-1341 (TERT promoter about 44 %, TP53 31 %, CTNNB1 27 %, ALB 13 %,
  AXIN1 8 %, ARID1A 7 %), with hotspot HGVS names (TP53 p.R249S, the aflatoxin/HBV hotspot);
  at progression a biopsy gains a further driver in about 30 % of patients.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np

#: patients whose latent PFS reaches this many days clear ctDNA more often
CLEARING_PFS_DAYS = 150
#: gene -> (frequency in HCC, a recurrent protein/promoter change)
GENES: dict[str, tuple[float, str]] = {
    "TERT": (0.44, "c.-124C>T"),
    "TP53": (0.31, "p.R249S"),
    "CTNNB1": (0.27, "p.S45P"),
    "ALB": (0.13, "p.K264*"),
    "AXIN1": (0.08, "p.R146*"),
    "ARID1A": (0.07, "p.Q1334*"),
}
#: drivers gained at progression (acquired changes under therapy)
GAINED = {"TSC2": "p.R611Q", "KEAP1": "p.G333C", "NFE2L2": "p.R34G", "PIK3CA": "p.H1047R"}


@dataclass(frozen=True)
class SynthMutation:
    gene: str
    hgvs: str
    vaf_percent: float


@dataclass(frozen=True)
class CtdnaSample:
    sample_id: str
    timepoint: str  # baseline | first-follow-up-after-rt | progression
    planned: date
    collected: bool
    ctdna_detected: bool | None
    max_vaf_percent: float | None
    mean_vaf_percent: float | None = None
    tumour_fraction_percent: float | None = None
    mutations: tuple[SynthMutation, ...] = ()


@dataclass(frozen=True)
class BiopsySample:
    sample_id: str
    timepoint: str  # baseline | progression
    planned: date
    collected: bool
    mutations: tuple[SynthMutation, ...] = ()


def tumour_genes(rng: np.random.Generator) -> tuple[str, ...]:
    """The patient's tumour drivers (at least one), drawn at the published frequencies."""
    genes = tuple(g for g, (f, _) in GENES.items() if rng.random() < f)
    return genes or (str(rng.choice(list(GENES))),)


def _mutations(
    rng: np.random.Generator, genes: tuple[str, ...], top: float
) -> tuple[SynthMutation, ...]:
    """The genes' variants, the first at the maximum VAF, the others below it."""
    out = []
    for k, gene in enumerate(genes):
        vaf = top if k == 0 else round(top * float(rng.uniform(0.2, 1.0)), 2)
        hgvs = GENES[gene][1] if gene in GENES else GAINED[gene]
        out.append(SynthMutation(gene, hgvs, vaf))
    return tuple(out)


def draw_ctdna(
    rng: np.random.Generator,
    subject: str,
    timepoints: list[tuple[str, date]],
    responding: bool,
    genes: tuple[str, ...] = (),
) -> list[CtdnaSample]:
    out: list[CtdnaSample] = []
    genes = genes or tumour_genes(rng)
    for i, (name, when) in enumerate(timepoints, start=1):
        collected = bool(rng.random() >= 0.07)
        if not collected:
            out.append(CtdnaSample(f"{subject}-CT{i}", name, when, False, None, None))
            continue
        p = {"baseline": 0.8, "progression": 0.9}.get(name, 0.3 if responding else 0.75)
        detected = bool(rng.random() < p)
        if not detected:
            out.append(CtdnaSample(f"{subject}-CT{i}", name, when, True, False, 0.0, 0.0, 0.0))
            continue
        scale = {"baseline": 1.5, "progression": 3.0}.get(name, 0.6)
        top = round(min(float(rng.lognormal(np.log(scale), 1.0)), 60.0), 2)
        found = _mutations(rng, genes, top)
        mean = round(sum(m.vaf_percent for m in found) / len(found), 2)
        fraction = round(min(2 * top, 100.0), 2)
        out.append(
            CtdnaSample(f"{subject}-CT{i}", name, when, True, True, top, mean, fraction, found)
        )
    return out


def draw_biopsies(
    rng: np.random.Generator,
    subject: str,
    timepoints: list[tuple[str, date]],
    genes: tuple[str, ...],
) -> list[BiopsySample]:
    """Tissue at baseline and progression: the tumour's drivers, plus (30 %) one gained at
    progression."""
    out = []
    for i, (name, when) in enumerate(timepoints, start=1):
        if rng.random() >= 0.7:
            out.append(BiopsySample(f"{subject}-BX{i}", name, when, False))
            continue
        mine = genes
        if name == "progression" and rng.random() < 0.3:
            mine = (*genes, str(rng.choice(sorted(GAINED))))
        top = round(float(rng.uniform(15, 45)), 2)
        out.append(BiopsySample(f"{subject}-BX{i}", name, when, True, _mutations(rng, mine, top)))
    return out


def results_csv(
    samples: list[CtdnaSample | BiopsySample], labels: Mapping[str, str] | None = None
) -> str:
    """The laboratory's results file (``oligotrial.exploratory.results_file``) for the
    collected samples, VAF in percent; ``labels`` maps a sample id to its tube label."""
    names = labels or {}
    lines = ["sample_id,ctdna_detected,mean_vaf,max_vaf,tumour_fraction,unit,mutations"]
    for s in samples:
        if not s.collected:
            continue
        muts = "; ".join(f"{m.gene} {m.hgvs} {m.vaf_percent:g}" for m in s.mutations)
        if isinstance(s, BiopsySample):
            lines.append(f"{names.get(s.sample_id, s.sample_id)},,,,,%,{muts}")
            continue
        values = (s.mean_vaf_percent, s.max_vaf_percent, s.tumour_fraction_percent)
        text = ",".join("" if v is None else f"{v:g}" for v in values)
        flag = "yes" if s.ctdna_detected else "no"
        lines.append(f"{names.get(s.sample_id, s.sample_id)},{flag},{text},%,{muts}")
    return "\n".join(lines) + "\n"
