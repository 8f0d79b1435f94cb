"""Check a protocol's criteria against the fact catalogue and resolve its settings.

Run once per protocol: every fact a rule names must exist, operands must suit the fact's
kind, and every setting must be used (a misspelt setting would otherwise be ignored).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oligotrial.eligibility.catalogue import DERIVATION_SETTINGS, FACTS
from oligotrial.errors import ProtocolError
from oligotrial.protocol import Protocol
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


def _check_condition(protocol: Protocol, index: int, condition: Condition) -> None:
    field = f"criteria.{index}.rule"
    spec = FACTS.get(condition.fact)
    if spec is None:
        raise ProtocolError(
            field,
            f"unknown fact {condition.fact!r}{_where(protocol, 'criteria', index, 'rule')}; "
            f"known facts: {', '.join(sorted(FACTS))}",
        )
    if spec.kind == "bool" and condition.op not in _BOOL_OPS:
        raise ProtocolError(
            field,
            f"fact {condition.fact!r} is true/false: use is_true or is_false"
            f"{_where(protocol, 'criteria', index, 'rule')}",
        )
    if spec.kind != "bool" and condition.op in _BOOL_OPS:
        raise ProtocolError(
            field,
            f"fact {condition.fact!r} is a {spec.kind}, not true/false"
            f"{_where(protocol, 'criteria', index, 'rule')}",
        )
    operands = [resolve(protocol, o) for o in (condition.value, condition.min, condition.max)]
    if spec.kind == "number" or condition.op in _NUMERIC_OPS:
        for value in operands:
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                raise ProtocolError(
                    field,
                    f"fact {condition.fact!r} compares with numbers, got {value!r}"
                    f"{_where(protocol, 'criteria', index, 'rule')}",
                )
    if spec.kind == "category" and condition.op in _NUMERIC_OPS:
        raise ProtocolError(field, f"fact {condition.fact!r} is a category: use eq, ne, in")


def derivation_settings(protocol: Protocol) -> Mapping[str, Any]:
    """The settings that shape fact derivation, with defaults for those the file omits."""
    return {
        name: protocol.eligibility.get(name, default)
        for name, default in DERIVATION_SETTINGS.items()
    }


def check_protocol(protocol: Protocol) -> None:
    """Raise :class:`ProtocolError` if a rule names an unknown fact or misuses one."""
    used: set[str] = set()
    for index, criterion in enumerate(protocol.criteria):
        for condition in iter_conditions(criterion.rule):
            _check_condition(protocol, index, condition)
            used.update(condition.setting_refs())
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
