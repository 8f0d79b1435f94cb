"""Map a synthetic :class:`Candidate` onto the screening-record JSON format.

All field names of the screening record live in this one module, so a change of the
record format (owned by the eligibility package) is a change here only. Dates are ISO
strings, lab values keep the site's unit and reference range.
"""

from __future__ import annotations

from typing import Any

from oligotrial.synth.records import Candidate, LabValue, SynthLesion


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
        "new": lesion.new,
        "previously_irradiated": lesion.previously_irradiated,
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


def to_screening_record(c: Candidate) -> dict[str, Any]:
    """The candidate as a plain JSON-ready dict in the screening-record format."""
    h = c.history
    record: dict[str, Any] = {
        "patient_id": c.candidate_id,
        "site": c.site,
        "sex": c.sex,
        "birth_date": c.birth_date.isoformat(),
        "consent": {"signed": True, "date": c.consent_date.isoformat()},
        "diagnosis": {"basis": c.diagnosis_basis, "histology": c.histology,
                      "aetiology": c.aetiology},
        "flst": {
            "regimen": c.flst.regimen_name,
            "drugs": list(c.flst.drugs),
            "contains_ici": c.flst.ici,
            "start_date": c.flst.start.isoformat(),
            "stable_disease_since": c.flst.stable_disease_since.isoformat(),
            "oligoprogression_date": c.flst.oligoprogression.isoformat(),
            "adjuvant_after_curative_surgery": c.flst.adjuvant_after_curative_surgery,
            "earlier_flst_progressed": c.flst.earlier_flst_progressed,
            "adverse_events": [{"term": t, "grade": g} for t, g in c.flst.adverse_events],
        },
        "bclc_at_flst_start": {
            "stage": c.bclc.stage,
            "macrovascular_invasion": c.bclc.macrovascular_invasion,
            "extrahepatic_spread": c.bclc.extrahepatic_spread,
            "ecog": c.bclc.ecog,
            "child_pugh_class": c.bclc.child_pugh_class,
        },
        "lesions": [_lesion(x) for x in c.lesions],
        "labs": {lab.analyte: _lab(lab) for lab in c.labs},
        "ecog": c.ecog,
        "ascites": c.ascites,
        "encephalopathy": c.encephalopathy,
        "hbv": {
            "hbsag_positive": c.hbv.hbsag_positive,
            "antiviral": c.hbv.antiviral,
        },
        "history": {
            "prior_polymetastatic_disease": h.prior_polymetastatic,
            "prior_oligometastatic_disease": h.prior_oligometastatic,
            "other_malignancies": ([] if h.other_malignancy is None else [{
                "diagnosis": h.other_malignancy,
                "date": h.other_malignancy_date.isoformat() if h.other_malignancy_date else None,
                "curatively_treated": h.other_malignancy_curative}]),
            "prior_radiotherapy_sites": list(h.prior_rt_sites),
            "investigational_drug_last_date": (h.last_investigational_drug.isoformat()
                                               if h.last_investigational_drug else None),
            "in_other_interventional_study": h.in_other_interventional_trial,
            "autoimmune_disease": h.autoimmune_disease,
            "long_term_steroids": h.long_term_steroids,
            "organ_transplant": h.organ_transplant,
            "study_drug_allergy": h.drug_allergy,
            "pregnant_or_breastfeeding": h.pregnant_or_breastfeeding,
            "brain_peritoneal_omental_metastasis_bleeding": h.brain_peritoneal_bleeding,
        },
        "samples": {"tumour": c.tumour_sample, "blood": c.blood_sample},
        "attestations": {
            "expected_survival_at_least_6_months": c.expected_survival_6_months,
            "lesions_amenable_to_rt": all(x.amenable_to_rt for x in c.lesions if x.progressing),
            "no_severe_organ_impairment_or_infection": c.no_severe_organ_impairment,
            "investigator_approves": c.investigator_approves,
        },
    }
    return record
