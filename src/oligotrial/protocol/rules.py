"""Eligibility rules as data: a small, documented set of operators over named facts.

A rule is one of

* a condition on one fact::

      {fact: age_at_consent_years, op: between, min: {setting: age_min}, max: {setting: age_max}}

  ``op`` is one of ``eq ne lt le gt ge`` (with ``value``), ``between`` (inclusive, with
  ``min`` and ``max``), ``in`` / ``not_in`` (with ``values``), ``is_true`` / ``is_false``
  (no operand). Operands are literals or ``{setting: NAME}``, a number taken from the
  protocol's ``eligibility`` section, so thresholds live in the file, not in code;
* ``{all: [rule, ...]}`` — true when every part is true;
* ``{any: [rule, ...]}`` — true when at least one part is true;
* ``{not: rule}``.

Facts are derived from the screening record by the eligibility package; a fact that
cannot be derived makes its condition *unknown*, and ``all``/``any``/``not`` follow
Kleene's three-valued logic (``all`` is false as soon as one part is false, ``any`` is
true as soon as one part is true), so a criterion is *cannot tell* only when the missing
datum could change it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    Tag,
    model_validator,
)

Scalar = StrictBool | StrictInt | StrictFloat | StrictStr

COMPARISON_OPS = ("eq", "ne", "lt", "le", "gt", "ge")
Op = Literal["eq", "ne", "lt", "le", "gt", "ge", "between", "in", "not_in", "is_true", "is_false"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SettingRef(_Frozen):
    """A threshold taken from the protocol's ``eligibility`` section by name."""

    setting: str = Field(min_length=1)


Operand = Annotated[SettingRef | Scalar, Field(union_mode="left_to_right")]


class Condition(_Frozen):
    """One comparison of a fact with literal or setting operands."""

    fact: str = Field(min_length=1, pattern=r"^[a-z][a-z0-9_]*$")
    op: Op
    value: Operand | None = None
    min: Operand | None = None
    max: Operand | None = None
    values: tuple[Scalar, ...] | SettingRef | None = None

    @model_validator(mode="after")
    def _operands_match_op(self) -> Condition:
        given = {
            name for name in ("value", "min", "max", "values") if getattr(self, name) is not None
        }
        if self.op in COMPARISON_OPS:
            needed = {"value"}
        elif self.op == "between":
            needed = {"min", "max"}
        elif self.op in ("in", "not_in"):
            needed = {"values"}
        else:
            needed = set()
        if given != needed:
            want = ", ".join(sorted(needed)) or "no operand"
            got = ", ".join(sorted(given)) or "none"
            raise ValueError(f"op {self.op!r} takes {want}; got {got}")
        return self

    def setting_refs(self) -> tuple[str, ...]:
        """Names of the settings this condition reads."""
        refs = [self.value, self.min, self.max, self.values]
        return tuple(r.setting for r in refs if isinstance(r, SettingRef))


class AllOf(_Frozen):
    all: tuple[Rule, ...] = Field(min_length=1)


class AnyOf(_Frozen):
    any: tuple[Rule, ...] = Field(min_length=1)


class NotOf(_Frozen):
    not_: Rule = Field(alias="not")
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


def _rule_tag(value: Any) -> str:
    if isinstance(value, dict):
        for key in ("all", "any", "not"):
            if key in value:
                return key
        return "condition"
    if isinstance(value, AllOf):
        return "all"
    if isinstance(value, AnyOf):
        return "any"
    if isinstance(value, NotOf):
        return "not"
    return "condition"


Rule = Annotated[
    Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotOf, Tag("not")]
    | Annotated[Condition, Tag("condition")],
    Discriminator(_rule_tag),
]

AllOf.model_rebuild()
AnyOf.model_rebuild()
NotOf.model_rebuild()


def iter_conditions(rule: Rule) -> list[Condition]:
    """Every condition in ``rule``, depth first."""
    if isinstance(rule, Condition):
        return [rule]
    if isinstance(rule, AllOf):
        return [c for part in rule.all for c in iter_conditions(part)]
    if isinstance(rule, AnyOf):
        return [c for part in rule.any for c in iter_conditions(part)]
    return iter_conditions(rule.not_)
