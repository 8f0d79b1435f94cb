"""The trial protocol as validated data.

``load_protocol()`` returns the shipped NCT06841172 protocol; ``load_protocol(path)`` any
other file. Errors name the field path and the file line.
"""

from oligotrial.protocol.loader import load_protocol, protocol_from_data, shipped_protocol_path
from oligotrial.protocol.model import (
    Arm,
    AssessmentPeriod,
    AssessmentSchedule,
    Criterion,
    DesignAssumptions,
    Minimization,
    Protocol,
    Randomization,
    Safety,
    StratificationFactor,
)
from oligotrial.protocol.rules import AllOf, AnyOf, Condition, NotOf, Rule, SettingRef

__all__ = [
    "AllOf",
    "AnyOf",
    "Arm",
    "AssessmentPeriod",
    "AssessmentSchedule",
    "Condition",
    "Criterion",
    "DesignAssumptions",
    "Minimization",
    "NotOf",
    "Protocol",
    "Randomization",
    "Rule",
    "Safety",
    "SettingRef",
    "StratificationFactor",
    "load_protocol",
    "protocol_from_data",
    "shipped_protocol_path",
]
