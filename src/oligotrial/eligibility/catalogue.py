"""The facts a protocol's rules may name, with their kind and meaning.

A fact is derived from the screening record by :mod:`oligotrial.eligibility.facts`. Kinds:
``number`` (days, counts, scores, lab values; ``inf`` means "never", e.g. no
investigational therapy ever), ``bool`` and ``category`` (a short code). A category fact
that lists its ``values`` can define a stratification factor whose levels are those values.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from oligotrial.clinical.oligo_site import OLIGO_SITES

Kind = Literal["number", "bool", "category"]


@dataclass(frozen=True)
class FactSpec:
    name: str
    kind: Kind
    meaning: str
    values: tuple[str, ...] = ()


_SPECS = (
    FactSpec(
        "hcc_diagnosis_basis", "category", "histology, cytology, clinical-guideline-2024 or none"
    ),
    FactSpec("bclc_stage_at_flst_start", "category", "BCLC 2022 stage when FLST started"),
    FactSpec("oligoprogression_confirmed_by", "category", "imaging or histopathology"),
    FactSpec("oligoprogressive_lesion_count", "number", "lesions, each node region once"),
    FactSpec("oligoprogressive_organ_systems", "number", "organs/systems involved"),
    FactSpec("estro_eortc_category", "category", "de-novo, repeat or induced"),
    FactSpec(
        "estro_eortc_state", "category", "oligorecurrence, oligoprogression, oligopersistence"
    ),
    FactSpec("oligoprogression_on_current_flst", "bool", "progressed while on the current FLST"),
    FactSpec(
        "prior_flst_lines_with_progression", "number", "other FLST lines ended by progression"
    ),
    FactSpec("stable_disease_days", "number", "days of disease control before oligoprogression"),
    FactSpec("expected_survival_months", "number", "investigator's estimate"),
    FactSpec("measurable_oligoprogressive_lesions", "number", "RECIST 1.1 measurable ones"),
    FactSpec("all_oligoprogressive_lesions_amenable_to_rt", "bool", "every one can be irradiated"),
    FactSpec("child_pugh_score", "number", "Child-Pugh score at screening, 5-15"),
    FactSpec("ecog", "number", "ECOG performance status at screening"),
    FactSpec("consent_before_study_procedures", "bool", "consent signed before any procedure"),
    FactSpec("age_at_consent_years", "number", "age in completed years on the consent date"),
    FactSpec("tumour_sample_available", "bool", "tumour tissue available"),
    FactSpec("blood_sample_available", "bool", "blood sample available"),
    FactSpec("flst_adjuvant_after_curative_surgery", "bool", "FLST given as adjuvant"),
    FactSpec("days_flst_start_to_progression", "number", "FLST start to oligoprogression, days"),
    FactSpec("combined_hcc_cholangiocarcinoma", "bool", "histology is cHCC-CC"),
    FactSpec("flst_attributed_ae_max_grade", "number", "worst CTCAE grade attributed to FLST"),
    FactSpec(
        "bleeding_brain_peritoneal_omental_metastases", "bool", "such metastases bled after FLST"
    ),
    FactSpec("oligoprogressive_lesions_previously_irradiated", "number", "lesions at an RT site"),
    FactSpec("hbv_active_untreated", "bool", "HBsAg+, HBV DNA > site ULN, no antiviral"),
    FactSpec("afp_ng_ml", "number", "AFP at oligoprogression, ng/mL"),
    FactSpec("other_malignancy_within_lookback", "bool", "non-exempt other cancer in window"),
    FactSpec("in_other_interventional_study", "bool", "now in another interventional study"),
    FactSpec("days_since_investigational_therapy", "number", "days; inf when never"),
    FactSpec("autoimmune_disease", "bool", "autoimmune disease"),
    FactSpec("long_term_steroids", "bool", "condition needing long-term steroids"),
    FactSpec("severe_comorbidity_or_active_infection", "bool", "investigator's assessment"),
    FactSpec("allergy_to_study_drug", "bool", "known or suspected allergy to a study drug"),
    FactSpec("organ_transplant", "bool", "history of organ transplantation"),
    FactSpec("pregnant_or_breastfeeding", "bool", "pregnant or breastfeeding"),
    FactSpec("investigator_excludes", "bool", "investigator's judgement excludes"),
    FactSpec(
        "oligoprogression_site",
        "category",
        "progressing lesions all in the liver, or any outside it",
        OLIGO_SITES,
    ),
    FactSpec("flst_contains_ici", "bool", "current FLST contains an immune checkpoint inhibitor"),
)

FACTS: MappingProxyType[str, FactSpec] = MappingProxyType({s.name: s for s in _SPECS})

# Settings that shape how facts are derived (not thresholds read by rules), with defaults.
DERIVATION_SETTINGS: MappingProxyType[str, object] = MappingProxyType(
    {
        "stable_disease_from": "flst-start",
        "irradiated_lesion_measurable_if_progressed": True,
        "bclc_preserved_liver_function": "child-pugh-A",
        "other_malignancy_lookback_years": 3,
        "other_malignancy_exempt": ("basal-cell-skin", "squamous-cell-skin", "carcinoma-in-situ"),
    }
)
