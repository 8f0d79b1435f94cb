"""The protocol schema: every section of a trial protocol file, validated once at load.

Section keys follow the interface agreed between the product's areas (arms, allocation
ratio, stratification, randomization, schedule, response, endpoints, safety, design,
eligibility settings, criteria). ``response`` and ``endpoints`` are kept as raw mappings:
the response and endpoints packages parse them with their own settings models.
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from oligotrial.protocol.rules import Rule, iter_conditions


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Arm(_Frozen):
    code: str = Field(min_length=1, max_length=8)
    name: str = Field(min_length=1)
    description: str = ""


class StratificationFactor(_Frozen):
    """A stratification factor and how its level is computed from the screening record.

    ``levels: from-sites`` means the site list at run time (``levels`` is then empty and
    ``from_sites`` true); such a factor is not computed. Every other factor is computed by
    the eligibility engine in one of two ways:

    * ``fact: NAME`` — a category fact of the eligibility fact catalogue whose values are
      exactly the factor's levels (e.g. ``fact: oligoprogression_site``);
    * ``rules: {LEVEL: rule, ...}`` — one rule per level, with the criteria's operators
      (:mod:`oligotrial.protocol.rules`); the first level, in ``levels`` order, whose rule
      is true is the patient's level.
    """

    name: str = Field(min_length=1)
    levels: tuple[str, ...] = ()
    description: str = ""
    from_sites: bool = False
    fact: str | None = Field(default=None, min_length=1, pattern=r"^[a-z][a-z0-9_]*$")
    rules: dict[str, Rule] | None = None

    @model_validator(mode="before")
    @classmethod
    def _levels_from_sites(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("levels") == "from-sites":
            return {**data, "levels": (), "from_sites": True}
        return data

    @model_validator(mode="after")
    def _has_levels(self) -> StratificationFactor:
        if not self.from_sites and len(self.levels) < 2:
            raise ValueError("needs at least two levels, or levels: from-sites")
        if len(set(self.levels)) != len(self.levels):
            raise ValueError("levels must be distinct")
        if self.from_sites:
            if self.fact is not None or self.rules is not None:
                raise ValueError("a factor with levels: from-sites takes no fact or rules")
            return self
        if (self.fact is None) == (self.rules is None):
            raise ValueError(
                "needs either fact: (a category fact whose values are the levels) or "
                "rules: (one rule per level), not both"
            )
        if self.rules is not None:
            unknown = sorted(set(self.rules) - set(self.levels))
            if unknown:
                raise ValueError(
                    f"rules: level {unknown[0]!r} is not one of the levels "
                    f"({', '.join(self.levels)})"
                )
            absent = [level for level in self.levels if level not in self.rules]
            if absent:
                raise ValueError(f"rules: no rule for level {absent[0]!r}")
        return self

    def level_rules(self) -> tuple[tuple[str, Rule], ...]:
        """(level, rule) in ``levels`` order; empty for a ``fact`` or site factor."""
        rules = self.rules or {}
        return tuple((level, rules[level]) for level in self.levels if level in rules)


class Minimization(_Frozen):
    p_best: float = Field(gt=0.5, le=1.0)
    factor_weights: dict[str, float] = Field(default_factory=dict)


class Randomization(_Frozen):
    method: Literal["permuted_blocks", "minimization"]
    block_sizes: tuple[int, ...] = ()
    minimization: Minimization | None = None

    @model_validator(mode="after")
    def _method_settings(self) -> Randomization:
        if self.method == "permuted_blocks" and not self.block_sizes:
            raise ValueError("permuted_blocks needs block_sizes")
        if any(b <= 0 for b in self.block_sizes):
            raise ValueError("block_sizes must be positive")
        if self.method == "minimization" and self.minimization is None:
            raise ValueError("minimization needs its settings (p_best)")
        return self


class AssessmentPeriod(_Frozen):
    """Tumour assessments every ``every_weeks`` ± ``window_days`` from ``from_week``."""

    from_week: int = Field(ge=0)
    to_week: int | None = None
    every_weeks: int = Field(gt=0)
    window_days: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> AssessmentPeriod:
        if self.to_week is not None and self.to_week <= self.from_week:
            raise ValueError("to_week must be after from_week")
        return self


class SampleWindow(_Frozen):
    """When a sample time point is due: ``offset_days`` after its anchor (randomization, the
    end of RT — randomization when no RT is given — or progression), taken from
    ``before_days`` before to ``after_days`` after that day."""

    anchor: Literal["randomization", "rt_end", "progression"]
    offset_days: int = 0
    before_days: int = Field(ge=0)
    after_days: int = Field(ge=0)


class AssessmentSchedule(_Frozen):
    assessments: tuple[AssessmentPeriod, ...] = Field(min_length=1)
    ctdna: tuple[str, ...] = ()
    biopsy: tuple[str, ...] = ()
    sample_windows: dict[str, SampleWindow] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _windows_named(self) -> AssessmentSchedule:
        unknown = set(self.sample_windows) - set(self.ctdna) - set(self.biopsy)
        if unknown:
            raise ValueError(f"sample_windows name unknown time points: {sorted(unknown)}")
        return self

    @field_validator("assessments")
    @classmethod
    def _contiguous(cls, periods: tuple[AssessmentPeriod, ...]) -> tuple[AssessmentPeriod, ...]:
        for before, after in itertools.pairwise(periods):
            if before.to_week is None or before.to_week != after.from_week:
                raise ValueError("periods must follow one another (to_week = next from_week)")
        return periods


class Safety(_Frozen):
    ctcae_version: str = Field(min_length=1)


class DesignAssumptions(_Frozen):
    control_median_months: float = Field(gt=0)
    hazard_ratio: float = Field(gt=0)
    alpha: float = Field(gt=0, lt=1)
    sides: Literal[1, 2]
    power: float = Field(gt=0, lt=1)
    accrual_months: float = Field(gt=0)
    follow_up_months: float = Field(ge=0)
    dropout_per_year: float = Field(ge=0, lt=1)
    planned_subjects: int = Field(gt=0)
    planned_events: int = Field(gt=0)
    interim_information: tuple[float, ...] = Field(min_length=1)
    spending: Literal["obrien-fleming", "pocock", "none"]

    @field_validator("interim_information")
    @classmethod
    def _fractions(cls, values: tuple[float, ...]) -> tuple[float, ...]:
        if any(not 0 < v <= 1 for v in values) or list(values) != sorted(set(values)):
            raise ValueError("information fractions must increase within (0, 1]")
        if values[-1] != 1.0:
            raise ValueError("the last information fraction must be 1.0 (the final analysis)")
        return values


class Criterion(_Frozen):
    """One inclusion or exclusion criterion with the registry's numbering and wording.

    For an inclusion criterion the rule states what must hold; for an exclusion criterion
    it states what excludes. ``decided`` says whether the software computes the verdict
    from source data, takes an investigator's attestation, or reads a recorded fact.
    """

    id: str = Field(pattern=r"^[IE][0-9]+$")
    text: str = Field(min_length=1)
    decided: Literal["computed", "attested", "recorded"]
    rule: Rule
    source: str = ""
    #: short name by language code (``en``, ``zh-hans``), for forms and checklists
    names: dict[str, str] = Field(default_factory=dict)

    @property
    def kind(self) -> Literal["inclusion", "exclusion"]:
        return "inclusion" if self.id.startswith("I") else "exclusion"


SettingValue = bool | int | float | str | tuple[str, ...]


class TranslatedTexts(_Frozen):
    """``criterion_reasons`` and ``labels`` of :class:`ReportTexts` in another language."""

    criterion_reasons: dict[str, str] = Field(default_factory=dict)
    labels: dict[str, str] = Field(default_factory=dict)


class ReportTexts(_Frozen):
    """What the analysis report prints that only the protocol knows.

    ``experimental_arm`` is compared with ``control_arm`` (hazard ratios are experimental
    vs control). ``criterion_reasons`` are short CONSORT reasons by criterion id; ``{name}``
    (with an optional format, ``{afp_max_ng_ml:,}``) is the eligibility setting of that name,
    so thresholds are stated once. ``labels`` name codes (stratification factors and levels,
    and the eligibility facts the live screening panel shows). ``translations`` gives both in
    other languages, by language code (``zh-hans``).
    """

    experimental_arm: str = Field(min_length=1)
    control_arm: str = Field(min_length=1)
    criterion_reasons: dict[str, str] = Field(default_factory=dict)
    labels: dict[str, str] = Field(default_factory=dict)
    translations: dict[str, TranslatedTexts] = Field(default_factory=dict)

    @field_validator("criterion_reasons")
    @classmethod
    def _templates(cls, reasons: dict[str, str]) -> dict[str, str]:
        for cid, text in reasons.items():
            try:
                fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
            except ValueError as exc:
                raise ValueError(f"{cid}: {exc}") from None
            if any(not f.isidentifier() for f in fields):
                raise ValueError(f"{cid}: a placeholder must name an eligibility setting")
        return reasons

    def setting_refs(self) -> list[tuple[str, str]]:
        """(criterion id, setting name) for every ``{name}`` in the reasons."""
        texts = [self.criterion_reasons, *(t.criterion_reasons for t in self.translations.values())]
        return [
            (cid, f)
            for reasons in texts
            for cid, text in reasons.items()
            for _, f, _, _ in string.Formatter().parse(text)
            if f
        ]


class Protocol(_Frozen):
    """A whole trial protocol. Load it with :func:`oligotrial.protocol.load_protocol`."""

    id: str = Field(min_length=1)
    version: str = Field(min_length=1)
    title: str = Field(min_length=1)
    arms: tuple[Arm, ...] = Field(min_length=2)
    allocation_ratio: tuple[int, ...]
    stratification: tuple[StratificationFactor, ...] = ()
    randomization: Randomization
    schedule: AssessmentSchedule
    response: dict[str, Any]
    endpoints: dict[str, Any]
    safety: Safety
    design: DesignAssumptions
    eligibility: dict[str, SettingValue] = Field(default_factory=dict)
    criteria: tuple[Criterion, ...] = Field(min_length=1)
    report: ReportTexts | None = None
    _lines: dict[tuple[str, ...], int] = PrivateAttr(default_factory=dict)
    _source: str = PrivateAttr(default="")

    @property
    def source(self) -> str:
        """Name of the file the protocol was loaded from ("" when built in memory)."""
        return self._source

    def line_of(self, *path: str | int) -> int | None:
        """1-based line of a key path in the file it came from (None when unknown)."""
        key = tuple(str(p) for p in path)
        while key:
            if key in self._lines:
                return self._lines[key]
            key = key[:-1]
        return None

    @model_validator(mode="after")
    def _consistent(self) -> Protocol:
        if len(self.allocation_ratio) != len(self.arms):
            raise ValueError("allocation_ratio needs one entry per arm")
        if any(r <= 0 for r in self.allocation_ratio):
            raise ValueError("allocation_ratio entries must be positive")
        codes = [a.code for a in self.arms]
        if len(set(codes)) != len(codes):
            raise ValueError("arm codes must be distinct")
        names = [f.name for f in self.stratification]
        if len(set(names)) != len(names):
            raise ValueError("stratification factor names must be distinct")
        ids = [c.id for c in self.criteria]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"criterion ids repeated: {', '.join(dupes)}")
        return self

    @model_validator(mode="after")
    def _report_refs(self) -> Protocol:
        r = self.report
        if r is None:
            return self
        codes = {a.code for a in self.arms}
        if {r.experimental_arm, r.control_arm} - codes or r.experimental_arm == r.control_arm:
            raise ValueError("report: experimental_arm and control_arm must be two arm codes")
        ids = {c.id for c in self.criteria}
        for cid in r.criterion_reasons:
            if cid not in ids:
                raise ValueError(f"report.criterion_reasons: no criterion {cid}")
        return self

    @property
    def inclusion(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.kind == "inclusion")

    @property
    def exclusion(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.kind == "exclusion")

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def setting(self, name: str) -> SettingValue:
        """An eligibility setting by name (KeyError when absent)."""
        return self.eligibility[name]

    def settings_view(self) -> Mapping[str, SettingValue]:
        return dict(self.eligibility)


def unresolved_setting_refs(protocol: Protocol) -> list[tuple[tuple[str | int, ...], str]]:
    """(location, setting name) for every setting a rule reads but the file lacks; the
    location is ``("criteria", i, "rule")`` or ``("stratification", i, "rules", level)``."""
    missing: list[tuple[tuple[str | int, ...], str]] = []
    for loc, rule in rule_locations(protocol):
        for condition in iter_conditions(rule):
            for ref in condition.setting_refs():
                if ref not in protocol.eligibility:
                    missing.append((loc, ref))
    return missing


def rule_locations(protocol: Protocol) -> list[tuple[tuple[str | int, ...], Rule]]:
    """Every rule of the protocol with its location: criteria first, then strata."""
    out: list[tuple[tuple[str | int, ...], Rule]] = [
        (("criteria", i, "rule"), c.rule) for i, c in enumerate(protocol.criteria)
    ]
    for i, factor in enumerate(protocol.stratification):
        out.extend((("stratification", i, "rules", lv), r) for lv, r in factor.level_rules())
    return out
