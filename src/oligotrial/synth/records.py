"""Typed synthetic source data of one candidate at oligoprogression.

These classes use the generator's own names; :mod:`oligotrial.synth.screening_record`
maps them onto the screening-record format so that a change there is a change in one
place. Sizes in mm, dates as :class:`datetime.date`, lab values in the site's unit with
the site's reference range in that unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from oligotrial.clinical.lesion import Lesion
from oligotrial.clinical.measurability import measurability


@dataclass(frozen=True)
class LabValue:
    analyte: str
    value: float
    unit: str
    low: float | None
    high: float | None
    collected: date


@dataclass(frozen=True)
class SynthLesion:
    lesion_id: str
    organ: str  # liver, lung, lymph node, bone, adrenal
    longest_diameter_mm: float | None
    short_axis_mm: float | None = None
    lymph_node_region: str | None = None
    bone_type: str | None = None  # lytic, blastic, mixed
    soft_tissue_component_mm: float | None = None
    progressing: bool = True
    new: bool = True  # new lesion (vs growth of a pre-existing one)
    previously_irradiated: bool = False
    amenable_to_rt: bool = True

    @cached_property
    def clinical(self) -> Lesion:
        """The clinical package's lesion, imaged on CT with 5 mm slices (irradiation left
        out: the eligibility engine judges it from the record's history)."""
        return Lesion(
            self.organ,
            lymph_node_region=self.lymph_node_region,
            longest_diameter_mm=self.longest_diameter_mm,
            short_axis_mm=self.short_axis_mm,
            slice_thickness_mm=5.0,
            bone_type=self.bone_type,
            soft_tissue_component_mm=self.soft_tissue_component_mm,
            progressing=self.progressing,
            label=self.lesion_id,
        )

    @property
    def nodal(self) -> bool:
        return self.clinical.is_nodal

    @property
    def in_liver(self) -> bool:
        """In the liver, by the clinical definition."""
        return self.clinical.in_liver

    @property
    def measurable(self) -> bool:
        """RECIST 1.1 measurability by the clinical rule, on CT with 5 mm slices."""
        lesion = self.clinical
        if lesion.is_nodal and lesion.short_axis_mm is None:
            return False
        if lesion.system != "bone" and not lesion.is_nodal and lesion.longest_diameter_mm is None:
            return False
        return measurability(lesion).measurable

    @property
    def target_size_mm(self) -> float:
        """The size RECIST sums: short axis for nodes, else longest diameter."""
        if self.nodal:
            return float(self.short_axis_mm or 0.0)
        if self.clinical.system == "bone":
            return float(self.soft_tissue_component_mm or 0.0)
        return float(self.longest_diameter_mm or 0.0)


@dataclass(frozen=True)
class FlstHistory:
    regimen_code: str
    regimen_name: str
    drugs: tuple[str, ...]
    ici: bool
    start: date
    stable_disease_since: date
    oligoprogression: date
    adjuvant_after_curative_surgery: bool = False
    earlier_flst_progressed: bool = False
    adverse_events: tuple[tuple[str, int], ...] = ()  # (term, worst CTCAE grade)


@dataclass(frozen=True)
class BclcAtFlstStart:
    stage: str
    macrovascular_invasion: bool
    extrahepatic_spread: bool
    ecog: int
    child_pugh_class: str
    child_pugh_score: int = 5
    tumour_count: int = 2
    largest_tumour_mm: float = 40.0


@dataclass(frozen=True)
class HbvStatus:
    hbsag_positive: bool
    hbv_dna_iu_ml: float | None
    hbv_dna_uln_iu_ml: float
    antiviral: str | None


@dataclass(frozen=True)
class History:
    prior_polymetastatic: bool
    prior_oligometastatic: bool
    other_malignancy: str | None = None
    other_malignancy_date: date | None = None
    other_malignancy_curative: bool = True
    last_investigational_drug: date | None = None
    in_other_interventional_trial: bool = False
    autoimmune_disease: bool = False
    long_term_steroids: bool = False
    organ_transplant: bool = False
    drug_allergy: bool = False
    pregnant_or_breastfeeding: bool = False
    brain_peritoneal_bleeding: bool = False
    prior_rt_sites: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """One screened person: everything the 27 criteria need, as a site would record it."""

    candidate_id: str
    site: str
    sex: str
    birth_date: date
    consent_date: date
    aetiology: str
    diagnosis_date: date
    diagnosis_basis: str  # histology, cytology, clinical
    histology: str  # HCC, cHCC-CC
    ecog: int
    ascites: str
    encephalopathy: str
    flst: FlstHistory
    bclc: BclcAtFlstStart
    hbv: HbvStatus
    history: History
    labs: tuple[LabValue, ...]
    lesions: tuple[SynthLesion, ...]
    tumour_sample: bool = True
    blood_sample: bool = True
    expected_survival_6_months: bool = True
    no_severe_organ_impairment: bool = True
    investigator_approves: bool = True
    planned_failure: str | None = None  # criterion the generator made fail, None if eligible
    extras: dict[str, object] = field(default_factory=dict)

    def lab(self, analyte: str) -> LabValue:
        for lab in self.labs:
            if lab.analyte == analyte:
                return lab
        raise KeyError(analyte)
