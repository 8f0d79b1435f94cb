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
# depend on the record (id, kind, text, decided), and whether it is an inclusion.
Step = tuple[Compiled, tuple[str, ...], dict[str, Any], bool]
Plan = tuple[Protocol, tuple[str, ...], Mapping[str, Any], tuple[Step, ...]]
_PLANS: dict[int, Plan] = {}


def _plan(protocol: Protocol) -> Plan:
    """The facts to derive, the derivation settings and each criterion's compiled rule and
    facts, worked out once per (frozen) protocol object rather than once per record."""
    plan = _PLANS.get(id(protocol))
    if plan is None or plan[0] is not protocol:
        per_criterion = tuple(
            (
                compile_rule(k.rule, protocol),
                tuple(dict.fromkeys(c.fact for c in iter_conditions(k.rule))),
                {"id": k.id, "kind": k.kind, "text": k.text, "decided": k.decided},
                k.kind == "inclusion",
            )
            for k in protocol.criteria
        )
        plan = (protocol, fact_names(protocol), derivation_settings(protocol), per_criterion)
        if len(_PLANS) >= 16:
            _PLANS.clear()
        _PLANS[id(protocol)] = plan
    return plan


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
    shown = {name: _shown(value) for name, value in facts.items()}  # once per fact
    results = []
    against = unknown = False
    of = CriterionResult.of
    for truth_of, fact_list, fixed, inclusion in criteria:
        missing: list[str] = []
        truth = truth_of(facts, missing)
        if len(fact_list) == 1:  # most criteria read one fact (no comprehension to run)
            values = {fact_list[0]: shown[fact_list[0]]}
        else:
            values = {fact: shown[fact] for fact in fact_list}
        if truth is None:
            unknown = True
            results.append(of(fixed, "cannot_tell", values, tuple(dict.fromkeys(missing))))
            continue
        against = against or truth != inclusion
        results.append(of(fixed, "met" if truth else "not_met", values, ()))
    overall: Overall = "ineligible" if against else ("incomplete" if unknown else "eligible")
    return ScreeningResult(
        record.patient_id, protocol.id, protocol.version, overall, tuple(results)
    )
