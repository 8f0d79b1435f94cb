"""The analysis behind the report: every number it prints, computed once from the inputs.

Efficacy follows the protocol's primary analysis: PFS of the experimental arm compared with
the control arm (the protocol's ``report`` section) by the log-rank test stratified by the
randomization factors other than site, HR from the Cox model stratified the same way; OS
likewise; RMST at 12 months as a supportive, assumption-free summary. Subgroup HRs are
unstratified Cox models within each subgroup (exploratory). ORR/DCR from unconfirmed best
overall response with exact (Clopper-Pearson) intervals and the Miettinen-Nurminen
interval of the difference; DOR by Kaplan-Meier among responders. All statistics come from
:mod:`.statistics`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from oligotrial.endpoints.safety_population import SafetyPopulation
from oligotrial.reports import statistics as st
from oligotrial.reports.inputs import ReportInputs, strata_column

# generic ADSL subgroups (shown when present), after the protocol's strata
SUBGROUPS = (("ECOG", "ECOGBL"), ("Age", "AGEGR1"), ("Sex", "SEX"), ("HBsAg", "HBSAG"))


@dataclass(frozen=True)
class Endpoint:
    paramcd: str
    curves: dict[str, st.ArmCurve]
    logrank: st.LogRank
    hr_stratified: st.HazardRatio | None
    hr_unstratified: st.HazardRatio | None
    landmarks: dict[str, dict[float, tuple[float, float, float]]]  # arm -> t -> (S, lo, hi)
    rmst: st.RmstSummary | None


@dataclass(frozen=True)
class ForestRow:
    label: str
    level: str
    n: dict[str, int]
    events: dict[str, int]
    hr: st.HazardRatio | None


@dataclass(frozen=True)
class ResponseSummary:
    bor_counts: dict[str, dict[str, int]]  # arm -> BOR -> n
    orr: dict[str, st.Proportion]
    dcr: dict[str, st.Proportion]
    orr_difference: tuple[float, float, float]
    dcr_difference: tuple[float, float, float]
    dor: dict[str, st.ArmCurve]


@dataclass(frozen=True)
class Consort:
    screened: int
    ineligible: int
    ineligible_by_reason: dict[str, int]
    randomized: int
    allocated: dict[str, int]
    treated: dict[str, int]
    discontinued: dict[str, dict[str, int]]  # arm -> reason -> n
    lost: dict[str, int]
    analysed: dict[str, int]


def subgroups(inputs: ReportInputs) -> list[tuple[str, str]]:
    """(label, ADSL column) of the forest plot: the protocol's strata, then generic ones."""
    strata = [
        (inputs.label(f.name), strata_column(f.name))
        for f in inputs.protocol.stratification
        if not f.from_sites
    ]
    return [(label, col) for label, col in (*strata, *SUBGROUPS) if col in inputs.adsl]


def _tte(inputs: ReportInputs, paramcd: str) -> pd.DataFrame:
    d = inputs.adtte[paramcd == inputs.adtte.PARAMCD].merge(
        inputs.adsl[
            [
                "USUBJID",
                "ARMCD",
                *dict.fromkeys([*inputs.analysis_strata, *[c for _, c in subgroups(inputs)]]),
            ]
        ].rename(columns={"ARMCD": "ARM_"}),
        on="USUBJID",
    )
    d["EVENT"] = (d["CNSR"] == 0).astype(int)
    return d


def _strata(d: pd.DataFrame, columns: tuple[str, ...]) -> np.ndarray | None:
    if not columns:
        return None
    return np.asarray(d[list(columns)].astype(str).agg("/".join, axis=1))


def _pair(inputs: ReportInputs, d: pd.DataFrame) -> pd.DataFrame:
    """The rows of the two compared arms (a third arm is described, not compared)."""
    return d[d["ARM_"].isin([inputs.experimental_arm, inputs.control_arm])]


def endpoint(inputs: ReportInputs, paramcd: str, tau: float = 12.0) -> Endpoint:
    d = _tte(inputs, paramcd)
    curves = st.curves_by_arm(d.MONTHS, d.EVENT, d.ARM_)
    landmarks = {
        arm: {lm: (float(c.survival_at([lm])[0]), *c.band_at(lm)) for lm in (6.0, 12.0)}
        for arm, c in curves.items()
    }
    p = _pair(inputs, d)
    t, e, a = p.MONTHS.to_numpy(float), p.EVENT.to_numpy(int), p.ARM_.to_numpy(str)
    strata = _strata(p, inputs.analysis_strata)
    exp, ctl = inputs.experimental_arm, inputs.control_arm
    both = {exp, ctl} <= set(a.tolist())
    tau_ok = both and all(float(t[a == arm].max()) >= tau for arm in (exp, ctl))
    return Endpoint(
        paramcd,
        curves,
        st.logrank(t, e, a, exp, strata),
        st.hazard_ratio(t, e, a, exp, ctl, strata),
        st.hazard_ratio(t, e, a, exp, ctl),
        landmarks,
        st.rmst_by_arm(t, e, a, tau, exp) if tau_ok else None,
    )


def forest(inputs: ReportInputs, paramcd: str = "PFS") -> list[ForestRow]:
    d = _pair(inputs, _tte(inputs, paramcd))
    exp, ctl = inputs.experimental_arm, inputs.control_arm
    specs: list[tuple[str, str | None]] = [("All patients", None), *subgroups(inputs)]
    rows = []
    for label, col in specs:
        levels = [None] if col is None else sorted(d[col].dropna().unique(), key=str)
        for level in levels:
            sub = d if col is None else d[d[col] == level]
            rows.append(
                ForestRow(
                    label,
                    "" if level is None else str(level),
                    {arm: int((sub["ARM_"] == arm).sum()) for arm in (exp, ctl)},
                    {arm: int(sub[sub["ARM_"] == arm].EVENT.sum()) for arm in (exp, ctl)},
                    st.hazard_ratio(sub.MONTHS, sub.EVENT, sub.ARM_, exp, ctl),
                )
            )
    return rows


def response(inputs: ReportInputs) -> ResponseSummary:
    bor = inputs.adrs[inputs.adrs.PARAMCD == "BOR"].merge(
        inputs.adsl[["USUBJID", "ARMCD"]].rename(columns={"ARMCD": "ARM_"}), on="USUBJID"
    )
    counts, orr, dcr = {}, {}, {}
    for arm in inputs.arm_names:
        b = bor[bor["ARM_"] == arm].AVALC
        n = int((arm == inputs.adsl.ARMCD).sum())
        counts[arm] = {r: int((b == r).sum()) for r in ("CR", "PR", "SD", "PD", "NE")}
        counts[arm]["Missing"] = n - int(b.size)
        orr[arm] = st.proportion(counts[arm]["CR"] + counts[arm]["PR"], n)
        dcr[arm] = st.proportion(counts[arm]["CR"] + counts[arm]["PR"] + counts[arm]["SD"], n)
    a, b = inputs.experimental_arm, inputs.control_arm
    dor_d = _tte(inputs, "DOR")
    dor = st.curves_by_arm(dor_d.MONTHS, dor_d.EVENT, dor_d.ARM_) if not dor_d.empty else {}
    return ResponseSummary(
        counts,
        orr,
        dcr,
        st.difference(orr[a].x, orr[a].n, orr[b].x, orr[b].n),
        st.difference(dcr[a].x, dcr[a].n, dcr[b].x, dcr[b].n),
        dor,
    )


def consort(inputs: ReportInputs, safety: SafetyPopulation) -> Consort:
    """Participant flow; "treated" are the safety population's members by randomized arm."""
    adsl = inputs.adsl
    arms = list(inputs.arm_names)
    scr = inputs.screening
    if scr is not None:
        inel = scr[scr["ELIGFL"] != "Y"]
        reasons = (
            inel["FAILCRIT"]
            .fillna("other")
            .map(lambda c: c if c == "other" else inputs.criterion_reason(str(c)))
        )
        by_reason = {str(k): int(v) for k, v in reasons.value_counts().items()}
        screened, ineligible = len(scr), len(inel)
    else:
        screened, ineligible, by_reason = len(adsl), 0, {}
    treated = dict(safety.treated_by_randomized_arm)
    disc: dict[str, dict[str, int]] = {}
    for a in arms:
        if "DCTREAS" in adsl:
            r = adsl[adsl["ARMCD"] == a]["DCTREAS"].fillna("not recorded")
            disc[a] = {str(k): int(v) for k, v in r.value_counts().items()}
        else:
            disc[a] = {}
    lost = {
        a: int(
            (
                (adsl["ARMCD"] == a)
                & adsl.get("DCSREAS", pd.Series(dtype=str))
                .astype(str)
                .str.upper()
                .str.startswith("LOST")
            ).sum()
        )
        for a in arms
    }
    n = {a: int((adsl["ARMCD"] == a).sum()) for a in arms}
    return Consort(screened, ineligible, by_reason, len(adsl), n, treated, disc, lost, n)


def interim(inputs: ReportInputs, pfs: Endpoint) -> st.Interim | None:
    """DSMB view: the bound at the information reached and the conditional power; None
    once the planned events are reached (the final analysis applies, not an interim)."""
    d = inputs.design
    events = sum(c.events for c in pfs.curves.values())
    if events < 1 or events >= d.planned_events:
        return None
    return st.interim(
        events,
        pfs.logrank.z,
        d.planned_events,
        d.hazard_ratio,
        d.alpha,
        d.sides,
        d.power,
        d.spending,
    )
