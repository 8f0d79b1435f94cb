"""ECOG performance status.

Source: Oken MM, Creech RH, Tormey DC, et al. Toxicity and response criteria of the
Eastern Cooperative Oncology Group. Am J Clin Oncol 1982;5:649-655.

Grades 0-5, integers only: 0 fully active; 1 restricted in strenuous activity, ambulatory;
2 ambulatory and capable of self-care, up and about > 50% of waking hours; 3 limited
self-care, confined to bed or chair > 50% of waking hours; 4 completely disabled; 5 dead.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from oligotrial.errors import InputError

__all__ = ["ECOG_DESCRIPTIONS", "check_ecog"]

ECOG_DESCRIPTIONS: Mapping[int, str] = MappingProxyType(
    {
        0: "fully active, able to carry on all pre-disease performance without restriction",
        1: "restricted in physically strenuous activity but ambulatory and able to carry out "
        "light work",
        2: "ambulatory and capable of all self-care but unable to work; up and about more "
        "than 50% of waking hours",
        3: "capable of only limited self-care; confined to bed or chair more than 50% of "
        "waking hours",
        4: "completely disabled; no self-care; totally confined to bed or chair",
        5: "dead",
    }
)


def check_ecog(value: object, *, field: str = "ecog") -> int:
    """Return ``value`` as an ECOG grade 0-5, or raise :class:`InputError`.

    Accepts an int, an integral float (``1.0``) or a digit string (``"1"``); refuses
    booleans, fractions and anything outside 0-5.
    """
    grade: int
    if isinstance(value, bool):
        raise InputError(field, f"ECOG must be an integer 0-5, got {value!r}")
    if isinstance(value, int):
        grade = value
    elif isinstance(value, float) and value.is_integer():
        grade = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        grade = int(value.strip())
    else:
        raise InputError(field, f"ECOG must be an integer 0-5, got {value!r}")
    if not 0 <= grade <= 5:
        raise InputError(field, f"ECOG must be between 0 and 5, got {grade}")
    return grade
