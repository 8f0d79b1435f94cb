"""The screening record: one patient at oligoprogression, with every datum the criteria use.

A record is validated once, with an explicit ``as_of`` date (default: today) given in the
validation context: no date may lie after it, and dates must be in their natural order
(birth < primary diagnosis <= FLST start <= disease control <= oligoprogression <=
screening; birth < consent). A field left ``null`` is unknown; the criteria that need it
answer *cannot tell* and name it by its dotted path (e.g. ``labs.albumin``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterator
from operator import attrgetter
from typing import Any, Literal, TypeVar

from pydantic import Field, ValidationInfo, model_validator

from oligotrial.eligibility.record_parts import (
    IRRADIATED_PROGRESSING,
    AdverseEvent,
    Ascites,
    Encephalopathy,
    Labs,
    LesionRecord,
    OtherMalignancy,
    Part,
    RadiotherapyCourse,
)
from oligotrial.strict import Day, FiniteNumber, Flag, Integer

T = TypeVar("T")
DiagnosisBasis = Literal["histology", "cytology", "clinical-guideline-2024", "none"]


class Consent(Part):
    signed: Flag | None = Field(default=None, description="written informed consent signed")
    date: Day | None = Field(default=None, description="date the consent was signed")
    first_study_procedure_date: Day | None = Field(
        default=None, description="date of the first study-specific procedure"
    )


class Diagnosis(Part):
    basis: DiagnosisBasis | None = Field(default=None, description="how HCC was diagnosed")
    date: Day | None = Field(default=None, description="date of the primary diagnosis")
    histology: Literal["hcc", "combined-hcc-cca", "other"] | None = None
    source_document: str | None = Field(default=None, description="report the basis rests on")


class FlstStart(Part):
    """The situation when first-line systemic therapy started (for BCLC at FLST start)."""

    bclc_stage: Literal["0", "A", "B", "C", "D"] | None = Field(
        default=None, description="stage entered by the site, used when it cannot be computed"
    )
    ecog: Integer | None = Field(default=None, ge=0, le=4)
    macrovascular_invasion: Flag | None = None
    extrahepatic_spread: Flag | None = None
    child_pugh_score: Integer | None = Field(default=None, ge=5, le=15)
    tumour_count: Integer | None = Field(default=None, ge=0, description="intrahepatic tumours")
    largest_tumour_mm: FiniteNumber | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _some_disease(self) -> FlstStart:
        if self.tumour_count == 0 and not (self.macrovascular_invasion or self.extrahepatic_spread):
            raise ValueError(
                "tumour_count: 0 intrahepatic tumours without vascular invasion or "
                "extrahepatic spread leaves nothing to stage"
            )
        return self


class Flst(Part):
    """First-line systemic therapy: the current line and earlier ones."""

    regimen: str | None = None
    contains_ici: Flag | None = Field(default=None, description="immune checkpoint inhibitor")
    setting: Literal["advanced", "adjuvant-after-curative-surgery"] | None = None
    start_date: Day | None = None
    disease_control_date: Day | None = Field(
        default=None, description="first scan showing stable disease or better on this line"
    )
    ongoing_at_oligoprogression: Flag | None = None
    prior_lines_with_progression: Integer | None = Field(
        default=None, ge=0, description="other first-line therapies that ended in progression"
    )
    at_start: FlstStart = Field(default_factory=FlstStart)
    adverse_events: tuple[AdverseEvent, ...] | None = Field(
        default=None, description="adverse events on FLST; [] when none"
    )


class Oligoprogression(Part):
    date: Day | None = None
    confirmed_by: Literal["imaging", "histopathology"] | None = None
    prior_polymetastatic_disease: Flag | None = Field(
        default=None, description="ever had polymetastatic disease (ESTRO-EORTC: induced)"
    )
    prior_oligometastatic_disease: Flag | None = Field(
        default=None, description="oligometastatic disease before this (ESTRO-EORTC: repeat)"
    )
    lesions: tuple[LesionRecord, ...] | None = None


class Hbv(Part):
    hbsag_positive: Flag | None = None
    on_antiviral: Flag | None = None


class History(Part):
    other_malignancies: tuple[OtherMalignancy, ...] | None = Field(
        default=None, description="other cancers ever; [] when none"
    )
    prior_radiotherapy: tuple[RadiotherapyCourse, ...] | None = Field(
        default=None, description="radiotherapy courses before screening; [] when none"
    )
    organ_transplant: Flag | None = None
    autoimmune_disease: Flag | None = None
    long_term_steroids: Flag | None = None
    allergy_to_study_drug: Flag | None = None
    bleeding_brain_peritoneal_omental_metastases: Flag | None = None
    in_other_interventional_study: Flag | None = None
    received_investigational_therapy: Flag | None = None
    last_investigational_therapy_date: Day | None = None


class Reproductive(Part):
    pregnant: Flag | None = None
    breastfeeding: Flag | None = None


class Samples(Part):
    tumour: Flag | None = Field(default=None, description="tumour tissue available")
    blood: Flag | None = Field(default=None, description="blood sample available")


class Attestations(Part):
    """What the investigator states and the software cannot compute."""

    expected_survival_months: FiniteNumber | None = Field(default=None, ge=0)
    severe_comorbidity_or_active_infection: Flag | None = None
    investigator_excludes: Flag | None = None


class ScreeningRecord(Part):
    """One patient at oligoprogression: everything the 27 criteria of NCT06841172 need."""

    patient_id: str = Field(min_length=1)
    site: str | None = None
    screening_date: Day = Field(description="date of screening (planned enrollment)")
    sex: Literal["female", "male"] | None = None
    birth_date: Day | None = None
    consent: Consent = Field(default_factory=Consent)
    diagnosis: Diagnosis = Field(default_factory=Diagnosis)
    flst: Flst = Field(default_factory=Flst)
    oligoprogression: Oligoprogression = Field(default_factory=Oligoprogression)
    labs: Labs = Field(default_factory=Labs)
    ecog: Integer | None = Field(default=None, ge=0, le=5)
    ascites: Ascites | None = None
    encephalopathy: Encephalopathy | None = None
    hbv: Hbv = Field(default_factory=Hbv)
    history: History = Field(default_factory=History)
    reproductive: Reproductive = Field(default_factory=Reproductive)
    samples: Samples = Field(default_factory=Samples)
    attestations: Attestations = Field(default_factory=Attestations)

    @model_validator(mode="after")
    def _dates(self, info: ValidationInfo) -> ScreeningRecord:
        context: Any = info.context or {}
        as_of = context.get("as_of") or dt.date.today()
        simple = _SIMPLE_GET(self)  # the nine dates in one call
        days = [day for day in simple if day is not None] + self._listed_dates()
        if max(days) > as_of:  # the first date after as_of, in the order of dates()
            path, day = next((p, d) for p, d in self._dated() if d > as_of)
            raise ValueError(f"{path}: {day} is in the future (after {as_of})")
        for earlier, later in _ORDER:
            a, b = simple[earlier], simple[later]
            if a is not None and b is not None and b < a:
                names = _SIMPLE_DATES[earlier][0], _SIMPLE_DATES[later][0]
                raise ValueError(f"{names[1]}: {b} is before {names[0]} ({a})")
        birth = self.birth_date
        if birth is not None and min(days) < birth:
            path, day = next((p, d) for p, d in self._dated() if d < birth)
            raise ValueError(f"{path}: {day} is before birth_date ({birth})")
        self._courses_match_lesions()
        return self

    def _courses_match_lesions(self) -> None:
        """A radiotherapy course names existing lesions, none of them marked never
        irradiated; a lesion it names that is progressing has progressed after RT."""
        lesions = self.oligoprogression.lesions or ()
        index = {lesion.id: i for i, lesion in enumerate(lesions)}
        if len(index) != len(lesions):
            raise ValueError("oligoprogression.lesions: lesion ids must be unique")
        courses = self.history.prior_radiotherapy
        if not courses:
            return
        for i, course in enumerate(courses):
            where = f"history.prior_radiotherapy.{i}.lesion_ids"
            unknown = sorted(set(course.lesion_ids) - set(index))
            if unknown:
                raise ValueError(f"{where}: no lesion with id {', '.join(unknown)}")
            for lesion_id in course.lesion_ids:
                k = index[lesion_id]
                lesion, path = lesions[k], f"oligoprogression.lesions.{k}"
                if lesion.previously_irradiated is False:
                    raise ValueError(
                        f"{path}.previously_irradiated: false, but {where} names lesion "
                        f"{lesion_id} as irradiated"
                    )
                if lesion.progressing and not lesion.progressed_after_rt:
                    raise ValueError(f"{path}.{IRRADIATED_PROGRESSING} ({where} names it)")

    def date_at(self, path: str) -> dt.date | None:
        node: Any = self
        for part in path.split("."):
            node = getattr(node, part, None)
        return node if isinstance(node, dt.date) else None

    def derived(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, once per record and ``key``: a value derived from this frozen
        record (a fact, a clinical object) is computed once however many rules use it.

        The values are kept in the model's private storage, made at the first use: a
        declared private attribute would cost a Python call in every validation."""
        memo: dict[Any, Any] | None = self.__pydantic_private__
        if memo is None:
            memo = {}
            object.__setattr__(self, "__pydantic_private__", memo)
        if key not in memo:
            memo[key] = compute()
        return memo[key]  # type: ignore[no-any-return]

    def dates(self) -> Iterator[tuple[str, dt.date]]:
        """Every date in the record with its dotted path."""
        return iter(self._dated())

    def _listed_dates(self) -> list[dt.date]:
        """The dates of :meth:`_dated` kept in lists and labs, without their paths (the
        checks name a path only when they refuse one)."""
        history, events = self.history, self.flst.adverse_events
        labs = self.labs.__dict__.values()
        out = [lab.date for lab in labs if lab is not None and lab.date is not None]
        if history.other_malignancies:
            out += [m.diagnosis_date for m in history.other_malignancies]
        if history.prior_radiotherapy:
            out += [c.date for c in history.prior_radiotherapy if c.date is not None]
        if events:
            out += [ae.onset_date for ae in events if ae.onset_date is not None]
        return out

    def _dated(self) -> list[tuple[str, dt.date]]:
        found = [(path, get(self)) for path, get in _SIMPLE_DATES]
        out = [(path, day) for path, day in found if day is not None]
        history, labs = self.history, self.labs
        if history.other_malignancies:
            out += [
                (f"history.other_malignancies.{i}.diagnosis_date", m.diagnosis_date)
                for i, m in enumerate(history.other_malignancies)
            ]
        if history.prior_radiotherapy:
            out += [
                (f"history.prior_radiotherapy.{i}.date", c.date)
                for i, c in enumerate(history.prior_radiotherapy)
                if c.date is not None
            ]
        if self.flst.adverse_events:
            out += [
                (f"flst.adverse_events.{i}.onset_date", ae.onset_date)
                for i, ae in enumerate(self.flst.adverse_events)
                if ae.onset_date is not None
            ]
        for name, path in _LAB_DATES:
            lab = getattr(labs, name)
            if lab is not None and lab.date is not None:
                out.append((path, lab.date))
        return out


_LAB_DATES = tuple((name, f"labs.{name}.date") for name in Labs.model_fields)
_SIMPLE_DATES = tuple(
    (path, attrgetter(path))
    for path in (
        "screening_date",
        "birth_date",
        "consent.date",
        "consent.first_study_procedure_date",
        "diagnosis.date",
        "flst.start_date",
        "flst.disease_control_date",
        "oligoprogression.date",
        "history.last_investigational_therapy_date",
    )
)
_SIMPLE_GET = attrgetter(*(path for path, _ in _SIMPLE_DATES))
_SIMPLE_INDEX = {path: i for i, (path, _) in enumerate(_SIMPLE_DATES)}
# (earlier, later), as positions in _SIMPLE_DATES: the later date may not come before the
# earlier one.
_ORDER = tuple(
    (_SIMPLE_INDEX[earlier], _SIMPLE_INDEX[later])
    for earlier, later in (
        ("diagnosis.date", "flst.start_date"),
        ("flst.start_date", "flst.disease_control_date"),
        ("flst.disease_control_date", "oligoprogression.date"),
        ("flst.start_date", "oligoprogression.date"),
        ("diagnosis.date", "oligoprogression.date"),
        ("oligoprogression.date", "screening_date"),
        ("diagnosis.date", "screening_date"),
        ("birth_date", "diagnosis.date"),
    )
)
