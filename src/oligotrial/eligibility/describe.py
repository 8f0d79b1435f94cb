"""Rules in words, for checklists and the protocol summary."""

from __future__ import annotations

from typing import Any

from oligotrial.protocol import Protocol
from oligotrial.protocol.rules import AllOf, AnyOf, Condition, NotOf, Rule, SettingRef

_OPS = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥"}


def _operand(protocol: Protocol, value: Any) -> str:
    if isinstance(value, SettingRef):
        return f"{protocol.eligibility.get(value.setting)!s}"
    if isinstance(value, tuple):
        return "{" + ", ".join(str(v) for v in value) + "}"
    return str(value)


def describe_rule(rule: Rule, protocol: Protocol) -> str:
    """One line: ``age_at_consent_years between 18 and 75``."""
    if isinstance(rule, Condition):
        if rule.op == "is_true":
            return rule.fact
        if rule.op == "is_false":
            return f"not {rule.fact}"
        if rule.op == "between":
            low, high = _operand(protocol, rule.min), _operand(protocol, rule.max)
            return f"{rule.fact} between {low} and {high}"
        if rule.op in ("in", "not_in"):
            word = "in" if rule.op == "in" else "not in"
            return f"{rule.fact} {word} {_operand(protocol, rule.values)}"
        return f"{rule.fact} {_OPS[rule.op]} {_operand(protocol, rule.value)}"
    if isinstance(rule, NotOf):
        return f"not ({describe_rule(rule.not_, protocol)})"
    parts = rule.all if isinstance(rule, AllOf) else rule.any
    joiner = " and " if isinstance(rule, AllOf) else " or "
    assert isinstance(rule, AllOf | AnyOf)
    return joiner.join(
        f"({describe_rule(p, protocol)})"
        if not isinstance(p, Condition)
        else describe_rule(p, protocol)
        for p in parts
    )
