"""Check a protocol's criteria against the fact catalogue and resolve its settings.

Run once per protocol: every fact a rule names (in a criterion or a stratification
factor) must exist, operands must suit the fact's kind, a factor computed from a ``fact``
must name a category fact whose values are its levels, and every setting must be used (a
misspelt setting would otherwise be ignored).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oligotrial.eligibility.catalogue import DERIVATION_SETTINGS, FACTS
from oligotrial.errors import ProtocolError
from oligotrial.protocol import Protocol
from oligotrial.protocol.model import rule_locations
from oligotrial.protocol.rules import Condition, SettingRef, iter_conditions

_NUMERIC_OPS = {"lt", "le", "gt", "ge", "between"}
_BOOL_OPS = {"is_true", "is_false"}


def _where(protocol: Protocol, *path: str | int) -> str:
    line = protocol.line_of(*path)
    name = protocol.source or protocol.id
    return f" ({name} line {line})" if line else ""


def resolve(protocol: Protocol, operand: Any) -> Any:
    """A literal operand, or the value of the setting it names."""
    if isinstance(operand, SettingRef):
        return protocol.eligibility[operand.setting]
    return operand


def _check_condition(protocol: Protocol, loc: tuple[str | int, ...], condition: Condition) -> None:
    field = ".".join(str(p) for p in loc)
    at = _where(protocol, *loc)
    spec = FACTS.get(condition.fact)
    if spec is None:
        raise ProtocolError(
            field,
            f"unknown fact {condition.fact!r}{at}; known facts: {', '.join(sorted(FACTS))}",
        )
    if spec.kind == "bool" and condition.op not in _BOOL_OPS:
        raise ProtocolError(
            field, f"fact {condition.fact!r} is true/false: use is_true or is_false{at}"
        )
    if spec.kind != "bool" and condition.op in _BOOL_OPS:
        raise ProtocolError(field, f"fact {condition.fact!r} is a {spec.kind}, not true/false{at}")
    operands = [resolve(protocol, o) for o in (condition.value, condition.min, condition.max)]
    if spec.kind == "number" or condition.op in _NUMERIC_OPS:
        for value in operands:
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                raise ProtocolError(
                    field, f"fact {condition.fact!r} compares with numbers, got {value!r}{at}"
                )
    if spec.kind == "category" and condition.op in _NUMERIC_OPS:
        raise ProtocolError(field, f"fact {condition.fact!r} is a category: use eq, ne, in{at}")


def _check_factor_fact(protocol: Protocol, index: int) -> None:
    factor = protocol.stratification[index]
    if factor.fact is None:
        return
    field = f"stratification.{index}.fact"
    at = _where(protocol, "stratification", index, "fact")
    spec = FACTS.get(factor.fact)
    usable = sorted(name for name, s in FACTS.items() if s.values)
    if spec is None or not spec.values:
        what = "unknown fact" if spec is None else "fact without a fixed set of values"
        raise ProtocolError(
            field,
            f"{what} {factor.fact!r}{at}; a factor's fact must be one of: {', '.join(usable)} "
            "(or give rules: per level)",
        )
    if set(spec.values) != set(factor.levels):
        raise ProtocolError(
            f"stratification.{index}.levels",
            f"levels {', '.join(factor.levels)} must be the values of fact {factor.fact!r}: "
            f"{', '.join(spec.values)}{_where(protocol, 'stratification', index, 'levels')}",
        )


def derivation_settings(protocol: Protocol) -> Mapping[str, Any]:
    """The settings that shape fact derivation, with defaults for those the file omits."""
    return {
        name: protocol.eligibility.get(name, default)
        for name, default in DERIVATION_SETTINGS.items()
    }


def check_protocol(protocol: Protocol) -> None:
    """Raise :class:`ProtocolError` if a rule names an unknown fact or misuses one."""
    used: set[str] = set()
    for loc, rule in rule_locations(protocol):
        for condition in iter_conditions(rule):
            _check_condition(protocol, loc, condition)
            used.update(condition.setting_refs())
    for index in range(len(protocol.stratification)):
        _check_factor_fact(protocol, index)
    unused = sorted(set(protocol.eligibility) - used - set(DERIVATION_SETTINGS))
    if unused:
        raise ProtocolError(
            f"eligibility.{unused[0]}",
            "setting not read by any criterion (misspelt?)"
            f"{_where(protocol, 'eligibility', unused[0])}",
        )
    settings = derivation_settings(protocol)
    if settings["stable_disease_from"] not in ("flst-start", "disease-control-date"):
        raise ProtocolError(
            "eligibility.stable_disease_from", "must be flst-start or disease-control-date"
        )
    if settings["bclc_preserved_liver_function"] not in ("child-pugh-A", "child-pugh-B7"):
        raise ProtocolError(
            "eligibility.bclc_preserved_liver_function", "must be child-pugh-A or child-pugh-B7"
        )
