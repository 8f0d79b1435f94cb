"""Write a synthetic trial as the product's input files.

* ``screening.jsonl``: one screening record per line (``oligotrial screen FILE.jsonl``);
* ``assessments.json``: ``{"patients": [...]}`` in the endpoint input format
  (``oligotrial endpoints FILE``, ``oligotrial recist``).
"""

from __future__ import annotations

import json
from pathlib import Path

from oligotrial.synth.assessment_record import to_patient_record
from oligotrial.synth.screening_record import to_screening_record
from oligotrial.synth.trial import SyntheticTrial


def write_screening_jsonl(trial: SyntheticTrial, path: str | Path) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for c in trial.candidates:
            fh.write(json.dumps(to_screening_record(c), ensure_ascii=False) + "\n")
    return out


def write_assessments_json(trial: SyntheticTrial, path: str | Path) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    data = {"patients": [to_patient_record(p) for p in trial.patients]}
    out.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    return out
