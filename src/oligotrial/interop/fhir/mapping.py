"""The FHIR-to-screening-record mapping, read from ``mapping.yaml`` (codes as data).

Each FHIR coding (system, code) is looked up in the table for its resource type:
observations and medications by exact code, conditions by the longest matching code
prefix (ICD-10 is hierarchical), procedures and diagnostic reports by exact code. An entry
``ignore`` is known and deliberately not used; a coding found nowhere is *unknown* and is
counted by the reader, never guessed.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from oligotrial.errors import InputError


@dataclass(frozen=True)
class Rule:
    """One table entry: what a code means for the screening record."""

    system: str
    code: str
    lab: str | None = None
    field: str | None = None
    integer: bool = False
    answers: Mapping[str, Any] | None = None
    marks: str | None = None
    malignancy: str | None = None
    active_only: bool = False
    drug: str | None = None
    ici: bool = False
    antiviral: str | None = None
    radiotherapy: bool = False
    basis: str | None = None
    histology: str | None = None
    ignore: str | None = None


@dataclass(frozen=True)
class FhirMapping:
    """The whole table, indexed for lookups by (system URI, code)."""

    systems: Mapping[str, str]  # alias (loinc, atc ...) -> URI
    ucum: Mapping[str, str]
    lab_recent_days: int
    regimen_window_days: int
    observations: Mapping[tuple[str, str], Rule]
    conditions: Mapping[str, Mapping[str, Rule]]  # system -> prefix -> rule
    medications: Mapping[tuple[str, str], Rule]
    procedures: Mapping[tuple[str, str], Rule]
    report_basis: Mapping[tuple[str, str], Rule]
    report_conclusions: Mapping[tuple[str, str], Rule]

    def condition(self, system: str | None, code: str | None) -> Rule | None:
        """The rule of the longest prefix of ``code`` listed for ``system``."""
        table = self.conditions.get(system or "")
        if not table or not code:
            return None
        for end in range(len(code), 0, -1):
            rule = table.get(code[:end])
            if rule is not None:
                return rule
        return None

    def unit(self, quantity_code: str | None, unit: str | None) -> str | None:
        """The unit as the clinical unit table spells it: the UCUM code translated, else
        the displayed unit as it is (the unit table knows the common spellings)."""
        if quantity_code is not None and quantity_code in self.ucum:
            return self.ucum[quantity_code]
        return unit if unit is not None else quantity_code


def _rules(rows: Iterable[Mapping[str, Any]], systems: Mapping[str, str], key: str) -> list[Rule]:
    out = []
    for i, row in enumerate(rows):
        where = f"mapping.yaml: {key}.{i}"
        data = dict(row)
        alias = data.pop("system", None)
        if alias not in systems:
            raise InputError(where, f"unknown code system {alias!r}")
        code = data.pop("code", None) or data.pop("prefix", None)
        if not code:
            raise InputError(where, "needs a code (or a prefix)")
        try:
            out.append(Rule(system=systems[alias], code=str(code), **data))
        except TypeError as exc:
            raise InputError(where, f"unknown key ({exc})") from None
    return out


def _by_code(rules: list[Rule]) -> dict[tuple[str, str], Rule]:
    return {(r.system, r.code): r for r in rules}


def parse_mapping(data: Mapping[str, Any]) -> FhirMapping:
    """Build the table from its parsed YAML."""
    systems = data["systems"]
    conditions: dict[str, dict[str, Rule]] = {}
    for rule in _rules(data["conditions"], systems, "conditions"):
        conditions.setdefault(rule.system, {})[rule.code] = rule
    reports = data["diagnostic_reports"]
    return FhirMapping(
        systems={str(k): str(v) for k, v in systems.items()},
        ucum={str(k): str(v) for k, v in data["ucum"].items()},
        lab_recent_days=int(data["lab_recent_days"]),
        regimen_window_days=int(data["regimen_window_days"]),
        observations=_by_code(_rules(data["observations"], systems, "observations")),
        conditions=conditions,
        medications=_by_code(_rules(data["medications"], systems, "medications")),
        procedures=_by_code(_rules(data["procedures"], systems, "procedures")),
        report_basis=_by_code(_rules(reports["basis"], systems, "diagnostic_reports.basis")),
        report_conclusions=_by_code(
            _rules(reports["conclusions"], systems, "diagnostic_reports.conclusions")
        ),
    )


@functools.cache
def load_mapping() -> FhirMapping:
    """The mapping shipped with the package."""
    text = resources.files(__package__).joinpath("mapping.yaml").read_text(encoding="utf-8")
    return parse_mapping(yaml.safe_load(text))
