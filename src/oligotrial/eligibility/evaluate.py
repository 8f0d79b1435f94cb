"""The per-patient evaluator: a protocol's rules over one record's facts.

Three-valued (Kleene) logic: a condition on an unknown fact is unknown; ``all`` is false
when one part is false, ``any`` is true when one part is true, ``not`` swaps true/false.
An unknown criterion is *cannot tell* and names the missing data of its unknown parts.
A condition on an unknown number with bounds (:class:`~oligotrial.eligibility.facts.Missing`
``low``/``high``) is decided when the whole range agrees: ``score <= 7`` is true when the
largest possible score is at most 7 and false when the smallest is above 7; so is a
condition on an unknown category whose possible values all agree (BCLC).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Mapping
from typing import Any, Literal

from oligotrial.eligibility.facts import Missing, derive_facts
from oligotrial.eligibility.record import ScreeningRecord
from oligotrial.eligibility.rules_check import check_protocol, derivation_settings, resolve
from oligotrial.eligibility.verdicts import CriterionResult, ScreeningResult, Status, overall_from
from oligotrial.protocol import Criterion, Protocol
from oligotrial.protocol.rules import AllOf, AnyOf, Condition, NotOf, Rule, iter_conditions

Truth = bool | None


def _compare(condition: Condition, protocol: Protocol, value: Any) -> bool:
    op = condition.op
    if op == "is_true":
        return value is True
    if op == "is_false":
        return value is False
    if op == "between":
        low, high = resolve(protocol, condition.min), resolve(protocol, condition.max)
        return bool(low <= value <= high)
    if op in ("in", "not_in"):
        values = resolve(protocol, condition.values)
        return (value in values) == (op == "in")
    return bool(_ORDERING[op](value, resolve(protocol, condition.value)))


_ORDERING = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


def _among(condition: Condition, protocol: Protocol, possible: frozenset[str]) -> Truth:
    """The truth every possible category value gives, or None when they disagree."""
    truths = {_compare(condition, protocol, value) for value in possible}
    return truths.pop() if len(truths) == 1 else None


def _bounded(condition: Condition, protocol: Protocol, value: Missing) -> Truth:
    """The truth every value in [low, high] gives, or None when they disagree."""
    low, high, op = value.low, value.high, condition.op
    if value.possible is not None and op in ("eq", "ne", "in", "not_in"):
        return _among(condition, protocol, value.possible)
    if op in ("is_true", "is_false", "in", "not_in") or (low, high) == (-math.inf, math.inf):
        return None
    if op == "between":
        a, b = resolve(protocol, condition.min), resolve(protocol, condition.max)
        at_low, at_high = a <= low <= b, a <= high <= b
        return at_low if at_low == at_high and (at_low or high < a or low > b) else None
    target = resolve(protocol, condition.value)
    if op in ("eq", "ne"):
        outside = target < low or target > high
        return (op == "ne") if outside else (None if low < high else (op == "eq"))
    at_low, at_high = _compare(condition, protocol, low), _compare(condition, protocol, high)
    return at_low if at_low == at_high else None


def rule_truth(rule: Rule, protocol: Protocol, facts: dict[str, Any], missing: list[str]) -> Truth:
    """True, False, or None (unknown: the paths that could decide it go to ``missing``)."""
    if isinstance(rule, Condition):
        value = facts[rule.fact]
        if isinstance(value, Missing):
            bounded = _bounded(rule, protocol, value)
            if bounded is None:
                missing.extend(value.paths)
            return bounded
        return _compare(rule, protocol, value)
    if isinstance(rule, NotOf):
        inner = rule_truth(rule.not_, protocol, facts, missing)
        return None if inner is None else not inner
    parts = rule.all if isinstance(rule, AllOf) else rule.any
    gaps: list[str] = []
    results = [rule_truth(part, protocol, facts, gaps) for part in parts]
    decisive = isinstance(rule, AnyOf)  # any: True decides; all: False decides
    if decisive in results:
        return decisive
    if None in results:
        missing.extend(gaps)
        return None
    return not decisive


def _shown(value: Any) -> Any:
    if value.__class__ in _SHOWN_AS_IS:
        return value
    if isinstance(value, Missing):
        if value.possible is not None:
            return " or ".join(sorted(value.possible))
        if math.isinf(value.low) or math.isinf(value.high):
            return None
        return f"{value.low:g} to {value.high:g}"
    if isinstance(value, float) and math.isinf(value):
        return "never"
    return value


_SHOWN_AS_IS = frozenset({bool, int, str, type(None)})


def fact_names(protocol: Protocol) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for criterion in protocol.criteria:
        for condition in iter_conditions(criterion.rule):
            names.setdefault(condition.fact)
    return tuple(names)


Kind = Literal["inclusion", "exclusion"]
Step = tuple[Criterion, Kind, tuple[str, ...]]  # a criterion, its kind, the facts it reads
Plan = tuple[Protocol, tuple[str, ...], Mapping[str, Any], tuple[Step, ...]]
_PLANS: dict[int, Plan] = {}


def _plan(protocol: Protocol) -> Plan:
    """The facts to derive, the derivation settings and each criterion's facts, worked out
    once per (frozen) protocol object rather than once per record."""
    plan = _PLANS.get(id(protocol))
    if plan is None or plan[0] is not protocol:
        per_criterion = tuple(
            (k, k.kind, tuple(c.fact for c in iter_conditions(k.rule))) for k in protocol.criteria
        )
        plan = (protocol, fact_names(protocol), derivation_settings(protocol), per_criterion)
        if len(_PLANS) >= 16:
            _PLANS.clear()
        _PLANS[id(protocol)] = plan
    return plan


def evaluate(
    protocol: Protocol, record: ScreeningRecord, *, checked: bool = False
) -> ScreeningResult:
    """Screen one record against every criterion of ``protocol``."""
    if not checked:
        check_protocol(protocol)
    _, names, settings, criteria = _plan(protocol)
    facts = derive_facts(record, settings, names)
    results = []
    for criterion, kind, fact_list in criteria:
        missing: list[str] = []
        truth = rule_truth(criterion.rule, protocol, facts, missing)
        status: Status = "cannot_tell" if truth is None else ("met" if truth else "not_met")
        used = {fact: _shown(facts[fact]) for fact in fact_list}
        results.append(
            CriterionResult(
                id=criterion.id,
                kind=kind,
                text=criterion.text,
                decided=criterion.decided,
                status=status,
                values=used,
                missing=tuple(dict.fromkeys(missing)) if truth is None else (),
            )
        )
    overall = overall_from([(c.kind, c.status) for c in results])
    return ScreeningResult(
        record.patient_id, protocol.id, protocol.version, overall, tuple(results)
    )
