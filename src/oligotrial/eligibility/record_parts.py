"""Parts of the screening record: labs with units and reference ranges, lesions, history.

Every model forbids unknown fields (a misspelt field is an error, not silently dropped),
takes values strictly (:mod:`oligotrial.strict`: ``true`` is not 1, ``"30"`` is not a
number, NaN and infinity are refused) and refuses impossible or contradictory values
(negative sizes, INR <= 0, ECOG outside 0-5, a short axis longer than the longest
diameter, an irradiated lesion progressing but not progressed after radiotherapy). A field left
out (``null``) is *unknown*: the criteria that need it answer *cannot tell* and name it.
Units are checked against the clinical unit table (:mod:`oligotrial.clinical.units`);
an unknown unit is an error, never a guess.
"""

from __future__ import annotations

import functools
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from oligotrial.clinical.anatomy import lymph_node_region_code, organ_system
from oligotrial.clinical.lesions import Lesion, lymph_node_region
from oligotrial.eligibility.canonical import canonical
from oligotrial.errors import InputError
from oligotrial.strict import Day, FiniteNumber, Flag, Integer


class Part(BaseModel):
    """Base of every record part: frozen, unknown fields forbidden."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Lab(Part):
    """One laboratory result with its unit and the site laboratory's reference range.

    ``lower_limit``/``upper_limit`` are in the same unit as ``value``.
    """

    value: FiniteNumber = Field(description="result as reported")
    unit: str = Field(description="unit as reported, e.g. 'mg/dL', 'µmol/L', 'IU/mL'")
    date: Day | None = Field(default=None, description="date the sample was taken")
    lower_limit: FiniteNumber | None = Field(default=None, description="site reference range, low")
    upper_limit: FiniteNumber | None = Field(default=None, description="site reference range, high")

    @model_validator(mode="after")
    def _limits(self) -> Lab:
        """Values 0 or more, an upper limit above 0 and not below the lower one: one check
        per lab (a record holds nine labs)."""
        value, low, high = self.value, self.lower_limit, self.upper_limit
        for name, number in (("value", value), ("lower_limit", low), ("upper_limit", high)):
            if number is not None and number < 0:
                raise ValueError(f"{name}: must be a finite number 0 or more, got {number}")
        if high is not None and high <= 0:
            raise ValueError(f"upper_limit: must be greater than 0, got {high}")
        if low is not None and high is not None and low > high:
            raise ValueError("lower_limit is above upper_limit")
        return self


class Labs(Part):
    """Laboratory results at screening (oligoprogression)."""

    bilirubin: Lab | None = Field(default=None, description="total bilirubin, µmol/L or mg/dL")
    albumin: Lab | None = Field(default=None, description="albumin, g/L or g/dL")
    inr: Lab | None = Field(default=None, description="INR, unitless (unit '')")
    afp: Lab | None = Field(default=None, description="alpha-fetoprotein, ng/mL or IU/mL")
    hbv_dna: Lab | None = Field(
        default=None, description="HBV DNA, IU/mL, with the site laboratory's upper limit"
    )
    alt: Lab | None = None
    ast: Lab | None = None
    platelets: Lab | None = None
    neutrophils: Lab | None = None

    @model_validator(mode="after")
    def _units_and_values(self) -> Labs:
        """Every lab's unit known to the clinical unit table; INR and albumin above 0.
        One check for all labs (each field on its own was nine calls per record)."""
        for name, lab in self.__dict__.items():
            if lab is None:
                continue
            try:  # the facts' own call (same cache entry); a refusal names no field
                canonical(name, lab.value, lab.unit)
            except InputError as exc:
                raise ValueError(f"{name}.unit: {exc.problem}") from None
            if name in _POSITIVE and lab.value <= 0:
                raise ValueError(f"{name}.value: {name} must be greater than 0, got {lab.value}")
        return self


_POSITIVE = frozenset({"inr", "albumin"})
Ascites = Literal["none", "mild", "moderate-severe"]
Encephalopathy = Literal["none", "grade-1-2", "grade-3-4"]


class LesionRecord(Part):
    """One lesion at oligoprogression (sizes in mm), as imaging and the RT team report it."""

    id: str = Field(min_length=1, description="lesion label, unique within the record")
    organ: str = Field(
        min_length=1,
        description="organ code (clinical.anatomy.organ_vocabulary), e.g. 'liver', 'lung', "
        "'bone'; known aliases ('Liver segment 7', 'left lung') are stored as their code",
    )
    nodal: Flag = False
    lymph_node_region: str | None = Field(
        default=None,
        description="lymph-node station or region code, e.g. '16a1', '12p', "
        "'supraclavicular-left' (clinical.anatomy.lymph_node_region_vocabulary)",
    )
    longest_diameter_mm: FiniteNumber | None = Field(default=None, ge=0)
    short_axis_mm: FiniteNumber | None = Field(default=None, ge=0)
    slice_thickness_mm: FiniteNumber | None = Field(default=None, gt=0)
    modality: Literal["CT", "MRI", "PET-CT", "X-ray", "clinical", "ultrasound", "PET"] = "CT"
    bone_type: Literal["lytic", "mixed", "blastic"] | None = None
    soft_tissue_component_mm: FiniteNumber | None = Field(default=None, ge=0)
    kind: Literal["solid", "cystic", "effusion", "ascites", "lymphangitic", "leptomeningeal"] = (
        "solid"
    )
    progressing: Flag = Field(description="progressing at oligoprogression (new or growing)")
    previously_irradiated: Flag | None = Field(
        default=None, description="the lesion's site received radiotherapy before"
    )
    progressed_after_rt: Flag = False
    amenable_to_rt: Flag | None = Field(
        default=None, description="radiation oncologist: the lesion can be irradiated"
    )

    @field_validator("organ")
    @classmethod
    def _organ_code(cls, organ: str) -> str:
        try:
            return organ_system(organ)
        except InputError as exc:
            raise ValueError(exc.problem) from None

    @field_validator("lymph_node_region")
    @classmethod
    def _region_code(cls, region: str | None) -> str | None:
        if region is None:
            return None
        try:
            return lymph_node_region_code(region)
        except InputError as exc:
            raise ValueError(exc.problem) from None

    @model_validator(mode="after")
    def _clinically_valid(self) -> LesionRecord:
        try:
            _clinical_check(
                self.organ,
                self.lymph_node_region,
                self.nodal,
                self.bone_type,
                bool(self.previously_irradiated or self.progressed_after_rt),
                self.progressed_after_rt,
            )
        except InputError as exc:
            raise ValueError(f"{exc.field}: {exc.problem}") from None
        if self.progressed_after_rt and self.previously_irradiated is False:
            raise ValueError("progressed_after_rt: set for a lesion never irradiated")
        if self.previously_irradiated and self.progressing and not self.progressed_after_rt:
            raise ValueError(IRRADIATED_PROGRESSING)
        long, short = self.longest_diameter_mm, self.short_axis_mm
        if long is not None and short is not None and short > long:
            raise ValueError(
                f"short_axis_mm: {short:g} mm is longer than longest_diameter_mm ({long:g} mm)"
            )
        return self


@functools.lru_cache(maxsize=4096)
def _clinical_check(
    organ: str,
    region: str | None,
    nodal: bool,
    bone_type: str | None,
    irradiated: bool,
    progressed_after_rt: bool,
) -> None:
    """The clinical lesion model's checks of organ, node region and bone type (raises
    :class:`InputError`); done once per distinct combination, as records repeat them."""
    Lesion(
        organ=organ,
        lymph_node_region=region,
        nodal=nodal,
        bone_type=bone_type,
        previously_irradiated=irradiated,
        progressed_after_rt=progressed_after_rt,
    )
    if region is not None:
        lymph_node_region(region, field="lymph_node_region")


IRRADIATED_PROGRESSING = (
    "progressed_after_rt: false for a previously irradiated lesion that is progressing; "
    "a lesion growing after radiotherapy has progressed after it (set it true, or correct "
    "previously_irradiated or progressing)"
)


class AdverseEvent(Part):
    """An adverse event during first-line therapy (CTCAE grade)."""

    term: str = Field(min_length=1)
    grade: Integer = Field(ge=1, le=5)
    attributed_to_flst: Flag
    onset_date: Day | None = None


class RadiotherapyCourse(Part):
    """A previous radiotherapy course and the lesions (by id) whose sites it covered."""

    date: Day | None = None
    site: str = Field(min_length=1, description="treated site in words")
    lesion_ids: tuple[str, ...] = Field(
        default=(), description="ids of current lesions lying in the treated volume"
    )


class OtherMalignancy(Part):
    """A cancer other than the liver cancer, with the facts the 3-year rule needs."""

    diagnosis: str = Field(min_length=1, description="in words, e.g. 'colon adenocarcinoma'")
    category: Literal["basal-cell-skin", "squamous-cell-skin", "carcinoma-in-situ", "other"]
    diagnosis_date: Day
    curatively_treated: Flag | None = None
