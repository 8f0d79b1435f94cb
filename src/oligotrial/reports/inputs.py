"""What the report is built from: ADaM-like data frames plus trial metadata.

The frames are those the endpoint package writes (:mod:`oligotrial.endpoints.datasets`),
with baseline characteristics and site data added. Required columns:

* ``adsl``  USUBJID, ARMCD and the analysis strata (default STRAT_OLIGOPROGRESSION_SITE,
  STRAT_FLST_ICI). Optional, used when present: SITEID, RANDDT, AGE, AGEGR1, SEX, ECOGBL,
  AETIOL, HBSAG, CPSCORE, BCLC, FLSTREG, NPROGLES, AFPBL (Table 1, subgroups), TRTSDT,
  TRTEDT, DCTREAS (treatment end and its reason: swimmer plot, CONSORT).
* ``adtte`` USUBJID, PARAMCD (PFS, OS, DOR), AVAL with AVALU (DAYS or MONTHS) or AVALM
  (months), CNSR (0 = event).
* ``adrs``  USUBJID, PARAMCD (OVR per visit with ADY, randomization = day 1; BOR), AVALC;
  PCHG on OVR rows feeds the waterfall and spider plots when ``adtr`` is not given.
* ``adae``  USUBJID, AEBODSYS, AEDECOD, AETOXGR, AESER; TRTEMFL = "Y" rows are counted
  when the column exists.
* optional: ``adtr`` (USUBJID, ADY, PCHG, NEWLES), ``screening`` (SCRID, ELIGFL, FAILCRIT),
  ``visits`` (USUBJID, SITEID, STATUS done|missed), ``ctdna`` (USUBJID, SITEID, TIMEPOINT,
  COLLECTED Y|N).

Times are shown in months (days / 30.4375).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from oligotrial.errors import InputError

DAYS_PER_MONTH = 365.25 / 12
REQUIRED: Mapping[str, tuple[str, ...]] = {
    "adsl": ("USUBJID", "ARMCD"),
    "adtte": ("USUBJID", "PARAMCD", "AVAL", "CNSR"),
    "adrs": ("USUBJID", "PARAMCD", "AVALC"),
    "adae": ("USUBJID", "AEBODSYS", "AEDECOD", "AETOXGR", "AESER"),
    "adtr": ("USUBJID", "ADY", "PCHG"),
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
    adae: pd.DataFrame
    adtr: pd.DataFrame | None = None
    screening: pd.DataFrame | None = None
    visits: pd.DataFrame | None = None
    ctdna: pd.DataFrame | None = None
    protocol_id: str = "NCT06841172"
    protocol_version: str = "1.0"
    title: str = ("RT to oligoprogressive lesions + continued first-line therapy vs early "
                  "switch to second-line therapy in HCC")
    data_cutoff: date | None = None
    design: DesignAssumptions = field(default_factory=DesignAssumptions)
    arm_names: Mapping[str, str] = field(default_factory=lambda: {
        "A": "RT + continued FLST", "B": "Early switch to SLST"})
    analysis_strata: tuple[str, ...] = ("STRAT_OLIGOPROGRESSION_SITE", "STRAT_FLST_ICI")
    data_source: str = "trial database"

    def __post_init__(self) -> None:
        for name, columns in REQUIRED.items():
            frame = getattr(self, name)
            if frame is None:
                continue
            if not isinstance(frame, pd.DataFrame):
                raise InputError(name, "must be a pandas DataFrame")
            missing = [c for c in columns if c not in frame.columns]
            if missing and not (frame.empty and name in ("adae", "adtr", "ctdna", "visits")):
                raise InputError(f"{name}.{missing[0]}", "required column is missing")
        arms = set(self.adsl["ARMCD"])
        if not arms <= set(self.arm_names):
            unknown_arms = sorted(map(str, arms - set(self.arm_names)))
            raise InputError("adsl.ARMCD", f"unknown arm codes {unknown_arms}")
        for s in self.analysis_strata:
            if s not in self.adsl.columns:
                raise InputError(f"adsl.{s}", "analysis stratum column is missing")
        unknown = set(self.adtte["USUBJID"]) - set(self.adsl["USUBJID"])
        if unknown:
            raise InputError("adtte.USUBJID", f"not in adsl: {sorted(unknown)[0]}")
        object.__setattr__(self, "adtte", _months(self.adtte))
        object.__setattr__(self, "adae", _emergent(self.adae))
        if self.adtr is None:
            ovr = self.adrs[self.adrs["PARAMCD"] == "OVR"]
            adtr = (ovr[ovr["PCHG"].notna()][["USUBJID", "ADY", "PCHG"]]
                    if "PCHG" in ovr.columns and "ADY" in ovr.columns
                    else pd.DataFrame(columns=["USUBJID", "ADY", "PCHG"]))
            object.__setattr__(self, "adtr", adtr.astype({"PCHG": float}))


def _months(tte: pd.DataFrame) -> pd.DataFrame:
    """Add MONTHS (analysis time in months) from AVALM, or AVAL with its unit AVALU."""
    out = tte.copy()
    if "AVALM" in out.columns:
        months = pd.to_numeric(out["AVALM"], errors="coerce")
    elif "AVALU" in out.columns:
        unit = out["AVALU"].astype(str).str.upper()
        if not unit.isin(["DAYS", "MONTHS"]).all():
            raise InputError("adtte.AVALU", "must be DAYS or MONTHS")
        aval = pd.to_numeric(out["AVAL"], errors="coerce")
        months = aval.where(unit == "MONTHS", aval / DAYS_PER_MONTH)
    else:
        raise InputError("adtte.AVALU", "give the unit of AVAL (DAYS or MONTHS) or AVALM")
    bad = out[months.isna() | (months < 0)]
    if not bad.empty:
        raise InputError("adtte.AVAL", f"negative or missing for {bad['USUBJID'].iloc[0]}")
    out["MONTHS"] = months.astype(float)
    return out


def _emergent(ae: pd.DataFrame) -> pd.DataFrame:
    out = ae.copy()
    if "TRTEMFL" in out.columns:
        out = out[out["TRTEMFL"] == "Y"]
    if not out.empty:
        out["AETOXGR"] = pd.to_numeric(out["AETOXGR"], errors="raise").astype(int)
        # one row per patient and term, at the maximum grade (REFERENCE.md §4)
        out = (out.sort_values("AETOXGR", ascending=False)
               .assign(AESER=lambda d: d.groupby(["USUBJID", "AEDECOD"])["AESER"]
                       .transform(lambda s: "Y" if (s == "Y").any() else "N"))
               .drop_duplicates(["USUBJID", "AEDECOD"]))
    return out
