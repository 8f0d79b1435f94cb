"""The per-patient evaluator: a protocol's rules over one record's facts.

The rules follow three-valued (Kleene) logic (:mod:`oligotrial.eligibility.logic`): an
unknown criterion is *cannot tell* and names the missing data of its unknown parts. A
protocol is prepared once (its facts, settings and compiled rules), then each record costs
one derivation of its facts and one pass over the compiled rules.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal

from oligotrial.eligibility.facts import Missing, derive_facts
from oligotrial.eligibility.logic import Compiled, compile_rule, rule_truth
from oligotrial.eligibility.record import ScreeningRecord
from oligotrial.eligibility.rules_check import check_protocol, derivation_settings
from oligotrial.eligibility.verdicts import CriterionResult, Overall, ScreeningResult
from oligotrial.protocol import Protocol
from oligotrial.protocol.rules import iter_conditions

__all__ = ["evaluate", "fact_names", "rule_truth"]


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
# A criterion's compiled rule, the facts it reads, the fields of its result that do not
# depend on the record (id, kind, text, decided), whether it is an inclusion, and its
# results already made, by the (class, value) of its one fact (see :func:`evaluate`).
Known = dict[tuple[type, Any], tuple[CriterionResult, bool | None]]
Step = tuple[Compiled, tuple[str, ...], dict[str, Any], bool, Known]
Plan = tuple[Protocol, tuple[str, ...], Mapping[str, Any], tuple[Step, ...]]
_PLANS: dict[int, Plan] = {}
_KNOWN_MAX = 1024  # results kept per criterion (a fact with many values starts afresh)


def _plan(protocol: Protocol) -> Plan:
    """The facts to derive, the derivation settings and each criterion's compiled rule and
    facts, worked out once per (frozen) protocol object rather than once per record."""
    plan = _PLANS.get(id(protocol))
    if plan is None or plan[0] is not protocol:
        per_criterion: tuple[Step, ...] = tuple(
            (
                compile_rule(k.rule, protocol),
                tuple(dict.fromkeys(c.fact for c in iter_conditions(k.rule))),
                {"id": k.id, "kind": k.kind, "text": k.text, "decided": k.decided},
                k.kind == "inclusion",
                {},
            )
            for k in protocol.criteria
        )
        plan = (protocol, fact_names(protocol), derivation_settings(protocol), per_criterion)
        if len(_PLANS) >= 16:
            _PLANS.clear()
        _PLANS[id(protocol)] = plan
    return plan


def _result(
    truth_of: Compiled, facts: dict[str, Any], names: tuple[str, ...], fixed: dict[str, Any]
) -> tuple[CriterionResult, bool | None]:
    """One criterion's result for ``facts`` and its truth."""
    missing: list[str] = []
    truth = truth_of(facts, missing)
    values = {name: _shown(facts[name]) for name in names}
    if truth is None:
        gaps = tuple(dict.fromkeys(missing))
        return CriterionResult.of(fixed, "cannot_tell", values, gaps), None
    return CriterionResult.of(fixed, "met" if truth else "not_met", values, ()), truth


def evaluate(
    protocol: Protocol, record: ScreeningRecord, *, checked: bool = False
) -> ScreeningResult:
    """Screen one record against every criterion of ``protocol``. Overall, as
    :func:`~oligotrial.eligibility.verdicts.overall_from` decides it: ineligible when one
    criterion is decided against the patient, else incomplete when one cannot be told, else
    eligible."""
    if not checked:
        check_protocol(protocol)
    _, names, settings, criteria = _plan(protocol)
    facts = derive_facts(record, settings, names)
    as_is = _SHOWN_AS_IS
    results = []
    against = unknown = False
    for truth_of, fact_list, fixed, inclusion, known in criteria:
        # A criterion of one fact whose value is shown as it is (a flag, a count, a code)
        # has one result per value: made once, then shared (results are frozen).
        value = facts[fact_list[0]] if len(fact_list) == 1 else None
        if value is not None and value.__class__ in as_is:
            key = (value.__class__, value)
            made = known.get(key)
            if made is None:
                if len(known) >= _KNOWN_MAX:
                    known.clear()
                made = known[key] = _result(truth_of, facts, fact_list, fixed)
        else:
            made = _result(truth_of, facts, fact_list, fixed)
        result, truth = made
        results.append(result)
        if truth is None:
            unknown = True
        elif truth != inclusion:
            against = True
    overall: Overall = "ineligible" if against else ("incomplete" if unknown else "eligible")
    return ScreeningResult(
        record.patient_id, protocol.id, protocol.version, overall, tuple(results)
    )
