"""The codes of a laboratory's ctDNA results in FHIR, read from ``ctdna_results.yaml``.

Codes are data (as in :mod:`.mapping`): which Observation codes carry which field of a
sample's result, the answers that mean detected or not, the Genomics Reporting IG's
variant components, the UCUM units allowed (with their factor to percent) and the
identifier systems naming the trial's patients and tube labels. A code not in the table
is refused by the reader, never guessed.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from oligotrial.errors import InputError

Coding = tuple[str, str]  # (system, code)
FIELDS = ("ctdna_detected", "mean_vaf", "max_vaf", "tumour_fraction")
VARIANT_PARTS = ("code", "gene", "dna_change", "protein_change", "vaf")


@dataclass(frozen=True)
class CtdnaTable:
    patient_system: str
    specimen_system: str
    observations: Mapping[Coding, str]  # coding -> field of the result
    detected: frozenset[Coding]
    not_detected: frozenset[Coding]
    variant: Mapping[str, Coding]  # code, gene, dna_change, protein_change, vaf
    units: Mapping[str, float]  # UCUM code -> factor to percent
    statuses: frozenset[str]


def _coding(entry: Any, where: str) -> Coding:
    if not isinstance(entry, dict) or not entry.get("system") or not entry.get("code"):
        raise InputError(where, "needs a system and a code")
    return str(entry["system"]), str(entry["code"])


def parse_table(data: Mapping[str, Any]) -> CtdnaTable:
    """The table from its YAML form; a bad entry is named by its path."""
    ids = data.get("identifiers") or {}
    if not ids.get("patient") or not ids.get("specimen"):
        raise InputError("identifiers", "needs the patient and specimen identifier systems")
    observations: dict[Coding, str] = {}
    for field, entries in (data.get("observations") or {}).items():
        if field not in FIELDS:
            raise InputError(f"observations.{field}", f"is not one of {', '.join(FIELDS)}")
        for k, entry in enumerate(entries or []):
            coding = _coding(entry, f"observations.{field}[{k}]")
            if coding in observations:
                raise InputError(f"observations.{field}[{k}]", f"{coding} is mapped twice")
            observations[coding] = field
    variant = {
        p: _coding((data.get("variant") or {}).get(p), f"variant.{p}") for p in VARIANT_PARTS
    }
    units = {str(u): float(f) for u, f in (data.get("units") or {}).items()}
    if not units:
        raise InputError("units", "names no unit")
    return CtdnaTable(
        patient_system=str(ids["patient"]),
        specimen_system=str(ids["specimen"]),
        observations=observations,
        detected=frozenset(
            _coding(e, f"detected[{k}]") for k, e in enumerate(data.get("detected") or [])
        ),
        not_detected=frozenset(
            _coding(e, f"not_detected[{k}]") for k, e in enumerate(data.get("not_detected") or [])
        ),
        variant=variant,
        units=units,
        statuses=frozenset(str(s) for s in data.get("statuses") or ()),
    )


@functools.cache
def load_table() -> CtdnaTable:
    """The table shipped with the package."""
    text = resources.files("oligotrial.interop.fhir").joinpath("ctdna_results.yaml").read_text()
    return parse_table(yaml.safe_load(text))
