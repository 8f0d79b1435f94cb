"""The report's input frames read from the ADaM data sets.

The report (:mod:`oligotrial.reports.inputs`) reads ARMCD on every frame, the analysis
strata as ``STRAT_<FACTOR>``, ADTTE time in months (AVALM, days / 30.4375 as the endpoint
engine computes it, to 4 decimals) and the percent change of the target sum on ADRS
OVR rows. This module derives exactly those from ADSL, ADTTE, ADRS, ADTR and ADAE, so the
report's numbers come from the conformant data sets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from oligotrial.endpoints.tte import DAYS_PER_MONTH
from oligotrial.interop.cdisc.adam.adsl import NOT_HELD
from oligotrial.interop.cdisc.adam.context import StudyContext
from oligotrial.reports.inputs import strata_column


@dataclass(frozen=True)
class ReportFrames:
    adsl: pd.DataFrame
    adtte: pd.DataFrame
    adrs: pd.DataFrame
    adae: pd.DataFrame


def _with_arm(frame: pd.DataFrame, arms: pd.DataFrame) -> pd.DataFrame:
    out = frame.merge(arms, on="USUBJID", how="left")
    columns = ["STUDYID", "USUBJID", "ARMCD"]
    return out[columns + [c for c in out.columns if c not in columns]]


def report_frames(frames: Mapping[str, pd.DataFrame], ctx: StudyContext) -> ReportFrames:
    """Report inputs from ADaM frames keyed by data set name (ADSL, ADTTE, ADRS, ADTR, ADAE)."""
    adsl = frames["ADSL"].copy()
    for i, factor in enumerate(ctx.strata, start=1):
        adsl[strata_column(factor)] = adsl[f"STRAT{i}R"]
    empty = [c for c in NOT_HELD if c in adsl.columns and adsl[c].isna().all()]
    adsl = adsl.drop(columns=empty)
    arms = adsl[["USUBJID", "ARMCD"]]
    tte = frames["ADTTE"].copy()
    tte["AVALU"] = "DAYS"
    tte["AVALM"] = [round(int(d) / DAYS_PER_MONTH, 4) for d in tte["AVAL"]]
    tr = frames["ADTR"][["USUBJID", "ADT", "AVAL", "PCHG"]].rename(columns={"AVAL": "SUMDIAM"})
    rs = frames["ADRS"].copy()
    rs = rs.merge(tr.astype({"SUMDIAM": object, "PCHG": object}), on=["USUBJID", "ADT"], how="left")
    rs.loc[rs["PARAMCD"] != "OVR", ["SUMDIAM", "PCHG"]] = None
    return ReportFrames(
        _with_arm(adsl.drop(columns=["ARMCD"]), arms),
        _with_arm(tte, arms),
        _with_arm(rs, arms),
        _with_arm(frames["ADAE"], arms),
    )
