"""Typed columns of a batch of decoded records (see :mod:`.fast_decode`), built field by
field over the whole batch rather than record by record.

The structs already carry checked types, ranges and words; this adds, on whole columns,
what the pydantic model checks in Python: text without surrounding spaces, lab values and
reference ranges, known units, the lesion checks (:mod:`.struct_lesions`), calendar dates,
no date after ``as_of``, dates in order and not before birth (:mod:`.columns`). A record
failing one of them is marked odd, and the model decides it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np
from msgspec.structs import astuple

from oligotrial.clinical.units import to_canonical
from oligotrial.eligibility.columns import (
    FACT_LABS,
    Bools,
    Columns,
    Floats,
    Ints,
    Malignancies,
    canonical_values,
    check_dates,
    parse_days,
)
from oligotrial.eligibility.fast_decode import struct_for
from oligotrial.eligibility.record_parts import Labs
from oligotrial.eligibility.struct_lesions import codes, lesion_table, numbers, padded
from oligotrial.errors import InputError

_LABS: tuple[str, ...] = struct_for(Labs).__struct_fields__  # in the order of ``astuple``


def _flatten(lists: Sequence[Sequence[Any] | None]) -> tuple[Ints, list[Any]]:
    """(owner of each item, items) of per-record lists (``None`` = no list)."""
    counts = [0 if items is None else len(items) for items in lists]
    owner = np.repeat(np.arange(len(lists), dtype=np.int64), counts)
    return owner, list(chain.from_iterable(items for items in lists if items))


@functools.cache
def _unit_known(analyte: str, unit: str) -> bool:
    try:
        to_canonical(analyte, 1.0, unit)
    except InputError:
        return False
    return True


def _labs(
    groups: Sequence[Any], odd: Bools, dates: list[tuple[Ints, list[str]]]
) -> dict[str, tuple[Floats, Floats]]:
    """Canonical (value, upper limit) of the fact labs; checks every lab."""
    n = len(groups)
    columns = list(zip(*map(astuple, groups), strict=True)) if n else [()] * len(_LABS)
    analyte, owner = np.nonzero([[lab is not None for lab in column] for column in columns])
    labs = [lab for column in columns for lab in column if lab is not None]
    units = [lab.unit for lab in labs]
    value = numbers([lab.value for lab in labs])
    low = numbers([lab.lower_limit for lab in labs])
    high = numbers([lab.upper_limit for lab in labs])
    with np.errstate(invalid="ignore"):
        bad = (value < 0) | (low < 0) | (high <= 0) | (low > high)
    pairs = list(zip(analyte.tolist(), units, strict=True))
    if not all(_unit_known(_LABS[k], u) for k, u in set(pairs)):
        bad |= np.array([not _unit_known(_LABS[k], u) for k, u in pairs], dtype=bool)
    odd[owner[bad]] = True
    dates.append((owner, [lab.date or "" for lab in labs]))
    unit_array = np.array(units, dtype=object)
    out: dict[str, tuple[Floats, Floats]] = {}
    for name in FACT_LABS:
        take = (analyte == _LABS.index(name)) & ~bad
        canonical, uln = np.full(n, np.nan), np.full(n, np.nan)
        canonical[owner[take]] = canonical_values(name, value[take], unit_array[take])
        uln[owner[take]] = canonical_values(name, high[take], unit_array[take])
        out[name] = (canonical, uln)
    return out


def _adverse_events(flst: Sequence[Any], odd: Bools, dates: list[tuple[Ints, list[str]]]) -> Floats:
    """Highest grade of an FLST-attributed adverse event (0 none, NaN no list)."""
    lists = [f.adverse_events for f in flst]
    owner, events = _flatten(lists)
    odd[owner[padded([e.term for e in events])]] = True
    dates.append((owner, [e.onset_date or "" for e in events]))
    worst = np.array([np.nan if e is None else 0.0 for e in lists])
    attributed = np.array([e.attributed_to_flst for e in events], dtype=bool)
    grade = np.array([e.grade for e in events], dtype=np.float64)
    np.maximum.at(worst, owner[attributed], grade[attributed])
    return worst


def _history(hist: Sequence[Any], odd: Bools, dates: list[tuple[Ints, list[str]]]) -> Malignancies:
    owner, found = _flatten([h.other_malignancies for h in hist])
    odd[owner[padded([m.diagnosis for m in found])]] = True
    diagnosed = [m.diagnosis_date for m in found]
    dates.append((owner, diagnosed))
    course_owner, courses = _flatten([h.prior_radiotherapy for h in hist])
    odd[course_owner[padded([c.site for c in courses])]] = True
    dates.append((course_owner, [c.date or "" for c in courses]))
    return Malignancies(
        owner=owner,
        days=parse_days(diagnosed)[0],
        category=np.array([m.category for m in found], dtype=object),
        cured=codes([m.curatively_treated for m in found]),
    )


def struct_columns(records: Sequence[Any], odd: Bools, as_of: dt.date) -> Columns:
    """Columns of ``records`` (structs); ``odd`` marks records to leave to the model."""
    consent = [r.consent for r in records]
    diag = [r.diagnosis for r in records]
    flst = [r.flst for r in records]
    start = [f.at_start for f in flst]
    oligo = [r.oligoprogression for r in records]
    hbv = [r.hbv for r in records]
    hist = [r.history for r in records]
    repro = [r.reproductive for r in records]
    samples = [r.samples for r in records]
    attest = [r.attestations for r in records]
    lesion_lists = [o.lesions for o in oligo]
    ids = [r.patient_id for r in records]
    odd |= padded(ids)
    text = {
        "patient_id": ids,
        "sex": [r.sex for r in records],
        "basis": [d.basis for d in diag],
        "histology": [d.histology for d in diag],
        "flst_setting": [f.setting for f in flst],
        "start_stage": [s.bclc_stage for s in start],
        "confirmed_by": [o.confirmed_by for o in oligo],
        "ascites": [r.ascites for r in records],
        "enceph": [r.encephalopathy for r in records],
    }
    flags = {
        "consent_signed": [c.signed for c in consent],
        "ongoing": [f.ongoing_at_oligoprogression for f in flst],
        "start_mvi": [s.macrovascular_invasion for s in start],
        "start_ehs": [s.extrahepatic_spread for s in start],
        "poly": [o.prior_polymetastatic_disease for o in oligo],
        "oligo": [o.prior_oligometastatic_disease for o in oligo],
        "has_lesions": [None if x is None else True for x in lesion_lists],
        "hbsag": [h.hbsag_positive for h in hbv],
        "antiviral": [h.on_antiviral for h in hbv],
        "has_malignancy_list": [None if h.other_malignancies is None else True for h in hist],
        "interventional": [h.in_other_interventional_study for h in hist],
        "received_investigational": [h.received_investigational_therapy for h in hist],
        "autoimmune": [h.autoimmune_disease for h in hist],
        "steroids": [h.long_term_steroids for h in hist],
        "allergy": [h.allergy_to_study_drug for h in hist],
        "transplant": [h.organ_transplant for h in hist],
        "bleeding": [h.bleeding_brain_peritoneal_omental_metastases for h in hist],
        "pregnant": [r.pregnant for r in repro],
        "breastfeeding": [r.breastfeeding for r in repro],
        "tumour_sample": [s.tumour for s in samples],
        "blood_sample": [s.blood for s in samples],
        "severe": [a.severe_comorbidity_or_active_infection for a in attest],
        "investigator_excludes": [a.investigator_excludes for a in attest],
    }
    count = [s.tumour_count for s in start]
    nums = {
        "prior_lines": numbers([f.prior_lines_with_progression for f in flst]),
        "start_ecog": numbers([s.ecog for s in start]),
        "start_cp": numbers([s.child_pugh_score for s in start]),
        "start_count": numbers(count),
        "start_largest": numbers([s.largest_tumour_mm for s in start]),
        "ecog": numbers([r.ecog for r in records]),
        "rt_courses": numbers(
            [None if h.prior_radiotherapy is None else len(h.prior_radiotherapy) for h in hist]
        ),
        "expected_survival": numbers([a.expected_survival_months for a in attest]),
    }
    day_texts = {
        "screening_date": [r.screening_date for r in records],
        "birth_date": [r.birth_date or "" for r in records],
        "consent_date": [c.date or "" for c in consent],
        "procedure_date": [c.first_study_procedure_date or "" for c in consent],
        "diagnosis_date": [d.date or "" for d in diag],
        "flst_start": [f.start_date or "" for f in flst],
        "disease_control": [f.disease_control_date or "" for f in flst],
        "oligo_date": [o.date or "" for o in oligo],
        "investigational_date": [h.last_investigational_therapy_date or "" for h in hist],
    }
    other_dates: list[tuple[Ints, list[str]]] = []
    nums["ae_max_grade"] = _adverse_events(flst, odd, other_dates)
    malignancies = _history(hist, odd, other_dates)
    labs = _labs([r.labs for r in records], odd, other_dates)
    codes_ = {name: codes(values) for name, values in flags.items()}
    mvi, ehs = codes_["start_mvi"] == 1, codes_["start_ehs"] == 1
    odd |= (nums["start_count"] == 0) & ~(mvi | ehs)
    days = check_dates(day_texts, other_dates, as_of, odd)
    odd |= (labs["inr"][0] <= 0) | (labs["albumin"][0] <= 0)
    return Columns(
        n=len(records),
        text={name: np.array(values, dtype=object) for name, values in text.items()},
        days=days,
        codes=codes_,
        numbers=nums,
        labs=labs,
        odd=odd,
        lesions=lesion_table(lesion_lists, hist, odd),
        malignancies=malignancies,
    )
