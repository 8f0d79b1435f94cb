"""Strata: every combination of the levels of the stratification factors.

A stratum is written as a key ``"site=S01|oligoprogression_site=intrahepatic-only|..."`` in
the order the factors are declared, so the key is stable and readable in exports.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from oligotrial.errors import InputError


@dataclass(frozen=True)
class Factor:
    """A stratification factor and its levels, in protocol order."""

    name: str
    levels: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.name:
            raise InputError("stratification.name", "a factor needs a name")
        if not self.levels:
            raise InputError(f"stratification.{self.name}.levels", "a factor needs levels")
        if len(set(self.levels)) != len(self.levels):
            raise InputError(f"stratification.{self.name}.levels", "levels repeat")
        for level in self.levels:
            if not level or "|" in level or "=" in level:
                raise InputError(
                    f"stratification.{self.name}.levels",
                    f"level {level!r} must be non-empty and contain neither '|' nor '='",
                )


def stratum_key(factors: Sequence[Factor], values: Mapping[str, str | None]) -> str:
    """The stratum of a patient; names every factor that is missing or has an unknown level."""
    problems: list[str] = []
    parts: list[str] = []
    for factor in factors:
        value = values.get(factor.name)
        if value is None or value == "":
            problems.append(f"{factor.name} is not recorded")
        elif value not in factor.levels:
            problems.append(f"{factor.name} {value!r} is not one of {', '.join(factor.levels)}")
        else:
            parts.append(f"{factor.name}={value}")
    if problems:
        raise InputError("stratification", "; ".join(problems))
    return "|".join(parts)


def all_strata(factors: Sequence[Factor]) -> tuple[str, ...]:
    """Every stratum key, in the order of the factors' levels (the last factor varies fastest)."""
    names = [f.name for f in factors]
    keys = []
    for combo in itertools.product(*(f.levels for f in factors)):
        keys.append("|".join(f"{n}={v}" for n, v in zip(names, combo, strict=True)))
    return tuple(keys)


def parse_stratum_key(key: str) -> dict[str, str]:
    """The factor values a stratum key encodes."""
    out: dict[str, str] = {}
    for part in key.split("|"):
        name, _, value = part.partition("=")
        out[name] = value
    return out
