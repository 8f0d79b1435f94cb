"""What the report is built from: ADaM-like data frames plus trial metadata.

Frames and their required columns (CDISC ADaM names, as the endpoints package writes them):

* ``adsl``  one row per randomized patient: USUBJID, SITEID, ARMCD, TRT01P, RANDDT, AGE,
  SEX, ECOGBL, FLSTICI, OLIGOSIT (strata and baseline characteristics; further columns
  listed in :data:`TABLE1_ROWS` are used when present), TRTSDT, TRTEDT, DCSREAS.
* ``adtte`` one row per patient and parameter: USUBJID, PARAMCD (PFS, OS, DOR), AVAL
  (months), CNSR (0 = event).
* ``adrs``  USUBJID, PARAMCD (OVR per visit with ADY; BOR one per patient), AVALC.
* ``adtr``  target-lesion sums: USUBJID, ADY, PCHG (% change from baseline), NEWLES.
* ``adae``  USUBJID, AEBODSYS, AEDECOD, AETOXGR, AESER (one row per patient and term).
* ``screening`` one row per screened person: SCRID, ELIGFL, FAILCRIT (criterion id).
* ``visits`` scheduled tumour assessments: USUBJID, SITEID, STATUS (done | missed).
* ``ctdna`` planned samples: USUBJID, SITEID, TIMEPOINT, COLLECTED (Y | N).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from oligotrial.errors import InputError

REQUIRED: Mapping[str, tuple[str, ...]] = {
    "adsl": ("USUBJID", "SITEID", "ARMCD", "TRT01P", "RANDDT", "AGE", "SEX", "ECOGBL",
             "FLSTICI", "OLIGOSIT", "TRTSDT", "TRTEDT", "DCSREAS"),
    "adtte": ("USUBJID", "PARAMCD", "AVAL", "CNSR"),
    "adrs": ("USUBJID", "PARAMCD", "AVALC"),
    "adtr": ("USUBJID", "ADY", "PCHG"),
    "adae": ("USUBJID", "AEBODSYS", "AEDECOD", "AETOXGR", "AESER"),
    "screening": ("SCRID", "ELIGFL", "FAILCRIT"),
    "visits": ("USUBJID", "SITEID", "STATUS"),
    "ctdna": ("USUBJID", "SITEID", "TIMEPOINT", "COLLECTED"),
}


@dataclass(frozen=True)
class DesignAssumptions:
    control_median_months: float = 3.1
    hazard_ratio: float = 0.55
    alpha: float = 0.05
    sides: int = 2
    power: float = 0.90
    accrual_months: float = 24.0
    follow_up_months: float = 12.0
    dropout_per_year: float = 0.10
    planned_subjects: int = 132
    planned_events: int = 118
    interim_information: tuple[float, ...] = (0.5, 1.0)
    spending: str = "obrien-fleming"

    @classmethod
    def from_mapping(cls, m: Mapping[str, Any]) -> DesignAssumptions:
        known = {k: m[k] for k in cls.__dataclass_fields__ if k in m}
        if "interim_information" in known:
            known["interim_information"] = tuple(float(x) for x in known["interim_information"])
        return cls(**known)


@dataclass(frozen=True)
class ReportInputs:
    adsl: pd.DataFrame
    adtte: pd.DataFrame
    adrs: pd.DataFrame
    adtr: pd.DataFrame
    adae: pd.DataFrame
    screening: pd.DataFrame
    visits: pd.DataFrame
    ctdna: pd.DataFrame
    protocol_id: str = "NCT06841172"
    protocol_version: str = "1.0"
    title: str = ("RT to oligoprogressive lesions + continued first-line therapy vs early "
                  "switch to second-line therapy in HCC")
    data_cutoff: date | None = None
    design: DesignAssumptions = field(default_factory=DesignAssumptions)
    arm_names: Mapping[str, str] = field(default_factory=lambda: {
        "A": "RT + continued FLST", "B": "Early switch to SLST"})
    analysis_strata: tuple[str, ...] = ("OLIGOSIT", "FLSTICI")
    data_source: str = "synthetic"
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name, columns in REQUIRED.items():
            frame = getattr(self, name)
            if not isinstance(frame, pd.DataFrame):
                raise InputError(name, "must be a pandas DataFrame")
            missing = [c for c in columns if c not in frame.columns]
            if missing and not (frame.empty and name in ("adae", "adtr", "ctdna")):
                raise InputError(f"{name}.{missing[0]}", "required column is missing")
        arms = set(self.adsl["ARMCD"])
        if not arms <= set(self.arm_names):
            unknown_arms = sorted(arms - set(self.arm_names))
            raise InputError("adsl.ARMCD", f"unknown arm codes {unknown_arms}")
        for s in self.analysis_strata:
            if s not in self.adsl.columns:
                raise InputError(f"adsl.{s}", "analysis stratum column is missing")
        tte = self.adtte
        bad = tte[(tte["AVAL"] < 0) | tte["AVAL"].isna()]
        if not bad.empty:
            raise InputError("adtte.AVAL", f"negative or missing for {bad['USUBJID'].iloc[0]}")
        unknown = set(tte["USUBJID"]) - set(self.adsl["USUBJID"])
        if unknown:
            raise InputError("adtte.USUBJID", f"not in adsl: {sorted(unknown)[0]}")
