"""The report's exploratory section: ctDNA by time point and arm, clearance after RT, the
landmark PFS analysis by clearance, the Cox model with ctDNA as a time-dependent covariate,
the VAF spaghetti plot and the genes changed between paired biopsies
(:mod:`oligotrial.exploratory.ctdna` computes; this module lays out the tables).

The first ctDNA time point is the baseline, the second the first follow-up after RT (the
protocol's ``schedule.ctdna`` order); paired biopsies are the first and last of
``schedule.biopsy``. PFS is the analysis data set's (ADTTE, PARAMCD PFS).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure

from oligotrial.exploratory import (
    ExploratoryData,
    PfsTime,
    clearance,
    counting_process,
    detection_by_time_point,
    gene_changes,
    landmark_pfs,
    time_dependent_cox,
)
from oligotrial.reports.figures.ctdna import spaghetti_figure
from oligotrial.reports.inputs import DAYS_PER_MONTH, ReportInputs
from oligotrial.stats import CoxResult


@dataclass(frozen=True)
class Exploratory:
    detection: pd.DataFrame
    clearance: pd.DataFrame
    landmark: pd.DataFrame | None
    landmark_note: str
    cox: pd.DataFrame | None
    cox_note: str
    genes: pd.DataFrame
    figure: Figure | None


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0f}%"


def pfs_times(inputs: ReportInputs) -> list[PfsTime]:
    """PFS per patient in days elapsed since randomization (ADTTE counts randomization as
    day 1), the scale of the draws' days: a draw on the day of progression is not before it."""
    tte = inputs.adtte[inputs.adtte.PARAMCD == "PFS"][["USUBJID", "MONTHS", "CNSR"]].merge(
        inputs.adsl[["USUBJID", "ARMCD"]], on="USUBJID"
    )
    return [
        PfsTime(
            str(r.USUBJID),
            str(r.ARMCD),
            round(float(r.MONTHS) * DAYS_PER_MONTH, 6) - 1,  # ADaM day 1 = randomization
            int(r.CNSR) == 0,
        )
        for r in tte.itertuples()
    ]


def _cox_table(result: CoxResult, names: dict[str, str]) -> pd.DataFrame:
    rows = []
    for key, label in names.items():
        rows.append(
            {
                "Covariate": label,
                "Hazard ratio (95% CI)": f"{result.hazard_ratio[key]:.2f} "
                f"({result.hr_lower[key]:.2f}-{result.hr_upper[key]:.2f})",
                "p": f"{result.p_value[key]:.3g}",
            }
        )
    return pd.DataFrame(rows)


def exploratory(inputs: ReportInputs, data: ExploratoryData) -> Exploratory:
    arms = tuple(inputs.arm_names)
    label = inputs.label
    pfs = pfs_times(inputs)
    detection = pd.DataFrame(
        [
            {
                "Time point": label(r.time_point),
                "Arm": r.arm,
                "Samples": r.n,
                "ctDNA detected": f"{r.detected} ({_pct(r.percent)})",
                "95% CI": "—" if r.lower is None else f"{r.lower:.0f}-{r.upper:.0f}%",
            }
            for r in detection_by_time_point(data.ctdna, data.ctdna_time_points, arms)
        ]
    )
    base, follow = data.ctdna_time_points[0], data.ctdna_time_points[1]
    paired = f"Detected at {label(base)} (with a {label(follow)} result)"
    clear = pd.DataFrame(
        [
            {
                "Arm": r.arm,
                paired: r.detected_at_baseline,
                f"Not detected at {label(follow)}": f"{r.cleared} ({_pct(r.percent)})",
            }
            for r in clearance(data.ctdna, base, follow, arms)
        ]
    )
    lm = landmark_pfs(data.ctdna, pfs, follow)
    landmark, note = None, f"No {label(follow)} results yet."
    if lm is not None and lm.groups:
        landmark = pd.DataFrame(
            [
                {
                    f"ctDNA at {label(follow)}": name,
                    "Patients": n,
                    "PFS events": e,
                    "Median PFS (months)": "not reached"
                    if m is None
                    else f"{m / DAYS_PER_MONTH:.1f}",
                }
                for name, (n, e, m) in lm.groups.items()
            ]
        )
        note = (
            f"Landmark at day {lm.landmark_day} after randomization (the last {label(follow)} "
            "draw); patients progression-free and followed beyond it, PFS counted from "
            "randomization."
        )
        if lm.cox is not None:
            key, fit = "ctdna_detected", lm.cox
            note += (
                f" Hazard ratio detected vs not detected {fit.hazard_ratio[key]:.2f} "
                f"({fit.hr_lower[key]:.2f}-{fit.hr_upper[key]:.2f}); "
                f"log-rank p = {lm.logrank_p:.3g}."
            )
    cox, cox_note = None, "Too few patients with ctDNA results for the time-dependent model."
    cp = counting_process(data.ctdna, pfs, inputs.experimental_arm)
    if cp.event.sum() >= 5 and 0 < cp.detected.mean() < 1 and 0 < cp.experimental.mean() < 1:
        fit = time_dependent_cox(cp)
        cox = _cox_table(
            fit,
            {
                "ctdna_detected": "ctDNA detected (time-dependent)",
                "experimental_arm": f"Arm {inputs.experimental_arm} vs {inputs.control_arm}",
            },
        )
        cox_note = (
            f"{len(set(cp.subject))} patients, {len(cp.subject)} (start, stop] intervals, "
            f"{int(cp.event.sum())} PFS events; Efron ties, robust variance clustered on the "
            "patient (R: coxph(Surv(start, stop, event) ~ ctdna + arm + cluster(id)))."
        )
    first, last = data.biopsy_time_points[0], data.biopsy_time_points[-1]
    changes = gene_changes(data.biopsies, first, last, arms)
    genes = pd.DataFrame(
        [
            {
                "Gene": c.gene,
                "Arm": c.arm,
                "Paired biopsies": c.pairs,
                f"Gained by {label(last)}": c.gained,
                f"Lost by {label(last)}": c.lost,
            }
            for c in changes
        ],
        columns=[
            "Gene",
            "Arm",
            "Paired biopsies",
            f"Gained by {label(last)}",
            f"Lost by {label(last)}",
        ],
    )
    figure = spaghetti_figure(data.ctdna, pfs, inputs.arm_names) if data.ctdna else None
    return Exploratory(detection, clear, landmark, note, cox, cox_note, genes, figure)
