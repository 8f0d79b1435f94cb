"""Every fact of the catalogue for many patients at once, as (values, known) columns.

The same definitions as :mod:`oligotrial.eligibility.facts` (per patient), written over
numpy columns; clinical rules come from :mod:`oligotrial.clinical` (Child-Pugh array form)
or their vectorised counterparts in :mod:`oligotrial.eligibility.column_lesions` and below
(BCLC 2022, Reig 2022; ESTRO-EORTC, Guckenberger 2020; HBV, registry E7). Property tests
check that both paths give the same verdicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from oligotrial.clinical.bclc import (
    EARLY_MAX_NODULES,
    EARLY_NODULE_MAX_MM,
    END_STAGE_MIN_SCORE,
    VERY_EARLY_MAX_MM,
)
from oligotrial.clinical.child_pugh import (
    ASCITES_CODES,
    ENCEPHALOPATHY_CODES,
    child_pugh_score_array,
)
from oligotrial.clinical.oligo import SYNCHRONOUS_WINDOW_MONTHS
from oligotrial.eligibility.clinical_bridge import C_NOT_PRESERVED
from oligotrial.eligibility.column_lesions import lesion_facts
from oligotrial.eligibility.columns import NO_DAY, Columns, Objects, month_length

Column = tuple[npt.NDArray[Any], npt.NDArray[np.bool_]]
Bools = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


def _flag(c: Columns, name: str) -> tuple[Bools, Bools]:
    code = c.codes[name]
    return code == 1, code != 2


def _num(c: Columns, name: str) -> tuple[Floats, Bools]:
    values = c.numbers[name]
    return values, ~np.isnan(values)


def _cat(c: Columns, name: str) -> Column:
    raw = c.text[name]
    return raw, np.asarray(raw != None, dtype=bool)  # noqa: E711 (element-wise)


def _days_between(c: Columns, later: str, earlier: str) -> tuple[Floats, Bools]:
    a, b = c.days[later], c.days[earlier]
    known = (a != NO_DAY) & (b != NO_DAY)
    return np.where(known, a - b, 0).astype(np.float64), known


def _ymd(days: Ints) -> tuple[Ints, Ints, Ints]:
    """Year, month, day of days since 1970-01-01 (H. Hinnant's civil_from_days, in integer
    arithmetic; an unknown day reads as 1970-01-01)."""
    z = np.where(days == NO_DAY, 0, days) + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = np.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (m <= 2), m, d


def _codes_of(values: Objects, table: Mapping[str, float]) -> Floats:
    """The code of each word in ``table`` (NaN for none or another word)."""
    out = np.full(len(values), np.nan)
    for word, code in table.items():
        out[values == word] = code
    return out


def _kleene_and(*parts: tuple[Bools, Bools]) -> tuple[Bools, Bools]:
    false_any = np.zeros_like(parts[0][0])
    all_known_true = np.ones_like(parts[0][0])
    for value, known in parts:
        false_any |= known & ~value
        all_known_true &= known & value
    return all_known_true, false_any | all_known_true


def _bclc(c: Columns, settings: Mapping[str, Any]) -> Column:
    ecog, ecog_k = _num(c, "start_ecog")
    cp, cp_k = _num(c, "start_cp")
    count, count_k = _num(c, "start_count")
    largest, largest_k = _num(c, "start_largest")
    mvi, mvi_k = _flag(c, "start_mvi")
    ehs, ehs_k = _flag(c, "start_ehs")
    complete = ecog_k & cp_k & mvi_k & ehs_k
    early = mvi | ehs | (ecog >= 1) | (cp >= END_STAGE_MIN_SCORE)
    needs = ~early & (~count_k | ((count > 0) & ~largest_k))
    computable = complete & ~needs
    preserved_max = 7 if settings["bclc_preserved_liver_function"] == "child-pugh-B7" else 6
    advanced = mvi | ehs | (ecog == 1) | (ecog == 2)
    stage = np.select(
        [
            (cp >= END_STAGE_MIN_SCORE) | (ecog >= 3),
            advanced & (cp <= preserved_max),
            advanced,
            (count == 1) & (largest <= VERY_EARLY_MAX_MM),
            count == 1,
            (count <= EARLY_MAX_NODULES) & (largest <= EARLY_NODULE_MAX_MM),
        ],
        ["D", "C", C_NOT_PRESERVED, "0", "A", "A"],
        default="B",
    ).astype(object)
    entered, entered_k = _cat(c, "start_stage")
    values = np.where(computable, stage, entered)
    return values, computable | entered_k


def _estro(c: Columns, any_progressing: Bools, has_lesions: Bools) -> tuple[Column, Column]:
    poly, poly_k = _flag(c, "poly")
    oligo, oligo_k = _flag(c, "oligo")
    on, on_k = _flag(c, "ongoing")
    category = np.where(poly, "induced", np.where(oligo, "repeat", "de-novo")).astype(object)
    cat_known = (poly_k & poly) | (poly_k & oligo_k)
    de_novo = cat_known & (category == "de-novo")
    de_novo_possible = ~(poly_k & poly) & ~(oligo_k & oligo)
    primary, omd = c.days["diagnosis_date"], c.days["oligo_date"]
    y, m, d = _ymd(primary)
    index = m - 1 + SYNCHRONOUS_WINDOW_MONTHS
    y2, m2 = y + index // 12, index % 12 + 1
    d2 = np.minimum(d, month_length(y2, m2))
    oy, om, od = _ymd(omd)
    synchronous = (oy * 10000 + om * 100 + od) <= (y2 * 10000 + m2 * 100 + d2)
    dates_known = (primary != NO_DAY) & (omd != NO_DAY)
    state_known = on_k & has_lesions & ~(de_novo_possible & ~cat_known) & (~de_novo | dates_known)
    progressing = np.where(any_progressing, "oligoprogression", "oligopersistence")
    base = np.where(~on, "oligorecurrence", progressing).astype(object)
    state = np.where(de_novo & synchronous, "none", base).astype(object)
    return (category, cat_known), (state, state_known)


def _other_malignancy(c: Columns, settings: Mapping[str, Any]) -> tuple[Bools, Bools]:
    n = c.n
    has_list, _ = _flag(c, "has_malignancy_list")
    table = c.malignancies
    if not len(table.owner):
        return np.zeros(n, dtype=bool), has_list
    owner, diag, cured = table.owner, table.days, table.cured
    exempt = np.isin(table.category, list(settings["other_malignancy_exempt"]))
    y, m, d = _ymd(c.days["screening_date"])
    y0 = y - int(settings["other_malignancy_lookback_years"])
    d0 = np.where((m == 2) & (d == 29) & (month_length(y0, m) == 28), 28, d)
    since = (y0 * 10000 + m * 100 + d0)[owner]
    dy, dm, dd = _ymd(diag)
    within = (dy * 10000 + dm * 100 + dd) >= since
    counts = within & (~exempt | (cured == 0))
    unsure = within & exempt & (cured == 2)
    yes = np.bincount(owner[counts], minlength=n) > 0
    maybe = np.bincount(owner[unsure], minlength=n) > 0
    return yes, has_list & (yes | ~maybe)


def _lab(c: Columns, name: str) -> tuple[Floats, Bools]:
    values = c.labs[name][0]
    return values, ~np.isnan(values)


def column_facts(
    c: Columns, settings: Mapping[str, Any], names: tuple[str, ...]
) -> dict[str, Column]:
    """The facts ``names`` for every record of ``c``."""
    lesions = lesion_facts(c, bool(settings["irradiated_lesion_measurable_if_progressed"]))
    has_lesions, _ = _flag(c, "has_lesions")
    category, state = _estro(c, lesions.any_progressing, has_lesions)
    facts: dict[str, Column] = {
        "hcc_diagnosis_basis": _cat(c, "basis"),
        "oligoprogression_confirmed_by": _cat(c, "confirmed_by"),
        "oligoprogressive_lesion_count": lesions.count,
        "oligoprogressive_organ_systems": lesions.systems,
        "estro_eortc_category": category,
        "estro_eortc_state": state,
        "oligoprogression_on_current_flst": _flag(c, "ongoing"),
        "prior_flst_lines_with_progression": _num(c, "prior_lines"),
        "expected_survival_months": _num(c, "expected_survival"),
        "measurable_oligoprogressive_lesions": lesions.measurable,
        "all_oligoprogressive_lesions_amenable_to_rt": lesions.amenable,
        "oligoprogressive_lesions_previously_irradiated": lesions.irradiated,
        "ecog": _num(c, "ecog"),
        "tumour_sample_available": _flag(c, "tumour_sample"),
        "blood_sample_available": _flag(c, "blood_sample"),
        "days_flst_start_to_progression": _days_between(c, "oligo_date", "flst_start"),
        "flst_attributed_ae_max_grade": _num(c, "ae_max_grade"),
        "afp_ng_ml": _lab(c, "afp"),
        "other_malignancy_within_lookback": _other_malignancy(c, settings),
    }
    for fact, raw in (
        ("bleeding_brain_peritoneal_omental_metastases", "bleeding"),
        ("in_other_interventional_study", "interventional"),
        ("autoimmune_disease", "autoimmune"),
        ("long_term_steroids", "steroids"),
        ("severe_comorbidity_or_active_infection", "severe"),
        ("allergy_to_study_drug", "allergy"),
        ("organ_transplant", "transplant"),
        ("investigator_excludes", "investigator_excludes"),
    ):
        facts[fact] = _flag(c, raw)
    if settings["stable_disease_from"] == "disease-control-date":
        facts["stable_disease_days"] = _days_between(c, "oligo_date", "disease_control")
    else:
        facts["stable_disease_days"] = _days_between(c, "oligo_date", "flst_start")
    setting, setting_k = _cat(c, "flst_setting")
    facts["flst_adjuvant_after_curative_surgery"] = (
        setting == "adjuvant-after-curative-surgery", setting_k,
    )  # fmt: skip
    histology, histology_k = _cat(c, "histology")
    facts["combined_hcc_cholangiocarcinoma"] = (histology == "combined-hcc-cca", histology_k)
    facts["bclc_stage_at_flst_start"] = _bclc(c, settings)
    facts["child_pugh_score"] = _child_pugh(c)
    facts["consent_before_study_procedures"] = _consent(c)
    facts["age_at_consent_years"] = _age(c)
    facts["hbv_active_untreated"] = _hbv(c)
    facts["days_since_investigational_therapy"] = _investigational(c)
    facts["pregnant_or_breastfeeding"] = _pregnant(c)
    return {name: facts[name] for name in names}


def _child_pugh(c: Columns) -> tuple[Floats, Bools]:
    ascites = _codes_of(c.text["ascites"], ASCITES_CODES)
    enceph = _codes_of(c.text["enceph"], ENCEPHALOPATHY_CODES)
    bili, alb, inr = c.labs["bilirubin"][0], c.labs["albumin"][0], c.labs["inr"][0]
    known = ~(np.isnan(bili) | np.isnan(alb) | np.isnan(inr) | np.isnan(ascites) | np.isnan(enceph))
    safe = [np.where(known, a, 1.0) for a in (bili, alb, inr, ascites, enceph)]
    # albumin 0 would be refused by the array form; such rows are not known anyway
    safe[1] = np.where(safe[1] > 0, safe[1], 1.0)
    safe[2] = np.where(safe[2] > 0, safe[2], 1.0)
    scores = child_pugh_score_array(*safe).astype(np.float64)
    return scores, known


def _consent(c: Columns) -> tuple[Bools, Bools]:
    signed, signed_k = _flag(c, "consent_signed")
    date, proc = c.days["consent_date"], c.days["procedure_date"]
    refused = signed_k & ~signed
    date_k = date != NO_DAY
    before = (proc == NO_DAY) | (date <= proc)
    return np.where(refused, False, before), refused | (signed_k & date_k)


def _age(c: Columns) -> tuple[Floats, Bools]:
    birth, consent = c.days["birth_date"], c.days["consent_date"]
    known = (birth != NO_DAY) & (consent != NO_DAY)
    by, bm, bd = _ymd(birth)
    cy, cm, cd = _ymd(consent)
    years = cy - by - ((cm * 100 + cd) < (bm * 100 + bd))
    return years.astype(np.float64), known


def _hbv(c: Columns) -> tuple[Bools, Bools]:
    value, uln = c.labs["hbv_dna"]
    above = (value > uln, ~np.isnan(value) & ~np.isnan(uln))
    hbsag = _flag(c, "hbsag")
    antiviral, antiviral_k = _flag(c, "antiviral")
    return _kleene_and(hbsag, (~antiviral, antiviral_k), above)


def _investigational(c: Columns) -> tuple[Floats, Bools]:
    received, received_k = _flag(c, "received_investigational")
    days, days_k = _days_between(c, "screening_date", "investigational_date")
    never = received_k & ~received
    return np.where(never, np.inf, days), never | (received_k & received & days_k)


def _pregnant(c: Columns) -> tuple[Bools, Bools]:
    sex, sex_k = _cat(c, "sex")
    pregnant, pregnant_k = _flag(c, "pregnant")
    feeding, feeding_k = _flag(c, "breastfeeding")
    yes = pregnant | feeding
    female_known = yes | (pregnant_k & feeding_k)
    male = sex == "male"
    return np.where(male, False, yes), sex_k & (male | female_known)
