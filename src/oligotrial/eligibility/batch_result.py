"""Verdicts of many patients at once, as integer matrices, and their summary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from oligotrial.eligibility.verdicts import OVERALL_BY_CODE, OVERALL_CODES, STATUS_CODES

Codes = npt.NDArray[np.int8]


@dataclass(frozen=True)
class BatchResult:
    """``status[i, j]``: code (0 not met, 1 met, 2 cannot tell) of criterion j for patient i;
    ``overall[i]``: 0 ineligible, 1 eligible, 2 incomplete."""

    criterion_ids: tuple[str, ...]
    kinds: tuple[str, ...]
    patient_ids: tuple[str, ...]
    status: Codes
    overall: Codes

    def __len__(self) -> int:
        return len(self.patient_ids)

    def against(self) -> npt.NDArray[np.bool_]:
        """Verdicts decided against the patient (inclusion not met, exclusion met)."""
        inclusion = np.array([k == "inclusion" for k in self.kinds], dtype=bool)
        against_code = np.where(inclusion, STATUS_CODES["not_met"], STATUS_CODES["met"])
        return np.asarray(self.status == against_code[None, :], dtype=bool)

    def summary(self) -> dict[str, Any]:
        """Counts overall and, per criterion, how many fail it and how many cannot be told."""
        failing = self.against().sum(axis=0)
        unknown = (self.status == STATUS_CODES["cannot_tell"]).sum(axis=0)
        alone = self.against() & (self.against().sum(axis=1) == 1)[:, None]
        return {
            "patients": len(self),
            "overall": {
                name: int((self.overall == OVERALL_CODES[name]).sum()) for name in OVERALL_BY_CODE
            },
            "criteria": [
                {
                    "id": cid,
                    "fail": int(failing[j]),
                    "fail_alone": int(alone[:, j].sum()),
                    "cannot_tell": int(unknown[j]),
                }
                for j, cid in enumerate(self.criterion_ids)
            ],
        }

    def rows(self) -> list[dict[str, Any]]:
        """One small dict per patient: id, overall verdict, failed and unknown criteria."""
        against = self.against()
        unknown = self.status == STATUS_CODES["cannot_tell"]
        ids = np.array(self.criterion_ids, dtype=object)
        return [
            {
                "patient_id": pid,
                "overall": OVERALL_BY_CODE[int(self.overall[i])],
                "failed": ids[against[i]].tolist(),
                "cannot_tell": ids[unknown[i]].tolist(),
            }
            for i, pid in enumerate(self.patient_ids)
        ]
