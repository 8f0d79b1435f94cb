"""A patient's stratification levels, computed from the screening record by the one engine.

The protocol file says how each factor is computed (``stratification:`` section, see
:class:`oligotrial.protocol.StratificationFactor`): from a category fact whose values are the
levels (``fact: oligoprogression_site``), or from one rule per level (``rules:``), the first
level in declared order whose rule is true. Facts come from :mod:`oligotrial.eligibility.facts`
and their clinical rules from :mod:`oligotrial.clinical` (e.g. "in the liver":
:attr:`oligotrial.clinical.lesion.Lesion.in_liver`), exactly as for the criteria. Rules follow
the criteria's three-valued logic: an earlier level whose rule is unknown leaves the level
unknown.
"""

from __future__ import annotations

from typing import Any

from oligotrial.eligibility.facts import Missing, derive_facts
from oligotrial.eligibility.logic import rule_truth
from oligotrial.eligibility.record import ScreeningRecord
from oligotrial.eligibility.rules_check import check_protocol, derivation_settings
from oligotrial.protocol import Protocol, StratificationFactor
from oligotrial.protocol.rules import iter_conditions

__all__ = ["stratum_fact_names", "stratum_values"]

# Protocols already checked, by identity (a protocol is immutable once loaded).
_CHECKED: dict[int, Protocol] = {}


def _checked(protocol: Protocol) -> None:
    if _CHECKED.get(id(protocol)) is not protocol:
        check_protocol(protocol)
        _CHECKED[id(protocol)] = protocol


def stratum_fact_names(protocol: Protocol) -> tuple[str, ...]:
    """The facts the protocol's computed stratification factors read."""
    names: dict[str, None] = {}
    for factor in protocol.stratification:
        if factor.fact is not None:
            names.setdefault(factor.fact)
        for _level, rule in factor.level_rules():
            for condition in iter_conditions(rule):
                names.setdefault(condition.fact)
    return tuple(names)


def _level(factor: StratificationFactor, protocol: Protocol, facts: dict[str, Any]) -> str | None:
    if factor.fact is not None:
        value = facts[factor.fact]
        return None if isinstance(value, Missing) else str(value)
    for level, rule in factor.level_rules():
        truth = rule_truth(rule, protocol, facts, [])
        if truth is None:
            return None
        if truth:
            return level
    return None


def stratum_values(protocol: Protocol, record: ScreeningRecord) -> dict[str, str | None]:
    """Every non-site factor's level for ``record``, by factor name, in protocol order.

    None when the record cannot tell (a datum the factor needs is missing) or, for a factor
    given by rules, when no level's rule holds (such a record is outside the protocol's
    population, e.g. too many lesions). Pure: reads the record and the protocol only.
    """
    _checked(protocol)
    facts = derive_facts(record, derivation_settings(protocol), stratum_fact_names(protocol))
    return {
        factor.name: _level(factor, protocol, facts)
        for factor in protocol.stratification
        if not factor.from_sites
    }
