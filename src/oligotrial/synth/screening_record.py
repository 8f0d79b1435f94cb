"""Map a synthetic :class:`Candidate` onto the screening-record JSON format.

The format is :class:`oligotrial.eligibility.record.ScreeningRecord`; every field name of
it used here lives in this one module, so a change of the record is a change here only.
Dates are ISO strings; lab values keep the site's unit and reference range.
"""

from __future__ import annotations

from typing import Any

from oligotrial.synth.records import Candidate, LabValue, SynthLesion

_RECORD_LABS = (
    "bilirubin",
    "albumin",
    "inr",
    "afp",
    "hbv_dna",
    "alt",
    "ast",
    "platelets",
    "neutrophils",
)
_SKIN = {
    "basal cell carcinoma of the skin": "basal-cell-skin",
    "cervical carcinoma in situ": "carcinoma-in-situ",
}


def _lab(lab: LabValue) -> dict[str, Any]:
    out: dict[str, Any] = {"value": lab.value, "unit": lab.unit, "date": lab.collected.isoformat()}
    if lab.low is not None:
        out["lower_limit"] = lab.low
    if lab.high is not None:
        out["upper_limit"] = lab.high
    return out


def _lesion(lesion: SynthLesion) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": lesion.lesion_id,
        "organ": lesion.organ,
        "nodal": lesion.nodal,
        "progressing": lesion.progressing,
        "previously_irradiated": lesion.previously_irradiated,
        "progressed_after_rt": lesion.previously_irradiated and lesion.progressing,
        "amenable_to_rt": lesion.amenable_to_rt,
        "modality": "CT",
        "slice_thickness_mm": 5.0,
    }
    optional = {
        "longest_diameter_mm": lesion.longest_diameter_mm,
        "short_axis_mm": lesion.short_axis_mm,
        "lymph_node_region": lesion.lymph_node_region,
        "bone_type": lesion.bone_type,
        "soft_tissue_component_mm": lesion.soft_tissue_component_mm,
    }
    out.update({k: v for k, v in optional.items() if v is not None})
    return out


def _history(c: Candidate) -> dict[str, Any]:
    h = c.history
    malignancies = []
    if h.other_malignancy is not None and h.other_malignancy_date is not None:
        malignancies.append(
            {
                "diagnosis": h.other_malignancy,
                "category": _SKIN.get(h.other_malignancy, "other"),
                "diagnosis_date": h.other_malignancy_date.isoformat(),
                "curatively_treated": h.other_malignancy_curative,
            }
        )
    irradiated = [x.lesion_id for x in c.lesions if x.previously_irradiated]
    rt = [
        {"site": site, "lesion_ids": irradiated, "date": c.flst.start.isoformat()}
        for site in h.prior_rt_sites
    ]
    return {
        "other_malignancies": malignancies,
        "prior_radiotherapy": rt,
        "organ_transplant": h.organ_transplant,
        "autoimmune_disease": h.autoimmune_disease,
        "long_term_steroids": h.long_term_steroids,
        "allergy_to_study_drug": h.drug_allergy,
        "bleeding_brain_peritoneal_omental_metastases": h.brain_peritoneal_bleeding,
        "in_other_interventional_study": h.in_other_interventional_trial,
        "received_investigational_therapy": h.last_investigational_drug is not None,
        "last_investigational_therapy_date": (
            h.last_investigational_drug.isoformat() if h.last_investigational_drug else None
        ),
    }


def to_screening_record(c: Candidate) -> dict[str, Any]:
    """The candidate as a plain JSON-ready dict in the screening-record format."""
    f, b = c.flst, c.bclc
    basis = "clinical-guideline-2024" if c.diagnosis_basis == "clinical" else c.diagnosis_basis
    record: dict[str, Any] = {
        "patient_id": c.candidate_id,
        "site": c.site,
        "screening_date": c.consent_date.isoformat(),
        "sex": "female" if c.sex == "F" else "male",
        "birth_date": c.birth_date.isoformat(),
        "consent": {"signed": True, "date": c.consent_date.isoformat()},
        "diagnosis": {
            "basis": basis,
            "date": c.diagnosis_date.isoformat(),
            "histology": "combined-hcc-cca" if c.histology == "cHCC-CC" else "hcc",
        },
        "flst": {
            "regimen": f.regimen_name,
            "contains_ici": f.ici,
            "setting": (
                "adjuvant-after-curative-surgery"
                if f.adjuvant_after_curative_surgery
                else "advanced"
            ),
            "start_date": f.start.isoformat(),
            "disease_control_date": f.stable_disease_since.isoformat(),
            "ongoing_at_oligoprogression": True,
            "prior_lines_with_progression": int(f.earlier_flst_progressed),
            "at_start": {
                "bclc_stage": b.stage,
                "ecog": b.ecog,
                "macrovascular_invasion": b.macrovascular_invasion,
                "extrahepatic_spread": b.extrahepatic_spread,
                "child_pugh_score": b.child_pugh_score,
                "tumour_count": b.tumour_count,
                "largest_tumour_mm": b.largest_tumour_mm,
            },
            "adverse_events": [
                {"term": t, "grade": g, "attributed_to_flst": True} for t, g in f.adverse_events
            ],
        },
        "oligoprogression": {
            "date": f.oligoprogression.isoformat(),
            "confirmed_by": "imaging",
            "prior_polymetastatic_disease": c.history.prior_polymetastatic,
            "prior_oligometastatic_disease": c.history.prior_oligometastatic,
            "lesions": [_lesion(x) for x in c.lesions],
        },
        "labs": {lab.analyte: _lab(lab) for lab in c.labs if lab.analyte in _RECORD_LABS},
        "ecog": c.ecog,
        "ascites": c.ascites,
        "encephalopathy": c.encephalopathy,
        "hbv": {
            "hbsag_positive": c.hbv.hbsag_positive,
            "on_antiviral": c.hbv.antiviral is not None,
        },
        "history": _history(c),
        "reproductive": (
            {"pregnant": c.history.pregnant_or_breastfeeding, "breastfeeding": False}
            if c.sex == "F"
            else {}
        ),
        "samples": {"tumour": c.tumour_sample, "blood": c.blood_sample},
        "attestations": {
            "expected_survival_months": 12.0 if c.expected_survival_6_months else 4.0,
            "severe_comorbidity_or_active_infection": not c.no_severe_organ_impairment,
            "investigator_excludes": not c.investigator_approves,
        },
    }
    return record
