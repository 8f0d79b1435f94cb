"""Baseline characteristics (ADSL columns) from screening records.

Every value is derived the way the eligibility engine derives it
(:func:`oligotrial.eligibility.facts.derive_fact`: age on the consent date, Child-Pugh score
from the labs in their units, AFP in ng/mL, BCLC at FLST start, oligoprogressive lesions
counted by lymph-node region), so Table 1 and the screening verdicts agree. A value the
record does not give is left empty, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from oligotrial.eligibility.facts import Missing, derive_fact
from oligotrial.eligibility.record import ScreeningRecord
from oligotrial.eligibility.rules_check import derivation_settings
from oligotrial.protocol import Protocol

_FACTS = {
    "AGE": "age_at_consent_years",
    "CPSCORE": "child_pugh_score",
    "AFPBL": "afp_ng_ml",
    "BCLC": "bclc_stage_at_flst_start",
    "NPROGLES": "oligoprogressive_lesion_count",
}


def _value(v: Any) -> Any:
    return None if isinstance(v, Missing) else v


def baseline_frame(
    records: Sequence[ScreeningRecord], protocol: Protocol, usubjid: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One row per record: USUBJID (via ``usubjid``: patient_id -> USUBJID) and baseline
    columns SITEID, AGE, AGEGR1, SEX, ECOGBL, CPSCORE, AFPBL, BCLC, NPROGLES, HBSAG, FLSTREG."""
    settings = derivation_settings(protocol)
    ids = usubjid or {}
    rows = []
    for r in records:
        row: dict[str, Any] = {"USUBJID": ids.get(r.patient_id, r.patient_id), "SITEID": r.site}
        for column, fact in _FACTS.items():
            row[column] = _value(derive_fact(fact, r, settings))
        age = row["AGE"]
        row["AGEGR1"] = None if age is None else ("<65" if age < 65 else ">=65")
        row["SEX"] = {"female": "F", "male": "M"}.get(r.sex or "")
        row["ECOGBL"] = r.ecog
        hbsag = r.hbv.hbsag_positive
        row["HBSAG"] = None if hbsag is None else ("Positive" if hbsag else "Negative")
        row["FLSTREG"] = r.flst.regimen
        rows.append(row)
    return pd.DataFrame(rows)
