"""Analysis data sets as pandas data frames with CDISC ADaM variable names.

ADSL: one row per patient. ADTTE: PARAMCD PFS, OS, DOR (responders) with AVAL in days,
CNSR, STARTDT, ADT, EVNTDESC, CNSDTDSC. ADRS: OVR per time point (ADY counted from
randomization as day 1), then BOR (unconfirmed or confirmed as derived). ADAE: one row per
adverse event with TRTEMFL. STUDYID is the protocol's id, passed in by the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from oligotrial.endpoints.derive import PatientEndpoints
from oligotrial.endpoints.safety import emergent


def adsl(results: Sequence[PatientEndpoints], studyid: str) -> pd.DataFrame:
    """Subject-level analysis data set."""
    rows: list[dict[str, Any]] = []
    for r in results:
        p = r.patient
        row: dict[str, Any] = {
            "STUDYID": studyid,
            "USUBJID": p.subject_id,
            "ARMCD": p.arm,
            "RANDDT": p.randomization_date,
            "ITTFL": "Y",
            "DTHFL": "Y" if p.death_date else "N",
            "DTHDT": p.death_date,
            "LSTALVDT": p.last_known_alive,
            "NACTDT": p.new_therapy_date,
            "EOSSTT": "DISCONTINUED" if p.withdrawal else "ONGOING",
            "DCSREAS": p.withdrawal.reason.upper() if p.withdrawal else None,
            "EOSDT": p.withdrawal.date if p.withdrawal else None,
        }
        for name, level in sorted(p.strata.items()):
            row[f"STRAT_{name.upper()}"] = level
        rows.append(row)
    return pd.DataFrame(rows)


def adtte(results: Sequence[PatientEndpoints], studyid: str) -> pd.DataFrame:
    """Time-to-event analysis data set (PFS, OS, DOR)."""
    rows = []
    for r in results:
        for t in (r.pfs, r.os, r.dor):
            if t is None:
                continue
            rows.append(
                {
                    "STUDYID": studyid,
                    "USUBJID": r.patient.subject_id,
                    "ARMCD": r.patient.arm,
                    "PARAMCD": t.paramcd,
                    "AVAL": t.days,
                    "AVALU": "DAYS",
                    "AVALM": round(t.months, 4),
                    "CNSR": t.cnsr,
                    "STARTDT": t.start_date,
                    "ADT": t.date,
                    "EVNTDESC": t.event_description,
                    "CNSDTDSC": t.censor_description,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "STUDYID",
            "USUBJID",
            "ARMCD",
            "PARAMCD",
            "AVAL",
            "AVALU",
            "AVALM",
            "CNSR",
            "STARTDT",
            "ADT",
            "EVNTDESC",
            "CNSDTDSC",
        ],
    )


def adrs(results: Sequence[PatientEndpoints], studyid: str) -> pd.DataFrame:
    """Response analysis data set: OVR per visit, then one BOR (or CBOR) row."""
    rows = []
    for r in results:
        base = {"STUDYID": studyid, "USUBJID": r.patient.subject_id, "ARMCD": r.patient.arm}
        criteria = r.response.criteria if r.response else None
        for tp in r.response.time_points if r.response else ():
            rows.append(
                {
                    **base,
                    "PARAMCD": "OVR",
                    "AVALC": tp.overall,
                    "ADT": tp.date,
                    "ADY": tp.day + 1,
                    "CRIT": criteria,
                    "SUMDIAM": None if tp.sum_partial else tp.sum_mm,
                    "PCHG": tp.change_from_baseline_pct,
                    "REASON": tp.reason,
                }
            )
        rows.append(
            {
                **base,
                "PARAMCD": "CBOR" if r.best.confirmed else "BOR",
                "AVALC": r.best.response,
                "ADT": r.best.date,
                "ADY": None,
                "CRIT": criteria,
                "SUMDIAM": None,
                "PCHG": None,
                "REASON": r.best.reason,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "STUDYID",
            "USUBJID",
            "ARMCD",
            "PARAMCD",
            "AVALC",
            "ADT",
            "ADY",
            "CRIT",
            "SUMDIAM",
            "PCHG",
            "REASON",
        ],
    )


def adae(results: Sequence[PatientEndpoints], studyid: str) -> pd.DataFrame:
    """Adverse-event analysis data set."""
    rows = []
    for r in results:
        p = r.patient
        te = set(map(id, emergent(p)))
        for ae in p.adverse_events:
            rows.append(
                {
                    "STUDYID": studyid,
                    "USUBJID": p.subject_id,
                    "ARMCD": p.arm,
                    "AETERM": ae.term,
                    "AEDECOD": ae.term,
                    "AEBODSYS": ae.soc,
                    "AETOXGR": str(ae.grade),
                    "ASTDT": ae.start_date,
                    "AENDT": ae.end_date,
                    "AESER": "Y" if ae.serious else "N",
                    "AREL": ae.attribution.upper(),
                    "TRTEMFL": "Y" if id(ae) in te else None,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "STUDYID",
            "USUBJID",
            "ARMCD",
            "AETERM",
            "AEDECOD",
            "AEBODSYS",
            "AETOXGR",
            "ASTDT",
            "AENDT",
            "AESER",
            "AREL",
            "TRTEMFL",
        ],
    )
