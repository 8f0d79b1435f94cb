"""Derive the named facts of one screening record (the per-patient path).

Each fact is a value or :class:`Missing`, which names the datum (dotted path in the
record) whose absence keeps the fact unknown. A number that is unknown but bounded
carries the bounds every completion of the missing data respects, so a rule that every
completion decides alike is decided (a missing datum that cannot change a verdict is not
asked for). Facts with bounds: ``child_pugh_score`` (each unknown item 1-3 points,
:func:`oligotrial.clinical.child_pugh_bounds.child_pugh_bounds`),
``oligoprogressive_lesion_count`` (a node without its region may join a known region or
form a new one), ``measurable_oligoprogressive_lesions`` and
``oligoprogressive_lesions_previously_irradiated`` (each undecided lesion adds 0 or 1).
``oligoprogressive_organ_systems`` does not need node regions (all nodes are one system).
``bclc_stage_at_flst_start`` carries the stages still possible
(:func:`oligotrial.clinical.bclc_bounds.possible_bclc_stages`). No bounds: ages and day
counts (an unknown date may lie anywhere).
Clinical rules come from :mod:`oligotrial.clinical` (Child-Pugh: Pugh 1973; RECIST 1.1
measurability and lesion counting: Eisenhauer 2009 and the NCT06841172 registry,
inclusion 3; BCLC 2022: Reig 2022; ESTRO-EORTC classes: Guckenberger 2020). Calendar
rules: age is completed years on the consent date; the other-malignancy window reaches back
whole calendar years from the screening date, inclusive; day counts are date differences
(FLST start is day 0).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable
from operator import attrgetter
from typing import Any

from oligotrial.clinical.child_pugh_bounds import child_pugh_bounds
from oligotrial.eligibility import clinical_bridge as bridge
from oligotrial.eligibility.canonical import canonical
from oligotrial.eligibility.fact_value import FactValue, Missing, Settings
from oligotrial.eligibility.fact_value import need as _need
from oligotrial.eligibility.lesion_facts import (
    amenable,
    clinical_lesion,
    count_irradiated,
    lesion_counts,
    measurable,
    oligo_site,
)
from oligotrial.eligibility.record import ScreeningRecord

__all__ = ["FactValue", "Missing", "Settings", "clinical_lesion", "derive_fact", "derive_facts"]


def _completed_years(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


def _child_pugh(r: ScreeningRecord, s: Settings) -> FactValue:
    labs = r.labs
    bilirubin, albumin, inr = labs.bilirubin, labs.albumin, labs.inr
    return _child_pugh_of(
        None if bilirubin is None else canonical("bilirubin", bilirubin.value, bilirubin.unit),
        None if albumin is None else canonical("albumin", albumin.value, albumin.unit),
        None if inr is None else inr.value,
        r.ascites,
        r.encephalopathy,
    )


_CHILD_PUGH_PATHS = ("labs.bilirubin", "labs.albumin", "labs.inr", "ascites", "encephalopathy")


@functools.lru_cache(maxsize=4096)
def _child_pugh_of(
    bilirubin: float | None,
    albumin: float | None,
    inr: float | None,
    ascites: str | None,
    encephalopathy: str | None,
) -> FactValue:
    """The score, or its bounds with the missing items, once per distinct set of items (lab
    values at laboratory precision repeat; the score depends on the values only)."""
    items = (bilirubin, albumin, inr, ascites, encephalopathy)
    gap = tuple(path for path, v in zip(_CHILD_PUGH_PATHS, items, strict=True) if v is None)
    bounds = child_pugh_bounds(
        bilirubin_umol_l=bilirubin,
        albumin_g_l=albumin,
        inr=inr,
        ascites=ascites,
        encephalopathy=encephalopathy,
    )
    return Missing(gap, bounds.low, bounds.high) if gap else bounds.low


def _days(later: dt.date | None, earlier: dt.date | None, paths: tuple[str, str]) -> FactValue:
    if later is not None and earlier is not None:
        return (later - earlier).days
    return Missing(tuple(p for p, d in zip(paths, (later, earlier), strict=True) if d is None))


def _stable_days(r: ScreeningRecord, s: Settings) -> FactValue:
    if s["stable_disease_from"] == "disease-control-date":
        start, path = r.flst.disease_control_date, "flst.disease_control_date"
    else:
        start, path = r.flst.start_date, "flst.start_date"
    return _days(r.oligoprogression.date, start, ("oligoprogression.date", path))


def _age(r: ScreeningRecord, s: Settings) -> FactValue:
    born, consented = r.birth_date, r.consent.date
    if born is not None and consented is not None:
        return _completed_years(born, consented)
    return _need(birth_date=born, consent__date=consented)


def _consent(r: ScreeningRecord, s: Settings) -> FactValue:
    c = r.consent
    if c.signed is False:
        return False
    gap = _need(consent__signed=c.signed, consent__date=c.date)
    if gap or c.date is None:
        return gap
    return c.first_study_procedure_date is None or c.date <= c.first_study_procedure_date


def _ae_grade(r: ScreeningRecord, s: Settings) -> FactValue:
    events = r.flst.adverse_events
    if events is None:
        return Missing(("flst.adverse_events",))
    return max((e.grade for e in events if e.attributed_to_flst), default=0)


def _afp(r: ScreeningRecord, s: Settings) -> FactValue:
    afp = r.labs.afp
    if afp is None:
        return Missing(("labs.afp",))
    return canonical("afp", afp.value, afp.unit)


def _other_malignancy(r: ScreeningRecord, s: Settings) -> FactValue:
    history = r.history.other_malignancies
    if history is None:
        return Missing(("history.other_malignancies",))
    since = _years_before(r.screening_date, int(s["other_malignancy_lookback_years"]))
    exempt = set(s["other_malignancy_exempt"])
    unknown: list[str] = []
    for i, m in enumerate(history):
        if m.diagnosis_date < since:
            continue
        if m.category not in exempt or m.curatively_treated is False:
            return True
        if m.curatively_treated is None:
            unknown.append(f"history.other_malignancies.{i}.curatively_treated")
    return Missing(tuple(unknown)) if unknown else False


def _investigational(r: ScreeningRecord, s: Settings) -> FactValue:
    h = r.history
    if h.received_investigational_therapy is False:
        return math.inf
    if h.received_investigational_therapy is None:
        return Missing(("history.received_investigational_therapy",))
    return _days(
        r.screening_date,
        h.last_investigational_therapy_date,
        ("screening_date", "history.last_investigational_therapy_date"),
    )


def _pregnant(r: ScreeningRecord, s: Settings) -> FactValue:
    if r.sex is None:
        return Missing(("sex",))
    if r.sex == "male":
        return False
    p = r.reproductive
    if p.pregnant or p.breastfeeding:
        return True
    gap = _need(reproductive__pregnant=p.pregnant, reproductive__breastfeeding=p.breastfeeding)
    return gap if gap else False


def _estro_eortc(r: ScreeningRecord) -> tuple[Any, Any]:
    return r.derived("estro_eortc", lambda: bridge.estro_eortc(r))


def _value(value: Any, path: str) -> FactValue:
    return Missing((path,)) if value is None else value


def _simple(path: str) -> Callable[..., FactValue]:
    """The record field at ``path`` as it is (missing when absent)."""
    getter, absent = attrgetter(path), Missing((path,))

    def field(r: ScreeningRecord, s: Settings) -> FactValue:
        value = getter(r)
        return absent if value is None else value

    return field


# The facts that are a record field as it is (missing when absent), by dotted path.
_FIELDS: dict[str, str] = {
    "hcc_diagnosis_basis": "diagnosis.basis",
    "oligoprogression_confirmed_by": "oligoprogression.confirmed_by",
    "oligoprogression_on_current_flst": "flst.ongoing_at_oligoprogression",
    "prior_flst_lines_with_progression": "flst.prior_lines_with_progression",
    "expected_survival_months": "attestations.expected_survival_months",
    "ecog": "ecog",
    "tumour_sample_available": "samples.tumour",
    "blood_sample_available": "samples.blood",
    "bleeding_brain_peritoneal_omental_metastases": (
        "history.bleeding_brain_peritoneal_omental_metastases"
    ),
    "in_other_interventional_study": "history.in_other_interventional_study",
    "autoimmune_disease": "history.autoimmune_disease",
    "long_term_steroids": "history.long_term_steroids",
    "severe_comorbidity_or_active_infection": "attestations.severe_comorbidity_or_active_infection",
    "allergy_to_study_drug": "history.allergy_to_study_drug",
    "organ_transplant": "history.organ_transplant",
    "investigator_excludes": "attestations.investigator_excludes",
    "flst_contains_ici": "flst.contains_ici",
}

_DERIVE: dict[str, Callable[[ScreeningRecord, Settings], FactValue]] = {
    **{name: _simple(path) for name, path in _FIELDS.items()},
    "bclc_stage_at_flst_start": bridge.bclc_at_flst_start,
    "estro_eortc_category": lambda r, s: _estro_eortc(r)[0],
    "estro_eortc_state": lambda r, s: _estro_eortc(r)[1],
    "stable_disease_days": _stable_days,
    "measurable_oligoprogressive_lesions": measurable,
    "all_oligoprogressive_lesions_amenable_to_rt": amenable,
    "child_pugh_score": _child_pugh,
    "consent_before_study_procedures": _consent,
    "age_at_consent_years": _age,
    "flst_adjuvant_after_curative_surgery": lambda r, s: _value(
        None if r.flst.setting is None else r.flst.setting == "adjuvant-after-curative-surgery",
        "flst.setting",
    ),
    "days_flst_start_to_progression": lambda r, s: _days(
        r.oligoprogression.date, r.flst.start_date, ("oligoprogression.date", "flst.start_date")
    ),
    "combined_hcc_cholangiocarcinoma": lambda r, s: _value(
        None if r.diagnosis.histology is None else r.diagnosis.histology == "combined-hcc-cca",
        "diagnosis.histology",
    ),
    "flst_attributed_ae_max_grade": _ae_grade,
    "oligoprogressive_lesions_previously_irradiated": count_irradiated,
    "hbv_active_untreated": lambda r, s: bridge.hbv_active(r),
    "afp_ng_ml": _afp,
    "other_malignancy_within_lookback": _other_malignancy,
    "days_since_investigational_therapy": _investigational,
    "pregnant_or_breastfeeding": _pregnant,
    "oligoprogression_site": oligo_site,
}


def derive_fact(name: str, record: ScreeningRecord, settings: Settings) -> FactValue:
    """One fact for one record (``settings``: derivation settings, defaults filled in)."""
    if name in ("oligoprogressive_lesion_count", "oligoprogressive_organ_systems"):
        lesions, systems = lesion_counts(record, settings)
        return lesions if name == "oligoprogressive_lesion_count" else systems
    return _DERIVE[name](record, settings)


_PAIRED = ("oligoprogressive_lesion_count", "oligoprogressive_organ_systems")
_ESTRO = ("estro_eortc_category", "estro_eortc_state")
Plan = tuple[
    tuple[str, ...],
    Callable[[ScreeningRecord], tuple[Any, ...]],
    tuple[Missing, ...],
    bool,
    tuple[tuple[int, str], ...],
    tuple[tuple[str, Callable[[ScreeningRecord, Settings], FactValue]], ...],
]


@functools.lru_cache(maxsize=64)
def _plan(names: tuple[str, ...]) -> Plan:
    """How to derive ``names``: the plain fields read in one call, the lesion counts and the
    ESTRO-EORTC pair each computed once, then the rest one by one."""
    fields = tuple(name for name in names if name in _FIELDS)
    paths = [_FIELDS[name] for name in fields]
    if len(paths) == 1:
        one = attrgetter(paths[0])
        get: Callable[[ScreeningRecord], tuple[Any, ...]] = lambda r: (one(r),)  # noqa: E731
    else:
        get = attrgetter(*paths) if paths else lambda r: ()
    estro = tuple((_ESTRO.index(name), name) for name in names if name in _ESTRO)
    rest = tuple(
        (name, _DERIVE[name])
        for name in names
        if name not in _FIELDS and name not in _PAIRED and name not in _ESTRO
    )
    absent = tuple(Missing((path,)) for path in paths)
    return fields, get, absent, any(name in _PAIRED for name in names), estro, rest


def derive_facts(
    record: ScreeningRecord, settings: Settings, names: tuple[str, ...]
) -> dict[str, FactValue]:
    """The facts ``names`` for one record."""
    fields, get, absent, counts, estro, rest = _plan(names)
    out: dict[str, FactValue] = {
        name: gap if value is None else value
        for name, value, gap in zip(fields, get(record), absent, strict=True)
    }
    if counts:
        out[_PAIRED[0]], out[_PAIRED[1]] = lesion_counts(record, settings)
    if estro:
        pair = _estro_eortc(record)
        for index, name in estro:
            out[name] = pair[index]
    for name, derive in rest:
        out[name] = derive(record, settings)
    return out
