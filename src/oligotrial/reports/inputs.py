"""What the report is built from: ADaM-like data frames plus trial metadata.

The frames are those the endpoint package writes (:mod:`oligotrial.endpoints.datasets`),
with baseline characteristics and site data added. Required columns:

* ``adsl``  USUBJID, ARMCD and the analysis strata (STRAT_<NAME> for each stratification
  factor of the protocol other than site). Optional, used when present: SITEID, RANDDT,
  AGE, AGEGR1, SEX, ECOGBL, AETIOL, HBSAG, CPSCORE, BCLC, FLSTREG, NPROGLES, AFPBL (Table 1,
  subgroups), TRTSDT, TRTEDT, DCTREAS (treatment end and its reason: swimmer plot, CONSORT).
* ``adtte`` USUBJID, PARAMCD (PFS, OS, DOR), AVAL with AVALU (DAYS or MONTHS) or AVALM
  (months), CNSR (0 = event).
* ``adrs``  USUBJID, PARAMCD (OVR per visit with ADY, randomization = day 1; BOR), AVALC;
  PCHG on OVR rows feeds the waterfall and spider plots when ``adtr`` is not given.
* ``adae``  USUBJID, AEBODSYS, AEDECOD, AETOXGR, AESER; TRTEMFL = "Y" rows are counted
  when the column exists.
* optional: ``adtr`` (USUBJID, ADY, PCHG, NEWLES), ``screening`` (SCRID, ELIGFL, FAILCRIT),
  ``visits`` (USUBJID, SITEID, STATUS done|missed), ``ctdna`` (USUBJID, SITEID, TIMEPOINT,
  COLLECTED Y|N).

Trial metadata come from the protocol (``protocol``, default the shipped file): its id,
version, title, arms, strata, design assumptions and the ``report`` section (experimental
and control arm, short criterion reasons, labels). Times are shown in months
(days / 30.4375).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from oligotrial.errors import InputError
from oligotrial.exploratory import ExploratoryData
from oligotrial.protocol import DesignAssumptions, Protocol, load_protocol
from oligotrial.protocol.model import ReportTexts

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
class ReportInputs:
    adsl: pd.DataFrame
    adtte: pd.DataFrame
    adrs: pd.DataFrame
    adae: pd.DataFrame
    adtr: pd.DataFrame | None = None
    screening: pd.DataFrame | None = None
    visits: pd.DataFrame | None = None
    ctdna: pd.DataFrame | None = None
    protocol: Protocol = field(default_factory=load_protocol)
    data_cutoff: date | None = None
    data_source: str = "trial database"
    exploratory: ExploratoryData | None = None  # analysed ctDNA and biopsy results

    @property
    def protocol_id(self) -> str:
        return self.protocol.id

    @property
    def protocol_version(self) -> str:
        return self.protocol.version

    @property
    def title(self) -> str:
        return self.protocol.title

    @property
    def design(self) -> DesignAssumptions:
        return self.protocol.design

    @property
    def arm_names(self) -> Mapping[str, str]:
        """Arm code -> name, in the protocol's order."""
        return {a.code: a.name for a in self.protocol.arms}

    @property
    def analysis_strata(self) -> tuple[str, ...]:
        """ADSL columns of the stratification factors other than site (STRAT_<NAME>)."""
        return tuple(
            strata_column(f.name) for f in self.protocol.stratification if not f.from_sites
        )

    @property
    def experimental_arm(self) -> str:
        return self._texts.experimental_arm

    @property
    def control_arm(self) -> str:
        return self._texts.control_arm

    @property
    def _texts(self) -> ReportTexts:
        if self.protocol.report is None:
            raise InputError(
                "protocol.report",
                "the protocol names no experimental and "
                "control arm (report: experimental_arm, control_arm)",
            )
        return self.protocol.report

    def label(self, code: str) -> str:
        """The protocol's display label of a code (a factor or a level); the code if none."""
        labels = self.protocol.report.labels if self.protocol.report else {}
        return labels.get(code, code)

    def criterion_reason(self, criterion_id: str) -> str:
        """Short reason for failing a criterion: the protocol's ``report.criterion_reasons``
        with its settings filled in, else the criterion's own text; unknown ids as given."""
        reasons = self.protocol.report.criterion_reasons if self.protocol.report else {}
        if criterion_id in reasons:
            return reasons[criterion_id].format_map(self.protocol.eligibility)
        try:
            text = self.protocol.criterion(criterion_id).text
        except KeyError:
            return criterion_id
        return f"{criterion_id}: {text if len(text) <= 60 else text[:59].rstrip() + '…'}"

    def __post_init__(self) -> None:
        self._texts  # noqa: B018 - the report needs the protocol's comparison
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
            adtr = (
                ovr[ovr["PCHG"].notna()][["USUBJID", "ADY", "PCHG"]]
                if "PCHG" in ovr.columns and "ADY" in ovr.columns
                else pd.DataFrame(columns=["USUBJID", "ADY", "PCHG"])
            )
            object.__setattr__(self, "adtr", adtr.astype({"PCHG": float}))


def strata_column(factor: str) -> str:
    """ADSL column of a stratification factor: ``STRAT_`` and its name in capitals."""
    return f"STRAT_{factor.upper()}"


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
        out = (
            out.sort_values("AETOXGR", ascending=False)
            .assign(
                AESER=lambda d: d.groupby(["USUBJID", "AEDECOD"])["AESER"].transform(
                    lambda s: "Y" if (s == "Y").any() else "N"
                )
            )
            .drop_duplicates(["USUBJID", "AEDECOD"])
        )
    return out
