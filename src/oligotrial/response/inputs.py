"""Input format of one patient's tumour assessments (baseline lesions and follow-up visits).

The models forbid unknown fields, take values strictly (:mod:`oligotrial.strict`: ``true``
and ``"30"`` are not sizes, NaN and infinity are refused) and refuse impossible values
(negative sizes, a measurement on a record marked gone). Cross-record checks (lesion
never seen at baseline, two visits on one date, visits before randomization) live in
:mod:`.checks`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from oligotrial.errors import InputError
from oligotrial.strict import Day, Flag, Number

Role = Literal["target", "non-target"]
TargetStatus = Literal["measured", "too-small", "gone", "not-assessed"]
NonTargetStatus = Literal["present", "absent", "unequivocal-progression", "not-assessed"]
NewLesionStatus = Literal["equivocal", "unequivocal"]

Mm = Number  # millimetres: a finite JSON number (true and "30" refused)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def organ_code(organ: str) -> str:
    """The organ's code in the clinical vocabulary; unmapped text is refused."""
    from oligotrial.clinical.anatomy import organ_system

    try:
        return organ_system(organ)
    except InputError as exc:
        raise ValueError(exc.problem) from None


def _derive_intrahepatic(data: Any) -> Any:
    """Fill ``intrahepatic`` from the organ by the clinical definition ("in the liver":
    :attr:`oligotrial.clinical.lesion.Lesion.in_liver`); a contradicting value is refused."""
    if not isinstance(data, dict) or not isinstance(data.get("organ"), str):
        return data
    from oligotrial.clinical.lesion import Lesion

    try:
        in_liver = Lesion(organ_code(data["organ"]), nodal=data.get("nodal") is True).in_liver
    except ValueError:
        return data  # the organ validator names the problem
    given = data.get("intrahepatic")
    if given is None:
        return {**data, "intrahepatic": in_liver}
    if not isinstance(given, bool):
        return data  # the strict field type names the problem
    if given is not in_liver:
        where = "in" if in_liver else "outside"
        raise ValueError(
            f"intrahepatic: {given!r} contradicts organ {data['organ']!r} ({where} the liver)"
        )
    return data


class BaselineLesion(_Strict):
    """One lesion recorded at baseline."""

    id: str = Field(
        min_length=1, description="Lesion identifier used at every visit (e.g. T1, NT2)."
    )
    role: Role
    organ: str = Field(
        min_length=1,
        description="Organ code or alias (clinical.anatomy.organ_vocabulary); paired organs "
        "(left/right lung) are one organ.",
    )
    nodal: Flag = False
    longest_mm: Mm | None = Field(default=None, ge=0, description="Longest diameter (non-nodal).")
    short_axis_mm: Mm | None = Field(default=None, ge=0, description="Short axis (lymph nodes).")
    viable_mm: Mm | None = Field(
        default=None,
        ge=0,
        description="mRECIST: longest diameter of the arterially enhancing part.",
    )
    intrahepatic: Flag = Field(
        default=False, description="In the liver; derived from the organ when not given."
    )
    porta_hepatis: Flag = Field(
        default=False, description="Node at the porta hepatis (mRECIST ≥ 20 mm)."
    )
    portal_vein_thrombosis: Flag = Field(default=False, description="Never measurable (mRECIST).")
    slice_thickness_mm: Mm | None = Field(default=None, gt=0)
    previously_irradiated: Flag = False
    progressed_after_rt: Flag | None = Field(
        default=False,
        description="Progressed after its radiotherapy; null: not recorded (an irradiated "
        "target is then not measurable).",
    )

    _organ = field_validator("organ")(organ_code)
    _intrahepatic = model_validator(mode="before")(_derive_intrahepatic)

    @model_validator(mode="after")
    def _size_given(self) -> BaselineLesion:
        if self.role == "target":
            if self.nodal and self.short_axis_mm is None:
                raise ValueError(f"nodal target {self.id} needs short_axis_mm")
            if not self.nodal and self.longest_mm is None:
                raise ValueError(f"target {self.id} needs longest_mm")
        return self


class TargetMeasurement(_Strict):
    """A target lesion at a follow-up visit: a size, split fragments, or a status."""

    lesion: str = Field(min_length=1)
    status: TargetStatus = "measured"
    mm: Mm | None = Field(
        default=None, ge=0, description="Longest diameter, or short axis for a node."
    )
    fragments_mm: tuple[Mm, ...] | None = Field(
        default=None,
        min_length=2,
        description="A lesion split into fragments: their diameters are added.",
    )
    viable_mm: Mm | None = Field(
        default=None, ge=0, description="mRECIST: enhancing diameter (0 = none)."
    )

    @model_validator(mode="after")
    def _consistent(self) -> TargetMeasurement:
        has_size = self.mm is not None or self.fragments_mm is not None
        if self.status == "measured":
            if self.mm is not None and self.fragments_mm is not None:
                raise ValueError(f"lesion {self.lesion}: give mm or fragments_mm, not both")
            if not has_size and self.viable_mm is None:
                raise ValueError(f"lesion {self.lesion}: status measured needs mm or fragments_mm")
        elif has_size or self.viable_mm is not None:
            raise ValueError(
                f"lesion {self.lesion}: a size is given on a record marked {self.status}"
            )
        if self.fragments_mm is not None and any(f < 0 for f in self.fragments_mm):
            raise ValueError(f"lesion {self.lesion}: fragment sizes must be ≥ 0")
        return self


class NonTargetAssessment(_Strict):
    """A non-target lesion at a follow-up visit."""

    lesion: str = Field(min_length=1)
    status: NonTargetStatus


class NewLesion(_Strict):
    """A lesion not present at baseline. The same id at later visits follows it up."""

    id: str = Field(min_length=1)
    status: NewLesionStatus
    organ: str | None = None
    nodal: Flag = False
    short_axis_mm: Mm | None = Field(
        default=None, ge=0, description="A new node counts at ≥ 10 mm."
    )
    longest_mm: Mm | None = Field(default=None, ge=0)
    intrahepatic: Flag = Field(
        default=False, description="In the liver; derived from the organ when not given."
    )
    arterial_enhancement_washout: Flag | None = Field(
        default=None, description="mRECIST: typical HCC hallmark of a new liver lesion."
    )
    effusion: Flag = False
    cytology_confirmed: Flag | None = Field(
        default=None, description="mRECIST: a new effusion needs cytology."
    )

    _intrahepatic = model_validator(mode="before")(_derive_intrahepatic)

    @field_validator("organ")
    @classmethod
    def _organ(cls, organ: str | None) -> str | None:
        return None if organ is None else organ_code(organ)


class Assessment(_Strict):
    """One follow-up imaging visit."""

    date: Day
    targets: tuple[TargetMeasurement, ...] = ()
    non_targets: tuple[NonTargetAssessment, ...] = ()
    new_lesions: tuple[NewLesion, ...] = Field(default=(), description="Empty: no new lesion.")


class TumourRecord(_Strict):
    """Everything the response engine needs for one patient."""

    randomization_date: Day
    baseline_date: Day | None = None
    baseline: tuple[BaselineLesion, ...] = ()
    assessments: tuple[Assessment, ...] = ()
