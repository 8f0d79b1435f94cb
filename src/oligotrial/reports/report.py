"""Assemble the analysis report: every table, figure and number, ready to render.

``build_report(inputs)`` computes once (through :mod:`.analysis` and :mod:`.statistics`)
and keeps the results typed, so the HTML and PDF renderers and the tests read the same
numbers. ``dsmb=True`` adds the interim-monitoring section.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata

import pandas as pd
from matplotlib.figure import Figure

from oligotrial import __version__
from oligotrial.endpoints.safety_population import SafetyPopulation, safety_population
from oligotrial.reports import analysis as an
from oligotrial.reports import tables
from oligotrial.reports.cut_stamp import CutStamp
from oligotrial.reports.exploratory import Exploratory, exploratory
from oligotrial.reports.figures._style import month_ticks, styled
from oligotrial.reports.figures.consort import consort_figure
from oligotrial.reports.figures.forest import forest_figure
from oligotrial.reports.figures.km import km_figure
from oligotrial.reports.figures.response_plots import (
    spider_figure,
    swimmer_figure,
    waterfall_figure,
)
from oligotrial.reports.inputs import ReportInputs, strata_column
from oligotrial.reports.statistics import Interim
from oligotrial.response.settings import ResponseSettings

SECTIONS = (
    ("summary", "Key results"),
    ("consort", "Participant flow (CONSORT)"),
    ("baseline", "Baseline characteristics"),
    ("pfs", "Progression-free survival"),
    ("os", "Overall survival"),
    ("forest", "PFS by subgroup"),
    ("response", "Tumour response"),
    ("dor", "Duration of response"),
    ("waterfall", "Best change in tumour burden"),
    ("swimmer", "Treatment and events over time"),
    ("spider", "Tumour burden over time"),
    ("safety", "Adverse events"),
    ("completeness", "Data completeness by site"),
    ("design", "Design assumptions"),
    ("versions", "Software and protocol versions"),
)
DSMB_SECTION = ("dsmb", "Interim monitoring (DSMB)")
EXPLORATORY_SECTION = ("exploratory", "Exploratory: ctDNA and biopsies")
SPENDING_NAMES = {
    "obrien-fleming": "Lan-DeMets, O'Brien-Fleming type",
    "pocock": "Lan-DeMets, Pocock type",
    "none": "none (single analysis)",
}
CRITERIA_NAMES = {"recist1.1": "RECIST 1.1", "mrecist": "mRECIST"}


def response_rule(inputs: ReportInputs) -> str:
    """How best overall response is derived, from the protocol's response section."""
    r = ResponseSettings.from_protocol(inputs.protocol.response)
    kind = (
        f"confirmed (≥ {r.confirmation_min_days} days apart)"
        if r.confirmation_required
        else "unconfirmed"
    )
    return f"{kind} ({CRITERIA_NAMES[r.criteria]}), SD ≥ {r.sd_min_days} days"


def strata_text(inputs: ReportInputs) -> str:
    """The analysis strata with their levels, in the protocol's words."""
    return (
        ", ".join(
            f"{inputs.label(f.name)} ({' vs '.join(inputs.label(v) for v in f.levels)})"
            for f in inputs.protocol.stratification
            if not f.from_sites
        )
        or "none"
    )


@dataclass(frozen=True)
class Report:
    inputs: ReportInputs
    dsmb: bool
    generated_at: datetime
    pfs: an.Endpoint
    os: an.Endpoint
    forest: list[an.ForestRow]
    response: an.ResponseSummary
    consort: an.Consort
    interim: Interim | None
    table1: pd.DataFrame
    safety: SafetyPopulation
    ae_summary: pd.DataFrame
    ae_by_term: pd.DataFrame
    ae_grade3: pd.DataFrame
    ae_serious: pd.DataFrame
    ae_grade5: pd.DataFrame
    completeness: pd.DataFrame | None
    figures: dict[str, Figure] = field(repr=False)
    risk_times: dict[str, list[float]] = field(default_factory=dict)  # figure -> months
    exploratory: Exploratory | None = None
    cut: CutStamp | None = None  # the data cut the report belongs to (printed first)

    @property
    def sections(self) -> tuple[tuple[str, str], ...]:
        sections: tuple[tuple[str, str], ...] = SECTIONS
        if self.exploratory is not None:
            at = [s[0] for s in SECTIONS].index("design")
            sections = (*SECTIONS[:at], EXPLORATORY_SECTION, *SECTIONS[at:])
        return (*sections, DSMB_SECTION) if self.dsmb else sections

    def design_table(self) -> pd.DataFrame:
        d = self.inputs.design
        rows = [
            ("Control median PFS (months)", f"{d.control_median_months:g}"),
            ("Hazard ratio to detect", f"{d.hazard_ratio:g}"),
            ("Significance level", f"{d.alpha:g} ({d.sides}-sided)"),
            ("Power", f"{d.power:.0%}"),
            (
                "Accrual / minimum follow-up (months)",
                f"{d.accrual_months:g} / {d.follow_up_months:g}",
            ),
            ("Dropout per year", f"{d.dropout_per_year:.0%}"),
            ("Planned patients / PFS events", f"{d.planned_subjects} / {d.planned_events}"),
            ("Looks (information fractions)", ", ".join(f"{t:g}" for t in d.interim_information)),
            ("Alpha spending", SPENDING_NAMES.get(d.spending, d.spending)),
            (
                "Comparison",
                f"{self.inputs.arm_names[self.inputs.experimental_arm]} vs "
                f"{self.inputs.arm_names[self.inputs.control_arm]} (control)",
            ),
            ("Analysis strata", strata_text(self.inputs)),
            ("Best overall response", response_rule(self.inputs)),
        ]
        return pd.DataFrame(rows, columns=["Assumption", "Value"])

    def versions_table(self) -> pd.DataFrame:
        rows = [
            ("oligotrial", __version__),
            ("Protocol", f"{self.inputs.protocol_id} version {self.inputs.protocol_version}"),
            ("Data source", self.inputs.data_source),
            ("Data cut-off", str(self.inputs.data_cutoff or "not given")),
            ("Generated", self.generated_at.strftime("%Y-%m-%d %H:%M UTC")),
            ("Python", platform.python_version()),
        ]
        for pkg in ("numpy", "scipy", "pandas", "matplotlib", "jinja2"):
            try:
                rows.append((pkg, metadata.version(pkg)))
            except metadata.PackageNotFoundError:  # pragma: no cover - always installed
                rows.append((pkg, "not installed"))
        return pd.DataFrame(rows, columns=["Item", "Version"])


def build_report(
    inputs: ReportInputs,
    *,
    dsmb: bool = False,
    generated_at: datetime | None = None,
    cut: CutStamp | None = None,
) -> Report:
    pfs = an.endpoint(inputs, "PFS")
    os_ = an.endpoint(inputs, "OS")
    rows = an.forest(inputs, "PFS")
    resp = an.response(inputs)
    names = dict(inputs.arm_names)
    pair = {a: names[a] for a in (inputs.experimental_arm, inputs.control_arm)}
    safety = safety_population(inputs.adsl, names)  # the one derivation every AE table uses
    flow = an.consort(inputs, safety)
    top = max(float(inputs.adtte[inputs.adtte.PARAMCD.isin(["PFS", "OS"])].MONTHS.max()), 3.0)
    risk_times = {"pfs": month_ticks(top), "os": month_ticks(top)}
    if resp.dor:
        risk_times["dor"] = month_ticks(max(float(c.time.max()) for c in resp.dor.values()))
    with styled():
        figures: dict[str, Figure] = {
            "consort": consort_figure(flow, names),
            "pfs": km_figure(
                pfs.curves,
                names,
                "Progression-free survival",
                "PFS probability",
                pfs.hr_stratified,
                pfs.logrank,
                max_month=top,
            ),
            "os": km_figure(
                os_.curves,
                names,
                "Overall survival",
                "OS probability",
                os_.hr_stratified,
                os_.logrank,
                max_month=top,
            ),
            "forest": forest_figure(rows, pair, level_label=inputs.label),
        }
        if inputs.adtr is not None and not inputs.adtr.empty:
            figures["waterfall"] = waterfall_figure(inputs.adtr, inputs.adsl, names)
            figures["spider"] = spider_figure(inputs.adtr, inputs.adsl, names)
        if {"RANDDT", "TRTEDT"} <= set(inputs.adsl.columns):
            figures["swimmer"] = swimmer_figure(inputs.adsl, inputs.adrs, inputs.adtte, names)
        extra = exploratory(inputs, inputs.exploratory) if inputs.exploratory else None
        if extra is not None and extra.figure is not None:
            figures["spaghetti"] = extra.figure
        if resp.dor:
            figures["dor"] = km_figure(
                resp.dor,
                names,
                "Duration of response (responders)",
                "Probability of remaining in response",
                xlabel="Months since first response",
            )
    return Report(
        inputs=inputs,
        dsmb=dsmb,
        generated_at=generated_at or datetime.utcnow(),
        pfs=pfs,
        os=os_,
        forest=rows,
        response=resp,
        consort=flow,
        interim=an.interim(inputs, pfs) if dsmb else None,
        table1=tables.table1(
            inputs.adsl,
            names,
            [
                (strata_column(f.name), inputs.label(f.name))
                for f in inputs.protocol.stratification
                if not f.from_sites
            ],
            inputs.label,
        ),
        safety=safety,
        ae_summary=tables.ae_summary(inputs.adae, safety, names),
        ae_by_term=tables.ae_by_soc_term(inputs.adae, safety, names),
        ae_grade3=tables.ae_by_soc_term(inputs.adae, safety, names, "grade3"),
        ae_serious=tables.ae_by_soc_term(inputs.adae, safety, names, "serious"),
        ae_grade5=tables.ae_by_soc_term(inputs.adae, safety, names, "grade5"),
        completeness=(
            tables.completeness(inputs.adsl, inputs.visits, inputs.ctdna)
            if inputs.visits is not None
            else None
        ),
        figures=figures,
        risk_times=risk_times,
        exploratory=extra,
        cut=cut,
    )
