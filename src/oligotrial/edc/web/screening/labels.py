"""Words of the screening form in the user's language: sections, fields and choices.

Keys are the record model's own names (a field's last path part; a choice's value); a
path given in full overrides a name where one name means different things. A name without
a label is shown as it is in the record.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from oligotrial.clinical.anatomy import lymph_node_region_vocabulary, organ_vocabulary

SECTIONS: dict[str, Promise] = {
    "patient": _("Patient"),
    "consent": _("Consent"),
    "diagnosis": _("Diagnosis"),
    "flst": _("First-line systemic therapy"),
    "flst.at_start": _("At the start of first-line therapy"),
    "oligoprogression": _("Oligoprogression"),
    "labs": _("Laboratory results"),
    "hbv": _("Hepatitis B"),
    "history": _("History"),
    "reproductive": _("Pregnancy"),
    "samples": _("Samples"),
    "attestations": _("Investigator's assessment"),
    "flst.adverse_events": _("Adverse events on first-line therapy"),
    "oligoprogression.lesions": _("Lesions at oligoprogression"),
    "history.other_malignancies": _("Other cancers"),
    "history.prior_radiotherapy": _("Earlier radiotherapy"),
}

FIELDS: dict[str, Promise] = {
    "patient_id": _("Screening number"),
    "screening_date": _("Screening date"),
    "sex": _("Sex"),
    "birth_date": _("Date of birth"),
    "ecog": _("ECOG performance status"),
    "ascites": _("Ascites"),
    "encephalopathy": _("Hepatic encephalopathy"),
    "signed": _("Written consent signed"),
    "date": _("Date"),
    "first_study_procedure_date": _("First study procedure"),
    "basis": _("Basis of diagnosis"),
    "histology": _("Histology"),
    "source_document": _("Source document"),
    "regimen": _("Regimen"),
    "contains_ici": _("Contains an immune checkpoint inhibitor"),
    "setting": _("Setting"),
    "start_date": _("Start date"),
    "disease_control_date": _("First scan with disease control"),
    "ongoing_at_oligoprogression": _("Ongoing at oligoprogression"),
    "prior_lines_with_progression": _("Earlier first-line therapies ending in progression"),
    "bclc_stage": _("BCLC stage (entered)"),
    "macrovascular_invasion": _("Macrovascular invasion"),
    "extrahepatic_spread": _("Extrahepatic spread"),
    "child_pugh_score": _("Child-Pugh score"),
    "tumour_count": _("Intrahepatic tumours"),
    "largest_tumour_mm": _("Largest tumour (mm)"),
    "term": _("Term"),
    "grade": _("Grade"),
    "attributed_to_flst": _("Attributed to first-line therapy"),
    "onset_date": _("Onset"),
    "confirmed_by": _("Confirmed by"),
    "prior_polymetastatic_disease": _("Polymetastatic disease ever"),
    "prior_oligometastatic_disease": _("Oligometastatic disease before"),
    "id": _("Lesion"),
    "organ": _("Organ"),
    "nodal": _("Lymph node"),
    "lymph_node_region": _("Lymph-node region (station or region code)"),
    "longest_diameter_mm": _("Longest diameter (mm)"),
    "short_axis_mm": _("Short axis (mm)"),
    "slice_thickness_mm": _("Slice thickness (mm)"),
    "modality": _("Modality"),
    "bone_type": _("Bone lesion type"),
    "soft_tissue_component_mm": _("Soft-tissue component (mm)"),
    "kind": _("Kind"),
    "progressing": _("Progressing"),
    "previously_irradiated": _("Irradiated before"),
    "progressed_after_rt": _("Progressed after radiotherapy"),
    "amenable_to_rt": _("Amenable to radiotherapy"),
    "bilirubin": _("Total bilirubin"),
    "albumin": _("Albumin"),
    "inr": _("INR"),
    "afp": _("AFP"),
    "hbv_dna": _("HBV DNA"),
    "alt": _("ALT"),
    "ast": _("AST"),
    "platelets": _("Platelets"),
    "neutrophils": _("Neutrophils"),
    "value": _("Value"),
    "unit": _("Unit"),
    "lower_limit": _("Lower limit"),
    "upper_limit": _("Upper limit"),
    "hbsag_positive": _("HBsAg positive"),
    "on_antiviral": _("On antiviral treatment"),
    "diagnosis": _("Diagnosis"),
    "category": _("Category"),
    "diagnosis_date": _("Date of diagnosis"),
    "curatively_treated": _("Curatively treated"),
    "history.prior_radiotherapy.{i}.site": _("Treated site"),
    "lesion_ids": _("Lesions in the treated volume (ids)"),
    "organ_transplant": _("Organ transplantation"),
    "autoimmune_disease": _("Autoimmune disease"),
    "long_term_steroids": _("Long-term steroids"),
    "allergy_to_study_drug": _("Allergy to a study drug"),
    "bleeding_brain_peritoneal_omental_metastases": _(
        "Bleeding brain, peritoneal or omental metastases"
    ),
    "in_other_interventional_study": _("In another interventional study"),
    "received_investigational_therapy": _("Received investigational therapy"),
    "last_investigational_therapy_date": _("Last investigational therapy"),
    "pregnant": _("Pregnant"),
    "breastfeeding": _("Breastfeeding"),
    "tumour": _("Tumour tissue available"),
    "blood": _("Blood sample available"),
    "expected_survival_months": _("Expected survival (months)"),
    "severe_comorbidity_or_active_infection": _("Severe comorbidity or active infection"),
    "investigator_excludes": _("Investigator excludes the patient"),
}

CHOICES: dict[str, Promise] = {
    "female": _("female"),
    "male": _("male"),
    "none": _("none"),
    "mild": _("mild"),
    "moderate-severe": _("moderate or severe"),
    "grade-1-2": _("grade 1–2"),
    "grade-3-4": _("grade 3–4"),
    "histology": _("histology"),
    "cytology": _("cytology"),
    "clinical-guideline-2024": _("clinical guideline (2024 edition)"),
    "hcc": _("HCC"),
    "combined-hcc-cca": _("combined HCC-cholangiocarcinoma"),
    "other": _("other"),
    "advanced": _("advanced disease"),
    "adjuvant-after-curative-surgery": _("adjuvant after curative surgery"),
    "imaging": _("imaging"),
    "histopathology": _("histopathology"),
    "clinical": _("clinical examination"),
    "ultrasound": _("ultrasound"),
    "lytic": _("lytic"),
    "mixed": _("mixed"),
    "blastic": _("blastic"),
    "solid": _("solid"),
    "cystic": _("cystic"),
    "effusion": _("effusion"),
    "ascites": _("ascites"),
    "lymphangitic": _("lymphangitic"),
    "leptomeningeal": _("leptomeningeal"),
    "basal-cell-skin": _("basal cell carcinoma of the skin"),
    "squamous-cell-skin": _("squamous cell carcinoma of the skin"),
    "carcinoma-in-situ": _("carcinoma in situ"),
    # ESTRO-EORTC classes (clinical/oligo.py), as the eligibility panel shows them
    "de-novo": _("de novo"),
    "repeat": _("repeat"),
    "induced": _("induced"),
    "oligorecurrence": _("oligorecurrence"),
    "oligoprogression": _("oligoprogression"),
    "oligopersistence": _("oligopersistence"),
}


def field_label(path: str, name: str) -> str:
    """The label of the field at ``path`` (``{i}`` for a list row) named ``name``."""
    return str(FIELDS.get(path) or FIELDS.get(name) or name)


def section_label(path: str) -> str:
    return str(SECTIONS.get(path) or path.rsplit(".", 1)[-1])


def choice_label(kind: str, value: str, chinese: bool) -> str:
    """A choice's words: the controlled vocabulary's own label for organs and node
    regions (English or Chinese), else this module's."""
    if kind == "organ":
        return organ_vocabulary()[value]["zh" if chinese else "en"]
    if kind == "region":
        return lymph_node_region_vocabulary()[value]["zh" if chinese else "en"]
    return str(CHOICES.get(value, value))


def path_label(path: str) -> str:
    """A record path in words: ``labs.albumin.value`` -> "Albumin · Value"; list rows by
    number (``oligoprogression.lesions.1.organ`` -> "Lesions … 2 · Organ")."""
    parts = path.split(".")
    words: list[str] = []
    for i, part in enumerate(parts):
        sub = ".".join(parts[: i + 1])
        if part.isdigit():
            words.append(str(int(part) + 1))
        elif sub in SECTIONS and i < len(parts) - 1 and i > 0:
            words.append(str(SECTIONS[sub]))
        elif i == len(parts) - 1 or part in FIELDS:
            generic = ".".join("{i}" if p.isdigit() else p for p in parts[: i + 1])
            words.append(field_label(generic, part))
    return " · ".join(words) or path
