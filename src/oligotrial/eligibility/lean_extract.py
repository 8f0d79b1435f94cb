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
from dataclasses import dataclass, field
from typing import Any

from oligotrial.clinical.anatomy import LYMPH_NODE_SYSTEM, lymph_node_region, organ_system
from oligotrial.eligibility import record as rec
from oligotrial.eligibility import record_parts as parts
from oligotrial.errors import InputError


class Odd(Exception):
    """The record is not plainly valid: let the pydantic model decide."""


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
    numeric = (type(v) is float or type(v) is int) and math.isfinite(v)
    if numeric and (v > low or (v == low and not strict)):
        return float(v)
    raise Odd


def _date(v: Any) -> Any:
    if v is None or (type(v) is str and len(v) == 10):
        return v
    raise Odd


@dataclass
class LeanRows:
    """Rows pulled from plainly valid records (``owner`` = position in the batch)."""

    owners: list[int] = field(default_factory=list)
    scalars: list[tuple[Any, ...]] = field(default_factory=list)
    lesions: list[tuple[Any, ...]] = field(default_factory=list)
    malignancies: list[tuple[Any, ...]] = field(default_factory=list)
    rt_lesion_ids: list[tuple[int, str]] = field(default_factory=list)
    other_dates: list[tuple[int, str]] = field(default_factory=list)
    labs: list[tuple[int, str, float, str]] = field(default_factory=list)
    odd: list[int] = field(default_factory=list)


# Names of the scalar columns, in row order.
SCALARS = (
    "patient_id", "screening_date", "sex", "birth_date", "consent_signed", "consent_date",
    "procedure_date", "basis", "diagnosis_date", "histology", "flst_setting", "flst_start",
    "disease_control", "ongoing", "prior_lines", "start_stage", "start_ecog", "start_mvi",
    "start_ehs", "start_cp", "start_count", "start_largest", "ae_max_grade", "oligo_date",
    "confirmed_by", "poly", "oligo", "has_lesions", "ecog", "ascites", "enceph", "hbsag",
    "antiviral", "hbv_dna_uln", "has_malignancy_list", "rt_courses", "interventional",
    "received_investigational", "investigational_date", "autoimmune", "steroids", "allergy",
    "transplant", "bleeding", "pregnant", "breastfeeding", "tumour_sample", "blood_sample",
    "expected_survival", "severe", "investigator_excludes",
)  # fmt: skip


@dataclass
class _Caches:
    systems: dict[str, str | None] = field(default_factory=dict)
    regions: dict[str, str | None] = field(default_factory=dict)

    def system(self, organ: str) -> str:
        if organ not in self.systems:
            try:
                self.systems[organ] = organ_system(organ)
            except InputError:
                self.systems[organ] = None
        found = self.systems[organ]
        if found is None:
            raise Odd
        return found

    def region(self, text: str) -> str:
        if text not in self.regions:
            try:
                self.regions[text] = lymph_node_region(text)
            except InputError:
                self.regions[text] = None
        found = self.regions[text]
        if found is None:
            raise Odd
        return found


_CACHES = _Caches()


def _lab(i: int, name: str, d: Any, out: LeanRows) -> Any:
    lab = _group(d, _LAB)
    value, unit = _num(lab.get("value")), lab.get("unit")
    if value is None or type(unit) is not str:
        raise Odd
    low, high = _num(lab.get("lower_limit")), _num(lab.get("upper_limit"))
    if high is not None and (high <= 0 or (low is not None and low > high)):
        raise Odd
    day = _date(lab.get("date"))
    if day is not None:
        out.other_dates.append((i, day))
    out.labs.append((i, name, value, unit))
    return high


def _lesion(i: int, d: Any, out: LeanRows, ids: set[str]) -> None:
    le = _group(d, _LESION)
    lid, organ = _text(le.get("id"), True), _text(le.get("organ"), True)
    if lid in ids or type(le.get("progressing")) is not bool:
        raise Odd
    ids.add(lid)
    nodal = le.get("nodal", False)
    if type(nodal) is not bool:
        raise Odd
    system = _CACHES.system(organ)
    is_nodal = nodal or system == LYMPH_NODE_SYSTEM
    region_text = _text(le.get("lymph_node_region"))
    region = None
    if region_text is not None:
        if not nodal:
            raise Odd
        region = _CACHES.region(region_text)
    bone = _choice(le.get("bone_type"), _BONE)
    if bone is not None and system != "bone":
        raise Odd
    irradiated = _b(le.get("previously_irradiated"))
    after = le.get("progressed_after_rt", False)
    if type(after) is not bool or (after and irradiated is False):
        raise Odd
    out.lesions.append(
        (
            i, lid, LYMPH_NODE_SYSTEM if is_nodal else system, is_nodal, region,
            _num(le.get("longest_diameter_mm")), _num(le.get("short_axis_mm")),
            _num(le.get("slice_thickness_mm"), strict=True),
            _choice(le.get("modality", "CT"), _MODALITY), bone,
            _num(le.get("soft_tissue_component_mm")),
            _choice(le.get("kind", "solid"), _KIND), le["progressing"], irradiated, after,
            _b(le.get("amenable_to_rt")),
        )
    )  # fmt: skip


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
                out.other_dates.append((i, day))
            if attributed and grade > ae_max:
                ae_max = grade
    lesions = oligo.get("lesions")
    ids: set[str] = set()
    if lesions is not None:
        if type(lesions) is not list:
            raise Odd
        for le in lesions:
            _lesion(i, le, out, ids)
    uln = None
    for name, lab in labs.items():
        if lab is not None:
            high = _lab(i, name, lab, out)
            if name == "hbv_dna":
                uln = high
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
            out.other_dates.append((i, day))
            out.malignancies.append((i, day, cat, _b(mg.get("curatively_treated"))))
    courses = hist.get("prior_radiotherapy")
    if courses is not None:
        if type(courses) is not list:
            raise Odd
        for c in courses:
            course = _group(c, _RT)
            _text(course.get("site"), True)
            day = _date(course.get("date"))
            if day is not None:
                out.other_dates.append((i, day))
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
            _text(r.get("patient_id"), True), _date(screening), _choice(r.get("sex"), _SEX),
            _date(r.get("birth_date")), _b(consent.get("signed")), _date(consent.get("date")),
            _date(consent.get("first_study_procedure_date")), _choice(diag.get("basis"), _BASIS),
            _date(diag.get("date")), _choice(diag.get("histology"), _HISTOLOGY),
            _choice(flst.get("setting"), _SETTING), _date(flst.get("start_date")),
            _date(flst.get("disease_control_date")), _b(flst.get("ongoing_at_oligoprogression")),
            _int(flst.get("prior_lines_with_progression"), 0),
            _choice(start.get("bclc_stage"), _STAGE), _int(start.get("ecog"), 0, 4), mvi, ehs,
            _int(start.get("child_pugh_score"), 5, 15), count,
            _num(start.get("largest_tumour_mm"), strict=True), ae_max, _date(oligo.get("date")),
            _choice(oligo.get("confirmed_by"), _CONFIRMED),
            _b(oligo.get("prior_polymetastatic_disease")),
            _b(oligo.get("prior_oligometastatic_disease")), lesions is not None,
            _int(r.get("ecog"), 0, 5), _choice(r.get("ascites"), _ASCITES),
            _choice(r.get("encephalopathy"), _ENCEPH), _b(hbv.get("hbsag_positive")),
            _b(hbv.get("on_antiviral")), uln, malignancies is not None,
            None if courses is None else len(courses),
            _b(hist.get("in_other_interventional_study")),
            _b(hist.get("received_investigational_therapy")),
            _date(hist.get("last_investigational_therapy_date")),
            _b(hist.get("autoimmune_disease")), _b(hist.get("long_term_steroids")),
            _b(hist.get("allergy_to_study_drug")), _b(hist.get("organ_transplant")),
            _b(hist.get("bleeding_brain_peritoneal_omental_metastases")),
            _b(repro.get("pregnant")), _b(repro.get("breastfeeding")),
            _b(samples.get("tumour")), _b(samples.get("blood")),
            _num(attest.get("expected_survival_months")),
            _b(attest.get("severe_comorbidity_or_active_infection")),
            _b(attest.get("investigator_excludes")),
        )
    )  # fmt: skip
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
