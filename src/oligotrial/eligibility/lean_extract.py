"""The lean check: recognise plainly valid screening records quickly, without pydantic,
and pull out the values the facts need, as rows ready to become numpy columns.

The check is deliberately stricter than the pydantic model (exact JSON types, canonical
spellings, ISO dates): any record it does not recognise is handed to the model, which
either names the error or accepts it (and the per-patient evaluator then screens it).
Checks that are cheaper on whole columns (dates, units, date order) are done afterwards
in :mod:`oligotrial.eligibility.columns`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from oligotrial.clinical.anatomy import LYMPH_NODE_SYSTEM
from oligotrial.eligibility import record as rec
from oligotrial.eligibility import record_parts as parts
from oligotrial.eligibility.rows import (
    BONE_CODES,
    CACHES,
    FACT_LABS,
    KIND_CODES,
    MODALITY_CODES,
    NAN,
    SCALARS,
    LeanRows,
    Odd,
    region_code,
    system_code,
)

__all__ = ["FACT_LABS", "NAN", "SCALARS", "LeanRows", "Odd", "extract", "extract_one"]


def _keys(model: Any) -> frozenset[str]:
    return frozenset(model.model_fields)


_TOP = _keys(rec.ScreeningRecord)
_CONSENT, _DIAG, _FLST = _keys(rec.Consent), _keys(rec.Diagnosis), _keys(rec.Flst)
_START, _OLIGO, _HBV = _keys(rec.FlstStart), _keys(rec.Oligoprogression), _keys(rec.Hbv)
_HIST, _REPRO, _SAMPLES = _keys(rec.History), _keys(rec.Reproductive), _keys(rec.Samples)
_ATTEST, _LABS, _LAB = _keys(rec.Attestations), _keys(parts.Labs), _keys(parts.Lab)
_LESION, _AE = _keys(parts.LesionRecord), _keys(parts.AdverseEvent)
_RT, _MALIG = _keys(parts.RadiotherapyCourse), _keys(parts.OtherMalignancy)

_SEX = frozenset({"female", "male"})
_BASIS = frozenset({"histology", "cytology", "clinical-guideline-2024", "none"})
_HISTOLOGY = frozenset({"hcc", "combined-hcc-cca", "other"})
_STAGE = frozenset({"0", "A", "B", "C", "D"})
_SETTING = frozenset({"advanced", "adjuvant-after-curative-surgery"})
_CONFIRMED = frozenset({"imaging", "histopathology"})
_ASCITES = frozenset({"none", "mild", "moderate-severe"})
_ENCEPH = frozenset({"none", "grade-1-2", "grade-3-4"})
_MODALITY = frozenset({"CT", "MRI", "PET-CT", "X-ray", "clinical", "ultrasound", "PET"})
_BONE = frozenset({"lytic", "mixed", "blastic"})
_KIND = frozenset({"solid", "cystic", "effusion", "ascites", "lymphangitic", "leptomeningeal"})
_MALIG_CAT = frozenset({"basal-cell-skin", "squamous-cell-skin", "carcinoma-in-situ", "other"})
_EMPTY: Mapping[str, Any] = {}

_NO_LAB = (float("nan"), None, float("nan"))


def _group(d: Any, allowed: frozenset[str]) -> Mapping[str, Any]:
    if d is None:
        raise Odd
    if type(d) is not dict or not d.keys() <= allowed:
        raise Odd
    return d


def _opt_group(r: Mapping[str, Any], key: str, allowed: frozenset[str]) -> Mapping[str, Any]:
    d = r.get(key, _EMPTY)
    return d if d is _EMPTY else _group(d, allowed)


def _b(v: Any) -> Any:
    if v is None or v is True or v is False:
        return v
    raise Odd


def _choice(v: Any, allowed: frozenset[str]) -> Any:
    if v is None or (type(v) is str and v in allowed):
        return v
    raise Odd


def _text(v: Any, required: bool = False) -> Any:
    if v is None and not required:
        return v
    if type(v) is str and v == v.strip() and (v or not required):
        return v
    raise Odd


def _int(v: Any, low: int, high: float = math.inf) -> Any:
    if v is None or (type(v) is int and low <= v <= high):
        return v
    raise Odd


def _num(v: Any, low: float = 0.0, strict: bool = False) -> Any:
    if v is None:
        return v
    # a chained comparison also refuses NaN and infinity
    if (type(v) is float or type(v) is int) and low <= v < math.inf and (v != low or not strict):
        return float(v)
    raise Odd


def _date(v: Any) -> Any:
    if v is None or (type(v) is str and len(v) == 10):
        return v
    raise Odd


def _bc(v: Any) -> int:
    """A checked optional boolean as a column code: 0 false, 1 true, 2 unknown."""
    if v is None:
        return 2
    if v is True:
        return 1
    if v is False:
        return 0
    raise Odd


def _fc(v: Any, low: float = 0.0, strict: bool = False) -> float:
    """A checked optional number as a float column value (NaN when unknown)."""
    x = _num(v, low, strict)
    return NAN if x is None else float(x)


def _ic(v: Any, low: int, high: float = math.inf) -> float:
    x = _int(v, low, high)
    return NAN if x is None else float(x)


def _dc(v: Any) -> str:
    """A checked optional ISO date as text ("" when unknown); parsed column-wise later."""
    if v is None:
        return ""
    if type(v) is str and len(v) == 10:
        return v
    raise Odd


def _lab(i: int, name: str, lab: Any, out: LeanRows) -> tuple[float, str, float]:
    if type(lab) is not dict or not lab.keys() <= _LAB:
        raise Odd
    value, unit = lab.get("value"), lab.get("unit")
    if not ((type(value) is float or type(value) is int) and 0 <= value < math.inf):
        raise Odd
    if type(unit) is not str:
        raise Odd
    CACHES.unit(name, unit)
    low, high = lab.get("lower_limit"), lab.get("upper_limit")
    if low is not None or high is not None:
        low, high = _num(low), _num(high)
        if high is not None and (high <= 0 or (low is not None and low > high)):
            raise Odd
    day = lab.get("date")
    if day is not None:
        out.date_owners.append(i)
        out.date_texts.append(_date(day))
    return float(value), unit, NAN if high is None else high


def _lesion(i: int, d: Any, out: LeanRows, ids: set[str]) -> None:
    le = _group(d, _LESION)
    lid, organ = _text(le.get("id"), True), _text(le.get("organ"), True)
    if lid in ids or type(le.get("progressing")) is not bool:
        raise Odd
    ids.add(lid)
    nodal = le.get("nodal", False)
    if type(nodal) is not bool:
        raise Odd
    system = CACHES.system(organ)
    is_nodal = nodal or system == LYMPH_NODE_SYSTEM
    region_text = _text(le.get("lymph_node_region"))
    region = None
    if region_text is not None:
        if not nodal:
            raise Odd
        region = CACHES.region(region_text)
    bone = _choice(le.get("bone_type"), _BONE)
    if bone is not None and system != "bone":
        raise Odd
    irradiated = _b(le.get("previously_irradiated"))
    after = le.get("progressed_after_rt", False)
    if type(after) is not bool or (after and irradiated is False):
        raise Odd
    out.lesions.append(
        (
            i,
            lid,
            system_code(LYMPH_NODE_SYSTEM if is_nodal else system),
            is_nodal,
            region_code(region),
            _fc(le.get("longest_diameter_mm")),
            _fc(le.get("short_axis_mm")),
            _fc(le.get("slice_thickness_mm"), strict=True),
            MODALITY_CODES[_choice(le.get("modality", "CT"), _MODALITY)],
            BONE_CODES[bone],
            _fc(le.get("soft_tissue_component_mm")),
            KIND_CODES[_choice(le.get("kind", "solid"), _KIND)],
            le["progressing"],
            _bc(irradiated),
            after,
            _bc(le.get("amenable_to_rt")),
        )
    )


def extract_one(i: int, r: Any, out: LeanRows) -> None:
    """Check one parsed record and append its rows; raise :class:`Odd` when unsure."""
    if type(r) is not dict or not r.keys() <= _TOP:
        raise Odd
    consent = _opt_group(r, "consent", _CONSENT)
    diag = _opt_group(r, "diagnosis", _DIAG)
    flst = _opt_group(r, "flst", _FLST)
    start = _opt_group(flst, "at_start", _START)
    oligo = _opt_group(r, "oligoprogression", _OLIGO)
    labs = _opt_group(r, "labs", _LABS)
    hbv = _opt_group(r, "hbv", _HBV)
    hist = _opt_group(r, "history", _HIST)
    repro = _opt_group(r, "reproductive", _REPRO)
    samples = _opt_group(r, "samples", _SAMPLES)
    attest = _opt_group(r, "attestations", _ATTEST)
    screening = r.get("screening_date")
    if screening is None:
        raise Odd
    events = flst.get("adverse_events")
    ae_max = None
    if events is not None:
        if type(events) is not list:
            raise Odd
        ae_max = 0
        for e in events:
            ae = _group(e, _AE)
            _text(ae.get("term"), True)
            grade, attributed = _int(ae.get("grade"), 1, 5), ae.get("attributed_to_flst")
            if grade is None or type(attributed) is not bool:
                raise Odd
            day = _date(ae.get("onset_date"))
            if day is not None:
                out.date_owners.append(i)
                out.date_texts.append(day)
            if attributed and grade > ae_max:
                ae_max = grade
    lesions = oligo.get("lesions")
    ids: set[str] = set()
    if lesions is not None:
        if type(lesions) is not list:
            raise Odd
        for le in lesions:
            _lesion(i, le, out, ids)
    found = {}
    for name, lab in labs.items():
        if lab is not None:
            found[name] = _lab(i, name, lab, out)
    bili = found.get("bilirubin", _NO_LAB)
    alb = found.get("albumin", _NO_LAB)
    inr = found.get("inr", _NO_LAB)
    afp = found.get("afp", _NO_LAB)
    dna = found.get("hbv_dna", _NO_LAB)
    malignancies = hist.get("other_malignancies")
    if malignancies is not None:
        if type(malignancies) is not list:
            raise Odd
        for m in malignancies:
            mg = _group(m, _MALIG)
            _text(mg.get("diagnosis"), True)
            day, cat = _date(mg.get("diagnosis_date")), _choice(mg.get("category"), _MALIG_CAT)
            if day is None or cat is None:
                raise Odd
            out.date_owners.append(i)
            out.date_texts.append(day)
            out.malignancies.append((i, day, cat, _bc(mg.get("curatively_treated"))))
    courses = hist.get("prior_radiotherapy")
    if courses is not None:
        if type(courses) is not list:
            raise Odd
        for c in courses:
            course = _group(c, _RT)
            _text(course.get("site"), True)
            day = _date(course.get("date"))
            if day is not None:
                out.date_owners.append(i)
                out.date_texts.append(day)
            targets = course.get("lesion_ids", ())
            if type(targets) is not list and targets != ():
                raise Odd
            for lid in targets:
                if _text(lid, True) not in ids:
                    raise Odd
                out.rt_lesion_ids.append((i, lid))
    count = _int(start.get("tumour_count"), 0)
    mvi, ehs = _b(start.get("macrovascular_invasion")), _b(start.get("extrahepatic_spread"))
    if count == 0 and not (mvi or ehs):
        raise Odd
    _text(r.get("site")), _text(flst.get("regimen")), _b(flst.get("contains_ici"))
    _text(diag.get("source_document"))
    out.scalars.append(
        (
            _text(r.get("patient_id"), True),
            _dc(screening),
            _choice(r.get("sex"), _SEX),
            _dc(r.get("birth_date")),
            _bc(consent.get("signed")),
            _dc(consent.get("date")),
            _dc(consent.get("first_study_procedure_date")),
            _choice(diag.get("basis"), _BASIS),
            _dc(diag.get("date")),
            _choice(diag.get("histology"), _HISTOLOGY),
            _choice(flst.get("setting"), _SETTING),
            _dc(flst.get("start_date")),
            _dc(flst.get("disease_control_date")),
            _bc(flst.get("ongoing_at_oligoprogression")),
            _ic(flst.get("prior_lines_with_progression"), 0),
            _choice(start.get("bclc_stage"), _STAGE),
            _ic(start.get("ecog"), 0, 4),
            _bc(mvi),
            _bc(ehs),
            _ic(start.get("child_pugh_score"), 5, 15),
            NAN if count is None else count,
            _fc(start.get("largest_tumour_mm"), strict=True),
            NAN if ae_max is None else ae_max,
            _dc(oligo.get("date")),
            _choice(oligo.get("confirmed_by"), _CONFIRMED),
            _bc(oligo.get("prior_polymetastatic_disease")),
            _bc(oligo.get("prior_oligometastatic_disease")),
            2 if lesions is None else 1,
            _ic(r.get("ecog"), 0, 5),
            _choice(r.get("ascites"), _ASCITES),
            _choice(r.get("encephalopathy"), _ENCEPH),
            _bc(hbv.get("hbsag_positive")),
            _bc(hbv.get("on_antiviral")),
            2 if malignancies is None else 1,
            NAN if courses is None else len(courses),
            _bc(hist.get("in_other_interventional_study")),
            _bc(hist.get("received_investigational_therapy")),
            _dc(hist.get("last_investigational_therapy_date")),
            _bc(hist.get("autoimmune_disease")),
            _bc(hist.get("long_term_steroids")),
            _bc(hist.get("allergy_to_study_drug")),
            _bc(hist.get("organ_transplant")),
            _bc(hist.get("bleeding_brain_peritoneal_omental_metastases")),
            _bc(repro.get("pregnant")),
            _bc(repro.get("breastfeeding")),
            _bc(samples.get("tumour")),
            _bc(samples.get("blood")),
            _fc(attest.get("expected_survival_months")),
            _bc(attest.get("severe_comorbidity_or_active_infection")),
            _bc(attest.get("investigator_excludes")),
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


def extract(records: Sequence[Any]) -> LeanRows:
    """Rows of every plainly valid record; the positions of the others in ``odd``."""
    out = LeanRows()
    for i, r in enumerate(records):
        try:
            extract_one(i, r, out)
        except (Odd, TypeError, AttributeError):
            out.odd.append(i)
    return out
