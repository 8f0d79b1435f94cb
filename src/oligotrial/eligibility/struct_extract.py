"""Rows for the column-wise path from decoded structs (see :mod:`.fast_decode`).

The structs already carry checked types, ranges and words; this adds what the pydantic
model checks in Python (text without surrounding spaces, lab values and reference ranges,
known units, lesion consistency, unique lesion ids, radiotherapy lesion references) and
writes the same rows as :func:`oligotrial.eligibility.lean_extract.extract_one`.
"""

from __future__ import annotations

from typing import Any

from oligotrial.clinical.anatomy import LYMPH_NODE_SYSTEM
from oligotrial.eligibility.rows import (
    BONE_CODES,
    CACHES,
    KIND_CODES,
    MODALITY_CODES,
    NAN,
    LeanRows,
    Odd,
    region_code,
    system_code,
)

_CODE = {None: 2, True: 1, False: 0}
_NO_LAB = (NAN, None, NAN)
_FACT_LABS = ("bilirubin", "albumin", "inr", "afp", "hbv_dna")
_OTHER_LABS = ("alt", "ast", "platelets", "neutrophils")


def _f(v: float | None) -> float:
    return NAN if v is None else v


def _trimmed(text: str) -> str:
    if not text or text != text.strip():
        raise Odd
    return text


def _lab(i: int, name: str, lab: Any, out: LeanRows) -> tuple[float, str, float]:
    value, unit, low, high = lab.value, lab.unit, lab.lower_limit, lab.upper_limit
    if value < 0 or (low is not None and low < 0):
        raise Odd
    if high is not None and (high <= 0 or (low is not None and low > high)):
        raise Odd
    CACHES.unit(name, unit)
    if lab.date is not None:
        out.date_owners.append(i)
        out.date_texts.append(lab.date)
    return value, unit, NAN if high is None else high


def _lesions(i: int, lesions: list[Any], out: LeanRows) -> set[str]:
    ids: set[str] = set()
    for le in lesions:
        lid = _trimmed(le.id)
        if lid in ids:
            raise Odd
        ids.add(lid)
        system = CACHES.system(_trimmed(le.organ))
        is_nodal = le.nodal or system == LYMPH_NODE_SYSTEM
        region = None
        if le.lymph_node_region is not None:
            if not le.nodal:
                raise Odd
            region = CACHES.region(_trimmed(le.lymph_node_region))
        if le.bone_type is not None and system != "bone":
            raise Odd
        if le.progressed_after_rt and le.previously_irradiated is False:
            raise Odd
        out.lesions.append(
            (
                i,
                lid,
                system_code(LYMPH_NODE_SYSTEM if is_nodal else system),
                is_nodal,
                region_code(region),
                _f(le.longest_diameter_mm),
                _f(le.short_axis_mm),
                _f(le.slice_thickness_mm),
                MODALITY_CODES[le.modality],
                BONE_CODES[le.bone_type],
                _f(le.soft_tissue_component_mm),
                KIND_CODES[le.kind],
                le.progressing,
                _CODE[le.previously_irradiated],
                le.progressed_after_rt,
                _CODE[le.amenable_to_rt],
            )
        )
    return ids


def extract_struct(i: int, r: Any, out: LeanRows) -> None:
    """Check one decoded record and append its rows; raise :class:`Odd` when unsure."""
    pid = _trimmed(r.patient_id)
    consent, diag, flst, oligo = r.consent, r.diagnosis, r.flst, r.oligoprogression
    start, hist, labs = flst.at_start, r.history, r.labs
    ae_max = NAN
    if flst.adverse_events is not None:
        ae_max = 0
        for ae in flst.adverse_events:
            _trimmed(ae.term)
            if ae.onset_date is not None:
                out.date_owners.append(i)
                out.date_texts.append(ae.onset_date)
            if ae.attributed_to_flst and ae.grade > ae_max:
                ae_max = ae.grade
    lesions = oligo.lesions
    ids = _lesions(i, lesions, out) if lesions is not None else set()
    found = {}
    for name in _FACT_LABS:
        lab = getattr(labs, name)
        found[name] = _NO_LAB if lab is None else _lab(i, name, lab, out)
    for name in _OTHER_LABS:
        lab = getattr(labs, name)
        if lab is not None:
            _lab(i, name, lab, out)
    malignancies = hist.other_malignancies
    if malignancies is not None:
        for m in malignancies:
            _trimmed(m.diagnosis)
            out.date_owners.append(i)
            out.date_texts.append(m.diagnosis_date)
            out.malignancies.append((i, m.diagnosis_date, m.category, _CODE[m.curatively_treated]))
    courses = hist.prior_radiotherapy
    if courses is not None:
        for course in courses:
            _trimmed(course.site)
            if course.date is not None:
                out.date_owners.append(i)
                out.date_texts.append(course.date)
            for lid in course.lesion_ids:
                if lid not in ids:
                    raise Odd
                out.rt_lesion_ids.append((i, lid))
    mvi, ehs, count = start.macrovascular_invasion, start.extrahepatic_spread, start.tumour_count
    if count == 0 and not (mvi or ehs):
        raise Odd
    bili, alb, inr, afp, dna = (found[name] for name in _FACT_LABS)
    repro, samples, attest, hbv = r.reproductive, r.samples, r.attestations, r.hbv
    out.scalars.append(
        (
            pid,
            r.screening_date,
            r.sex,
            r.birth_date or "",
            _CODE[consent.signed],
            consent.date or "",
            consent.first_study_procedure_date or "",
            diag.basis,
            diag.date or "",
            diag.histology,
            flst.setting,
            flst.start_date or "",
            flst.disease_control_date or "",
            _CODE[flst.ongoing_at_oligoprogression],
            _f(flst.prior_lines_with_progression),
            start.bclc_stage,
            _f(start.ecog),
            _CODE[mvi],
            _CODE[ehs],
            _f(start.child_pugh_score),
            _f(count),
            _f(start.largest_tumour_mm),
            ae_max,
            oligo.date or "",
            oligo.confirmed_by,
            _CODE[oligo.prior_polymetastatic_disease],
            _CODE[oligo.prior_oligometastatic_disease],
            2 if lesions is None else 1,
            _f(r.ecog),
            r.ascites,
            r.encephalopathy,
            _CODE[hbv.hbsag_positive],
            _CODE[hbv.on_antiviral],
            2 if malignancies is None else 1,
            NAN if courses is None else len(courses),
            _CODE[hist.in_other_interventional_study],
            _CODE[hist.received_investigational_therapy],
            hist.last_investigational_therapy_date or "",
            _CODE[hist.autoimmune_disease],
            _CODE[hist.long_term_steroids],
            _CODE[hist.allergy_to_study_drug],
            _CODE[hist.organ_transplant],
            _CODE[hist.bleeding_brain_peritoneal_omental_metastases],
            _CODE[repro.pregnant],
            _CODE[repro.breastfeeding],
            _CODE[samples.tumour],
            _CODE[samples.blood],
            _f(attest.expected_survival_months),
            _CODE[attest.severe_comorbidity_or_active_infection],
            _CODE[attest.investigator_excludes],
            bili[0],
            bili[1],
            alb[0],
            alb[1],
            inr[0],
            inr[1],
            afp[0],
            afp[1],
            dna[0],
            dna[1],
            dna[2],
        )
    )
    out.owners.append(i)
