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
from operator import attrgetter
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
from oligotrial.eligibility.struct_lesions import (
    Codes,
    LesionTable,
    codes,
    lesion_table,
    numbers,
    padded,
)
from oligotrial.errors import InputError

_LABS: tuple[str, ...] = struct_for(Labs).__struct_fields__  # in the order of ``astuple``


def _flatten(lists: Sequence[Sequence[Any] | None]) -> tuple[Ints, list[Any]]:
    """(owner of each item, items) of per-record lists (``None`` = no list)."""
    counts = [0 if items is None else len(items) for items in lists]
    owner = np.repeat(np.arange(len(lists), dtype=np.int64), counts)
    return owner, list(chain.from_iterable(items for items in lists if items))


@functools.cache
def unit_known(analyte: str, unit: str) -> bool:
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
    dates.append((owner, [lab.date or "" for lab in labs]))
    index: dict[str, int] = {}
    unit_codes = [index.setdefault(lab.unit, len(index)) for lab in labs]
    return checked_labs(
        n,
        analyte,
        owner,
        np.array(unit_codes, dtype=np.int64),
        list(index),
        numbers([lab.value for lab in labs]),
        numbers([lab.lower_limit for lab in labs]),
        numbers([lab.upper_limit for lab in labs]),
        odd,
    )


def checked_labs(
    n: int,
    analyte: Ints,
    owner: Ints,
    unit: Ints,
    unit_words: list[str],
    value: Floats,
    low: Floats,
    high: Floats,
    odd: Bools,
) -> dict[str, tuple[Floats, Floats]]:
    """Canonical (value, upper limit) of the fact labs, from one row per lab given
    (``analyte``: position in ``LABS``; ``unit``: position in ``unit_words``); marks
    records with an impossible lab or an unknown unit."""
    with np.errstate(invalid="ignore"):
        bad = (value < 0) | (low < 0) | (high <= 0) | (low > high)
    width = max(len(unit_words), 1)
    pair = analyte * width + unit
    known = np.zeros(len(_LABS) * width, dtype=bool)
    for k in np.flatnonzero(np.bincount(pair, minlength=len(known))).tolist():
        known[k] = unit_known(_LABS[k // width], unit_words[k % width])
    bad |= ~known[pair]
    odd[owner[bad]] = True
    out: dict[str, tuple[Floats, Floats]] = {}
    for name in FACT_LABS:
        take = (analyte == _LABS.index(name)) & ~bad
        canonical, uln = np.full(n, np.nan), np.full(n, np.nan)
        canonical[owner[take]] = canonical_values(name, value[take], unit[take], unit_words)
        uln[owner[take]] = canonical_values(name, high[take], unit[take], unit_words)
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


# column name -> path of the field in the record, shared with :mod:`.json_columns`
TEXT_FIELDS = {
    "patient_id": "patient_id",
    "sex": "sex",
    "basis": "diagnosis.basis",
    "histology": "diagnosis.histology",
    "flst_setting": "flst.setting",
    "start_stage": "flst.at_start.bclc_stage",
    "confirmed_by": "oligoprogression.confirmed_by",
    "ascites": "ascites",
    "enceph": "encephalopathy",
}
FLAG_FIELDS = {
    "consent_signed": "consent.signed",
    "ongoing": "flst.ongoing_at_oligoprogression",
    "start_mvi": "flst.at_start.macrovascular_invasion",
    "start_ehs": "flst.at_start.extrahepatic_spread",
    "poly": "oligoprogression.prior_polymetastatic_disease",
    "oligo": "oligoprogression.prior_oligometastatic_disease",
    "hbsag": "hbv.hbsag_positive",
    "antiviral": "hbv.on_antiviral",
    "interventional": "history.in_other_interventional_study",
    "received_investigational": "history.received_investigational_therapy",
    "autoimmune": "history.autoimmune_disease",
    "steroids": "history.long_term_steroids",
    "allergy": "history.allergy_to_study_drug",
    "transplant": "history.organ_transplant",
    "bleeding": "history.bleeding_brain_peritoneal_omental_metastases",
    "pregnant": "reproductive.pregnant",
    "breastfeeding": "reproductive.breastfeeding",
    "tumour_sample": "samples.tumour",
    "blood_sample": "samples.blood",
    "severe": "attestations.severe_comorbidity_or_active_infection",
    "investigator_excludes": "attestations.investigator_excludes",
}
LIST_FLAGS = {  # code 1 when the list is given (even empty), 2 when unknown
    "has_lesions": "oligoprogression.lesions",
    "has_malignancy_list": "history.other_malignancies",
}
NUMBER_FIELDS = {
    "prior_lines": "flst.prior_lines_with_progression",
    "start_ecog": "flst.at_start.ecog",
    "start_cp": "flst.at_start.child_pugh_score",
    "start_count": "flst.at_start.tumour_count",
    "start_largest": "flst.at_start.largest_tumour_mm",
    "ecog": "ecog",
    "expected_survival": "attestations.expected_survival_months",
}
DAY_FIELDS = {
    "screening_date": "screening_date",
    "birth_date": "birth_date",
    "consent_date": "consent.date",
    "procedure_date": "consent.first_study_procedure_date",
    "diagnosis_date": "diagnosis.date",
    "flst_start": "flst.start_date",
    "disease_control": "flst.disease_control_date",
    "oligo_date": "oligoprogression.date",
    "investigational_date": "history.last_investigational_therapy_date",
}
LABS = _LABS


def _get(records: Sequence[Any], path: str) -> list[Any]:
    return list(map(attrgetter(path), records))


def struct_columns(records: Sequence[Any], odd: Bools, as_of: dt.date) -> Columns:
    """Columns of ``records`` (structs); ``odd`` marks records to leave to the model."""
    flst = _get(records, "flst")
    hist = _get(records, "history")
    text = {name: _get(records, path) for name, path in TEXT_FIELDS.items()}
    odd |= padded(text["patient_id"])
    flags = {name: _get(records, path) for name, path in FLAG_FIELDS.items()}
    for name, path in LIST_FLAGS.items():
        flags[name] = [None if x is None else True for x in _get(records, path)]
    nums = {name: numbers(_get(records, path)) for name, path in NUMBER_FIELDS.items()}
    nums["rt_courses"] = numbers(
        [None if h.prior_radiotherapy is None else len(h.prior_radiotherapy) for h in hist]
    )
    day_texts = {name: [d or "" for d in _get(records, path)] for name, path in DAY_FIELDS.items()}
    other_dates: list[tuple[Ints, list[str]]] = []
    nums["ae_max_grade"] = _adverse_events(flst, odd, other_dates)
    malignancies = _history(hist, odd, other_dates)
    labs = _labs(_get(records, "labs"), odd, other_dates)
    codes_ = {name: codes(values) for name, values in flags.items()}
    days = check_dates(day_texts, other_dates, as_of, odd)
    return finish_columns(
        len(records),
        text,
        days,
        codes_,
        nums,
        labs,
        odd,
        lesion_table(_get(records, "oligoprogression.lesions"), hist, odd),
        malignancies,
    )


def finish_columns(
    n: int,
    text: dict[str, Any],
    days: dict[str, Ints],
    codes_: dict[str, Codes],
    nums: dict[str, Floats],
    labs: dict[str, tuple[Floats, Floats]],
    odd: Bools,
    lesions: LesionTable,
    malignancies: Malignancies,
) -> Columns:
    """The batch's columns, after the checks that span several fields."""
    mvi, ehs = codes_["start_mvi"] == 1, codes_["start_ehs"] == 1
    odd |= (nums["start_count"] == 0) & ~(mvi | ehs)
    odd |= (labs["inr"][0] <= 0) | (labs["albumin"][0] <= 0)
    return Columns(
        n=n,
        text={name: np.asarray(values, dtype=object) for name, values in text.items()},
        days=days,
        codes=codes_,
        numbers=nums,
        labs=labs,
        odd=odd,
        lesions=lesions,
        malignancies=malignancies,
    )
