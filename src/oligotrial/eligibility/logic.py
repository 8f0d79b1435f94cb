"""Three-valued (Kleene) logic of the protocol's rules over one record's facts.

A condition on an unknown fact is unknown; ``all`` is false when one part is false, ``any``
is true when one part is true, ``not`` swaps true/false. A condition on an unknown number
with bounds (:class:`~oligotrial.eligibility.facts.Missing` ``low``/``high``) is decided
when the whole range agrees: ``score <= 7`` is true when the largest possible score is at
most 7 and false when the smallest is above 7; so is a condition on an unknown category
whose possible values all agree (BCLC).

A rule is compiled once per protocol (:func:`compile_rule`): its settings are looked up and
its operators chosen then, so that screening a record only compares values.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

from oligotrial.eligibility.facts import Missing
from oligotrial.eligibility.rules_check import resolve
from oligotrial.protocol import Protocol
from oligotrial.protocol.rules import AllOf, AnyOf, Condition, NotOf, Rule

Truth = bool | None
Facts = dict[str, Any]
# A compiled rule: its truth for ``facts``; when unknown, the paths that could decide it
# are added to the list.
Compiled = Callable[[Facts, list[str]], Truth]

_ORDERING: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
}


def _test(condition: Condition, protocol: Protocol) -> Callable[[Any], bool]:
    """The condition as a test of a known value, its operands resolved."""
    op = condition.op
    if op == "is_true":
        return lambda value: value is True
    if op == "is_false":
        return lambda value: value is False
    if op == "between":
        low, high = resolve(protocol, condition.min), resolve(protocol, condition.max)
        return lambda value: bool(low <= value <= high)
    if op in ("in", "not_in"):
        values, wanted = resolve(protocol, condition.values), op == "in"
        return lambda value: (value in values) == wanted
    compare, target = _ORDERING[op], resolve(protocol, condition.value)
    return lambda value: bool(compare(value, target))


def _bounded(condition: Condition, protocol: Protocol, test: Callable[[Any], bool]) -> Any:
    """The condition on an unknown value: the truth every possible value gives, or None
    when they disagree."""
    op = condition.op

    def among(possible: frozenset[str]) -> Truth:
        truths = {test(value) for value in possible}
        return truths.pop() if len(truths) == 1 else None

    def bounded(value: Missing) -> Truth:
        low, high = value.low, value.high
        if value.possible is not None and op in ("eq", "ne", "in", "not_in"):
            return among(value.possible)
        if op in ("is_true", "is_false", "in", "not_in") or (low, high) == (-math.inf, math.inf):
            return None
        if op == "between":
            a, b = resolve(protocol, condition.min), resolve(protocol, condition.max)
            at_low, at_high = a <= low <= b, a <= high <= b
            return at_low if at_low == at_high and (at_low or high < a or low > b) else None
        if op in ("eq", "ne"):
            target = resolve(protocol, condition.value)
            outside = target < low or target > high
            return (op == "ne") if outside else (None if low < high else (op == "eq"))
        at_low, at_high = test(low), test(high)
        return at_low if at_low == at_high else None

    return bounded


def _flag(name: str, wanted: bool) -> Compiled:
    """``is_true``/``is_false``: an unknown flag is unknown whatever its bounds."""

    def flag(facts: Facts, missing: list[str]) -> Truth:
        value = facts[name]
        if value.__class__ is Missing:
            missing.extend(value.paths)
            return None
        return value is wanted

    return flag


def _condition(condition: Condition, protocol: Protocol) -> Compiled:
    if condition.op in ("is_true", "is_false"):  # most conditions: one call per record
        return _flag(condition.fact, condition.op == "is_true")
    name, test = condition.fact, _test(condition, protocol)
    bounded = _bounded(condition, protocol, test)

    def truth(facts: Facts, missing: list[str]) -> Truth:
        value = facts[name]
        if value.__class__ is Missing:
            decided: Truth = bounded(value)
            if decided is None:
                missing.extend(value.paths)
            return decided
        return test(value)

    return truth


def compile_rule(rule: Rule, protocol: Protocol) -> Compiled:
    """``rule`` as a function of the facts: True, False, or None (unknown, the paths that
    could decide it added to the list given)."""
    if isinstance(rule, Condition):
        return _condition(rule, protocol)
    if isinstance(rule, NotOf):
        inner = compile_rule(rule.not_, protocol)

        def negated(facts: Facts, missing: list[str]) -> Truth:
            truth = inner(facts, missing)
            return None if truth is None else not truth

        return negated
    parts = tuple(
        compile_rule(part, protocol) for part in (rule.all if isinstance(rule, AllOf) else rule.any)
    )
    decisive = isinstance(rule, AnyOf)  # any: True decides; all: False decides

    def combined(facts: Facts, missing: list[str]) -> Truth:
        # The first decisive part decides (what the others are or lack does not matter).
        gaps: list[str] = []
        unknown = False
        for part in parts:
            truth = part(facts, gaps)
            if truth is None:
                unknown = True
            elif truth == decisive:
                return decisive
        if unknown:
            missing.extend(gaps)
            return None
        return not decisive

    return combined


_COMPILED: dict[tuple[int, int], tuple[Rule, Protocol, Compiled]] = {}


def rule_truth(rule: Rule, protocol: Protocol, facts: Facts, missing: list[str]) -> Truth:
    """True, False, or None (unknown: the paths that could decide it go to ``missing``).
    Each (frozen) rule of a (frozen) protocol is compiled once."""
    known = _COMPILED.get((id(rule), id(protocol)))
    if known is None or known[0] is not rule or known[1] is not protocol:
        if len(_COMPILED) >= 4096:
            _COMPILED.clear()
        known = _COMPILED[id(rule), id(protocol)] = (rule, protocol, compile_rule(rule, protocol))
    return known[2](facts, missing)
