"""The pooled report of a data cut, for the trial office: no arm, no comparison.

Enrolment, screen failures by the first criterion failed, PFS and OS events with the pooled
Kaplan-Meier medians, adverse events in the safety population and data completeness by
site — all arms together, so a blinded trial office can run the trial without seeing any
result by arm (the by-arm report goes to the DSMB through the statistician; ICH E9 §4.5,
DAMOCLES). Every number comes from the cut's analysis data sets.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from oligotrial import __version__
from oligotrial.endpoints.safety_population import safety_population
from oligotrial.reports.cut_stamp import CutStamp
from oligotrial.reports.formatting import ci
from oligotrial.reports.inputs import ReportInputs
from oligotrial.stats import kaplan_meier


@dataclass(frozen=True)
class PooledReport:
    inputs: ReportInputs
    enrolment: list[tuple[str, str]]
    screen_failures: pd.DataFrame
    events: list[tuple[str, str]]
    safety: list[tuple[str, str]]
    completeness: pd.DataFrame


def _endpoint_rows(inputs: ReportInputs, paramcd: str, name: str) -> list[tuple[str, str]]:
    rows = inputs.adtte[inputs.adtte["PARAMCD"] == paramcd]
    events = int((rows["CNSR"] == 0).sum())
    if rows.empty:
        return [(f"{name}: patients / events", "0 / 0")]
    km = kaplan_meier(rows["MONTHS"].to_numpy(float), (rows["CNSR"] == 0).to_numpy(int))
    lo, hi = km.median_ci
    return [
        (f"{name}: patients / events / censored", f"{len(rows)} / {events} / {len(rows) - events}"),
        (f"{name}: pooled median, months (95% CI)", ci(km.median, lo, hi)),
    ]


def _screen_failures(inputs: ReportInputs) -> pd.DataFrame:
    log = inputs.screening
    if log is None or log.empty:
        return pd.DataFrame(columns=["Criterion", "Patients"])
    failed = log[log["ELIGFL"] != "Y"]["FAILCRIT"].fillna("not stated")
    counts = failed.value_counts().sort_index()
    return pd.DataFrame(
        {
            "Criterion": [inputs.criterion_reason(str(c)) for c in counts.index],
            "Patients": [int(n) for n in counts],
        }
    )


def _safety_rows(inputs: ReportInputs) -> list[tuple[str, str]]:
    population = safety_population(inputs.adsl, dict(inputs.arm_names))
    members = set(population.arms)
    ae = inputs.adae[inputs.adae["USUBJID"].isin(members)] if not inputs.adae.empty else None
    n = population.total

    def patients(mask: pd.Series | None = None) -> str:
        if ae is None:
            return f"0 of {n}"
        rows = ae if mask is None else ae[mask]
        k = int(rows["USUBJID"].nunique())
        return f"{k} of {n} ({100 * k / n:.1f}%)" if n else "0 of 0"

    return [
        ("Safety population (patients)", str(n)),
        ("Patients with any adverse event", patients()),
        (
            "Patients with a grade ≥ 3 adverse event",
            patients(None if ae is None else ae["AETOXGR"] >= 3),
        ),
        (
            "Patients with a serious adverse event",
            patients(None if ae is None else ae["AESER"] == "Y"),
        ),
        (
            "Patients with a fatal (grade 5) adverse event",
            patients(None if ae is None else ae["AETOXGR"] == 5),
        ),
    ]


def build_pooled(inputs: ReportInputs) -> PooledReport:
    from oligotrial.reports import tables

    log = inputs.screening
    screened = 0 if log is None else len(log)
    eligible = 0 if log is None else int((log["ELIGFL"] == "Y").sum())
    design = inputs.design
    enrolment = [
        ("Screened", str(screened)),
        ("Eligible", str(eligible)),
        ("Randomized", f"{len(inputs.adsl)} of {design.planned_subjects} planned"),
    ]
    pfs = inputs.adtte[inputs.adtte["PARAMCD"] == "PFS"]
    events = [
        *_endpoint_rows(inputs, "PFS", "PFS"),
        (
            "PFS events against the planned number",
            f"{int((pfs['CNSR'] == 0).sum())} of {design.planned_events}",
        ),
        *_endpoint_rows(inputs, "OS", "OS"),
    ]
    return PooledReport(
        inputs,
        enrolment,
        _screen_failures(inputs),
        events,
        _safety_rows(inputs),
        tables.completeness(inputs.adsl, inputs.visits, inputs.ctdna)
        if inputs.visits is not None
        else pd.DataFrame(),
    )


def _table(df: pd.DataFrame) -> Markup:
    return Markup(df.to_html(index=False, border=0, escape=True, na_rep=""))


def render_pooled(report: PooledReport, stamp: CutStamp) -> str:
    """The pooled report as one HTML page (no figure, no arm), stamped with the cut."""
    env = Environment(
        loader=PackageLoader("oligotrial.reports", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    inputs = report.inputs
    return env.get_template("pooled.html").render(
        protocol_id=inputs.protocol_id,
        protocol_version=inputs.protocol_version,
        title=inputs.title,
        data_cutoff=inputs.data_cutoff,
        data_source=inputs.data_source,
        generated=stamp.made_at.strftime("%Y-%m-%d %H:%M UTC"),
        version=__version__,
        cut=stamp,
        enrolment=report.enrolment,
        screen_failures=_table(report.screen_failures),
        events=report.events,
        safety=report.safety,
        completeness=_table(report.completeness),
    )
