"""Evaluate a protocol's rules over fact columns: the column-wise evaluator.

Same three-valued (Kleene) logic as :mod:`oligotrial.eligibility.evaluate`, on boolean
arrays: each rule gives (truth, known) per patient.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from oligotrial.eligibility.rules_check import resolve
from oligotrial.eligibility.verdicts import OVERALL_CODES, STATUS_CODES
from oligotrial.protocol import Protocol
from oligotrial.protocol.rules import AllOf, AnyOf, Condition, NotOf, Rule

Bools = npt.NDArray[np.bool_]
Codes = npt.NDArray[np.int8]
FactColumn = tuple[npt.NDArray[Any], Bools]


def _condition(rule: Condition, protocol: Protocol, column: FactColumn) -> tuple[Bools, Bools]:
    values, known = column
    op = rule.op
    with np.errstate(invalid="ignore"):
        if op == "is_true":
            truth = values == True  # noqa: E712 (element-wise)
        elif op == "is_false":
            truth = values == False  # noqa: E712
        elif op == "between":
            low, high = resolve(protocol, rule.min), resolve(protocol, rule.max)
            truth = (values >= low) & (values <= high)
        elif op in ("in", "not_in"):
            truth = np.zeros(len(known), dtype=bool)
            for item in resolve(protocol, rule.values):
                truth |= np.asarray(values == item, dtype=bool)
            if op == "not_in":
                truth = ~truth
        else:
            target = resolve(protocol, rule.value)
            compare = {
                "eq": np.equal,
                "ne": np.not_equal,
                "lt": np.less,
                "le": np.less_equal,
                "gt": np.greater,
                "ge": np.greater_equal,
            }[op]
            truth = compare(values, target)
    return np.asarray(truth, dtype=bool) & known, known


def rule_truth(rule: Rule, protocol: Protocol, facts: dict[str, FactColumn]) -> tuple[Bools, Bools]:
    """(truth, known) of ``rule`` for every patient."""
    if isinstance(rule, Condition):
        return _condition(rule, protocol, facts[rule.fact])
    if isinstance(rule, NotOf):
        truth, known = rule_truth(rule.not_, protocol, facts)
        return ~truth & known, known
    parts = [
        rule_truth(p, protocol, facts) for p in (rule.all if isinstance(rule, AllOf) else rule.any)
    ]
    if isinstance(rule, AnyOf):
        true_any = np.logical_or.reduce([t & k for t, k in parts])
        all_false = np.logical_and.reduce([k & ~t for t, k in parts])
        return true_any, true_any | all_false
    false_any = np.logical_or.reduce([k & ~t for t, k in parts])
    all_true = np.logical_and.reduce([k & t for t, k in parts])
    return all_true, false_any | all_true


def evaluate_columns(
    protocol: Protocol, facts: dict[str, FactColumn], n: int
) -> tuple[Codes, Codes]:
    """(status matrix n × criteria, overall codes) for ``n`` patients."""
    status = np.empty((n, len(protocol.criteria)), dtype=np.int8)
    against = np.zeros(n, dtype=bool)
    unknown = np.zeros(n, dtype=bool)
    for j, criterion in enumerate(protocol.criteria):
        truth, known = rule_truth(criterion.rule, protocol, facts)
        code = np.where(
            known,
            np.where(truth, STATUS_CODES["met"], STATUS_CODES["not_met"]),
            STATUS_CODES["cannot_tell"],
        )
        status[:, j] = code
        against |= known & (truth if criterion.kind == "exclusion" else ~truth)
        unknown |= ~known
    overall = np.where(
        against,
        OVERALL_CODES["ineligible"],
        np.where(unknown, OVERALL_CODES["incomplete"], OVERALL_CODES["eligible"]),
    )
    return status, overall.astype(np.int8)
