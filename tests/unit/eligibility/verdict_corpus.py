"""A fixed corpus of screening records and the engine's complete answer for each.

The corpus: every shipped example (``examples/screening/*.json``) and seeded variations of
them (dates, labs, lesion sizes, ECOG varied; some fields set to ``null`` so that facts are
unknown or only bounded; some values made invalid, so that the refusals are kept too).
The answer of one record: its overall verdict, failed criteria, missing data, each
criterion's status, values and missing data, and the stratification levels; or, for a
refused record, the field and problem of the refusal.

``python tests/unit/eligibility/verdict_corpus.py > tests/unit/eligibility/data/verdicts.jsonl``
writes the expected answers (JSON Lines, one record a line) with the engine installed.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from oligotrial.eligibility import evaluate, record_from_data, stratum_values
from oligotrial.errors import InputError
from oligotrial.protocol import Protocol, load_protocol

ROOT = Path(__file__).resolve().parents[3]
EXPECTED = Path(__file__).parent / "data" / "verdicts.jsonl"
AS_OF = dt.date(2026, 1, 1)
SEED = 20261206
VARIED = 300

# Fields set to null at random: each makes one or more facts unknown (or bounded).
NULLABLE = (
    "sex",
    "birth_date",
    "consent.signed",
    "consent.date",
    "diagnosis.basis",
    "diagnosis.histology",
    "flst.setting",
    "flst.start_date",
    "flst.disease_control_date",
    "flst.ongoing_at_oligoprogression",
    "flst.at_start.bclc_stage",
    "flst.at_start.ecog",
    "flst.at_start.child_pugh_score",
    "flst.at_start.tumour_count",
    "flst.at_start.largest_tumour_mm",
    "flst.at_start.macrovascular_invasion",
    "flst.at_start.extrahepatic_spread",
    "flst.adverse_events",
    "oligoprogression.date",
    "oligoprogression.prior_polymetastatic_disease",
    "oligoprogression.prior_oligometastatic_disease",
    "labs.bilirubin",
    "labs.albumin",
    "labs.inr",
    "labs.afp",
    "labs.hbv_dna",
    "ecog",
    "ascites",
    "encephalopathy",
    "hbv.hbsag_positive",
    "hbv.on_antiviral",
    "history.other_malignancies",
    "history.prior_radiotherapy",
    "history.received_investigational_therapy",
    "reproductive.pregnant",
    "samples.tumour",
    "attestations.expected_survival_months",
)
LESION_NULLABLE = ("lymph_node_region", "previously_irradiated", "amenable_to_rt")


def _examples() -> list[tuple[str, dict[str, Any]]]:
    folder = ROOT / "examples" / "screening"
    return [(p.name, json.loads(p.read_text("utf-8"))) for p in sorted(folder.glob("*.json"))]


def _shift_dates(node: Any, days: int) -> Any:
    if isinstance(node, dict):
        return {k: _shift_dates(v, days) for k, v in node.items()}
    if isinstance(node, list):
        return [_shift_dates(v, days) for v in node]
    if isinstance(node, str) and len(node) == 10 and node[4] == "-" and node[7] == "-":
        return (dt.date.fromisoformat(node) + dt.timedelta(days=days)).isoformat()
    return node


def _set_null(record: dict[str, Any], path: str) -> None:
    *parents, last = path.split(".")
    node = record
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = None


def _varied(base: dict[str, Any], i: int, rng: np.random.Generator) -> dict[str, Any]:
    r = _shift_dates(copy.deepcopy(base), -int(rng.integers(0, 400)))
    r["patient_id"] = f"V{i:04d}"
    if r.get("birth_date") and rng.random() < 0.5:
        born = dt.date.fromisoformat(r["birth_date"]) + dt.timedelta(int(rng.integers(-4000, 4000)))
        r["birth_date"] = born.isoformat()
    for lab in (r.get("labs") or {}).values():
        if lab and rng.random() < 0.7:
            lab["value"] = round(float(lab["value"] * rng.lognormal(0, 0.5)), 2)
    for lesion in (r.get("oligoprogression") or {}).get("lesions") or []:
        for key in ("longest_diameter_mm", "short_axis_mm"):
            if lesion.get(key) and rng.random() < 0.7:
                lesion[key] = round(float(lesion[key] * rng.uniform(0.4, 1.8)), 1)
        for key in LESION_NULLABLE:
            if rng.random() < 0.08:
                lesion[key] = None
    r["ecog"] = int(rng.choice([0, 0, 1, 1, 2, 3]))
    for k in rng.choice(len(NULLABLE), size=int(rng.integers(0, 4)), replace=False):
        _set_null(r, NULLABLE[int(k)])
    if rng.random() < 0.08:
        _spoil(r, int(rng.integers(len(_SPOILS))))
    return r


_SPOILS = ("ecog-text", "unit", "short-axis", "future", "organ", "extra-field")


def _spoil(r: dict[str, Any], which: int) -> None:
    """One invalid value, so that refusals are part of the corpus too."""
    kind = _SPOILS[which]
    lesions = (r.get("oligoprogression") or {}).get("lesions") or [{}]
    if kind == "ecog-text":
        r["ecog"] = "1"
    elif kind == "unit":
        r.setdefault("labs", {})["albumin"] = {"value": 3.5, "unit": "mg/furlong"}
    elif kind == "short-axis":
        lesions[0].update(longest_diameter_mm=10, short_axis_mm=12)
    elif kind == "future":
        r["screening_date"] = "2026-02-01"
    elif kind == "organ":
        lesions[0]["organ"] = "elbow of the moon"
    else:
        r["flst"]["regimen_name"] = "misspelt field"


def corpus() -> Iterator[tuple[str, dict[str, Any]]]:
    """(name, record data): the shipped examples, then the seeded variations."""
    examples = _examples()
    yield from examples
    rng = np.random.default_rng(SEED)
    for i in range(VARIED):
        name, base = examples[int(rng.integers(len(examples)))]
        yield f"{name}#{i}", _varied(base, i, rng)


def answer(protocol: Protocol, name: str, data: dict[str, Any]) -> dict[str, Any]:
    """The engine's complete answer for one record, as plain JSON values."""
    try:
        record = record_from_data(json.loads(json.dumps(data)), as_of=AS_OF)
    except InputError as exc:
        return {"name": name, "refused": {"field": exc.field, "problem": exc.problem}}
    result = evaluate(protocol, record).to_dict()
    return {
        "name": name,
        "overall": result["overall"],
        "failed": result["failed"],
        "missing": result["missing"],
        "criteria": [
            [c["id"], c["status"], c["in_favour"], c["values"], c["missing"]]
            for c in result["criteria"]
        ],
        "strata": stratum_values(protocol, record),
    }


def answers() -> Iterator[dict[str, Any]]:
    protocol = load_protocol()
    for name, data in corpus():
        yield answer(protocol, name, data)


if __name__ == "__main__":
    for line in answers():
        sys.stdout.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
