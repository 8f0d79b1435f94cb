"""How numbers are printed in the report (one place, used by HTML and PDF alike)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from oligotrial.endpoints.safety_population import SafetyPopulation
from oligotrial.reports.analysis import Endpoint, ForestRow, ResponseSummary
from oligotrial.reports.statistics import KM_CI_NAME, ArmCurve, Interim, Proportion


def num(x: float | None, digits: int = 1, missing: str = "NR") -> str:
    """``x`` to ``digits`` decimals; ``missing`` when None or NaN."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return missing
    return f"{x:.{digits}f}"


def ci(est: float | None, lo: float | None, hi: float | None, digits: int = 1) -> str:
    """ "est (lo–hi)": an estimate not reached (a median) is "NR", a confidence limit that
    cannot be estimated (its band never reaches the level, or is undefined) "NE"."""
    return f"{num(est, digits)} ({num(lo, digits, 'NE')}–{num(hi, digits, 'NE')})"


def pct_ci(p: Proportion) -> str:
    return f"{p.x}/{p.n} = {100 * p.estimate:.1f}% ({100 * p.lower:.1f}–{100 * p.upper:.1f})"


def p_value(p: float) -> str:
    """'p < 0.001' or 'p = 0.012'."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def endpoint_table(e: Endpoint, names: Mapping[str, str]) -> pd.DataFrame:
    rows: list[dict[str, str]] = []
    for arm, c in e.curves.items():
        row = {
            "Arm": names.get(arm, arm),
            "Patients": str(c.n),
            "Events": str(c.events),
            f"Median, months ({KM_CI_NAME})": ci(c.median, c.median_lower, c.median_upper),
        }
        for t in (6.0, 12.0):
            s, lo, hi = e.landmarks[arm][t]
            row[f"{t:g}-month rate, % ({KM_CI_NAME})"] = ci(100 * s, 100 * lo, 100 * hi)
        if e.rmst is not None:  # the compared arms only
            r, se = e.rmst.by_arm.get(arm, (math.nan, math.nan))
            row[f"RMST to {e.rmst.tau:g} months (SE)"] = (
                "" if math.isnan(r) else f"{r:.2f} ({se:.2f})"
            )
        rows.append(row)
    return pd.DataFrame(rows)


def comparison_rows(e: Endpoint, exp: str, ctl: str) -> list[tuple[str, str]]:
    """Experimental (code ``exp``) vs control (``ctl``): HRs, log-rank, RMST difference."""
    out = []
    if e.hr_stratified is not None:
        h = e.hr_stratified
        out.append(
            (f"Hazard ratio {exp} vs {ctl}, stratified Cox (95% CI)", ci(h.hr, h.lower, h.upper, 2))
        )
    out.append(
        ("Stratified log-rank test", f"χ² = {e.logrank.chisq:.2f}, {p_value(e.logrank.p_value)}")
    )
    if e.hr_unstratified is not None:
        h = e.hr_unstratified
        out.append(
            (
                f"Hazard ratio {exp} vs {ctl}, unstratified Cox (95% CI)",
                ci(h.hr, h.lower, h.upper, 2),
            )
        )
    if e.rmst is not None and e.rmst.difference is not None:
        d, lo, hi = e.rmst.difference
        out.append(
            (f"RMST difference {exp} − {ctl} to {e.rmst.tau:g} months (95% CI)", ci(d, lo, hi, 2))
        )
    return out


def response_table(
    r: ResponseSummary, names: Mapping[str, str], criteria: str, exp: str, ctl: str
) -> pd.DataFrame:
    """Best overall response by arm (``criteria`` names the response criteria) with ORR and
    DCR, and their difference experimental (``exp``) − control (``ctl``)."""
    labels = {
        "CR": "Complete response",
        "PR": "Partial response",
        "SD": "Stable disease",
        "PD": "Progressive disease",
        "NE": "Not evaluable",
        "Missing": "No assessment",
    }
    head = f"Best overall response ({criteria})"
    rows = []
    for key, label in labels.items():
        row = {head: label}
        for arm, name in names.items():
            n = r.orr[arm].n
            k = r.bor_counts[arm][key]
            row[name] = f"{k} ({100 * k / n:.1f}%)" if n else "0"
        rows.append(row)
    for label, props, diff in (
        ("ORR (CR + PR), % (95% exact CI)", r.orr, r.orr_difference),
        ("DCR (CR + PR + SD), % (95% exact CI)", r.dcr, r.dcr_difference),
    ):
        row = {head: label}
        row.update({name: pct_ci(props[arm]) for arm, name in names.items()})
        rows.append(row)
        d, lo, hi = diff
        rows.append(
            {head: f"   difference {exp} − {ctl}, % (95% Miettinen-Nurminen CI)"}
            | {
                name: ci(100 * d, 100 * lo, 100 * hi) if arm == exp else ""
                for arm, name in names.items()
            }
        )
    return pd.DataFrame(rows)


def interim_rows(i: Interim, spending: str, exp: str) -> list[tuple[str, str]]:
    """The DSMB table; ``spending`` names the alpha spending, ``exp`` the experimental arm."""
    return [
        ("PFS events observed / planned", f"{i.events} / {i.planned_events}"),
        ("Information fraction", f"{i.information:.3f}"),
        (f"Efficacy boundary |z| at this information ({spending})", f"{i.bound:.3f}"),
        (
            f"Observed stratified log-rank z (positive favours {exp})",
            f"{i.z_favouring_experimental:.3f}",
        ),
        ("Boundary crossed", "yes" if i.crossed else "no"),
        ("Conditional power, current trend", f"{100 * i.conditional_power_trend:.1f}%"),
        ("Conditional power, design hazard ratio", f"{100 * i.conditional_power_design:.1f}%"),
        ("Final-analysis boundary |z|", num(i.final_bound, 3, "none (last look)")),
    ]


def key_results(
    e_pfs: Endpoint,
    e_os: Endpoint,
    r: ResponseSummary,
    names: Mapping[str, str],
    exp: str,
    ctl: str,
) -> list[tuple[str, str]]:
    """One line per headline number, for the top of the report."""
    out = []
    for label, e in (("PFS", e_pfs), ("OS", e_os)):
        medians = "; ".join(
            f"{names.get(a, a)} {ci(c.median, c.median_lower, c.median_upper)}"
            for a, c in e.curves.items()
        )
        out.append((f"Median {label}, months ({KM_CI_NAME})", medians))
        if e.hr_stratified is not None:
            h = e.hr_stratified
            out.append(
                (
                    f"{label} hazard ratio {exp} vs {ctl}, stratified (95% CI)",
                    f"{ci(h.hr, h.lower, h.upper, 2)}; log-rank {p_value(e.logrank.p_value)}",
                )
            )
    out.append(
        (
            "Objective response rate",
            "; ".join(f"{names.get(a, a)} {pct_ci(p)}" for a, p in r.orr.items()),
        )
    )
    return out


def itt_note(safety: SafetyPopulation, names: Mapping[str, str]) -> str:
    """Which population the efficacy sections use."""
    by_arm = ", ".join(f"{names.get(a, a)} {n}" for a, n in safety.randomized.items())
    return (
        f"Intention-to-treat population: all {sum(safety.randomized.values())} randomized "
        f"patients, analysed in the arm they were randomized to ({by_arm})."
    )


def safety_notes(
    safety: SafetyPopulation, names: Mapping[str, str], ae_outside: int = 0
) -> list[str]:
    """What the AE section counts: the safety population, its N, who is left out and why."""
    randomized = sum(safety.randomized.values())
    by_arm = " and ".join(f"n = {safety.n[a]} in {names.get(a, a)}" for a in safety.n)
    notes = [
        f"Safety population (every adverse-event table): randomized patients who received at "
        f"least one dose of study treatment, analysed by the treatment received (as "
        f"randomized unless the data say otherwise); {by_arm}, {safety.total} of "
        f"{randomized} randomized patients. Source: {safety.source}. Percentages are of "
        f"these numbers; efficacy sections use the intention-to-treat population "
        f"(all {randomized} randomized)."
    ]
    if not safety.excluded:
        notes.append("No randomized patient is excluded from the safety population.")
    else:
        k = len(safety.excluded)
        per_arm = ", ".join(
            f"{names.get(a, a)} {sum(e.arm == a for e in safety.excluded)}" for a in safety.n
        )
        text = (
            f"Excluded: {k} randomized patient{'s' if k > 1 else ''} who never started "
            f"study treatment ({per_arm})"
        )
        if k <= 10:
            text += ": " + "; ".join(
                f"{e.usubjid} ({names.get(e.arm, e.arm)}), {e.reason}" for e in safety.excluded
            )
        else:
            reasons: dict[str, int] = {}
            for e in safety.excluded:
                reasons[e.reason] = reasons.get(e.reason, 0) + 1
            text += ": " + "; ".join(f"{r} {n}" for r, n in sorted(reasons.items()))
        notes.append(text + ".")
    if ae_outside:
        notes.append(
            f"{ae_outside} adverse event{'s' if ae_outside > 1 else ''} of excluded "
            f"patients {'are' if ae_outside > 1 else 'is'} not counted."
        )
    if safety.switched:
        notes.append(
            f"{safety.switched} patient{'s' if safety.switched > 1 else ''} analysed "
            f"in the arm of the treatment received rather than the randomized arm."
        )
    return notes


def at_risk_table(
    curves: Mapping[str, ArmCurve], names: Mapping[str, str], times: Sequence[float]
) -> pd.DataFrame:
    """The numbers at risk printed under a Kaplan-Meier figure, as a table (one row per
    arm, one column per time in months)."""
    return pd.DataFrame(
        [
            {"Arm": names.get(a, a)}
            | {f"{t:g} mo": str(n) for t, n in zip(times, c.at_risk(times), strict=True)}
            for a, c in curves.items()
        ]
    )


def forest_table(
    rows: Sequence[ForestRow], names: Mapping[str, str], level_label: Callable[[str], str] = str
) -> pd.DataFrame:
    """The forest plot's values: subgroup, events / patients per compared arm, HR (95% CI)."""
    out = []
    for r in rows:
        row = {"Subgroup": r.label, "Level": level_label(r.level) if r.level else ""}
        row |= {f"{names.get(a, a)}: events / n": f"{r.events[a]} / {r.n[a]}" for a in r.n}
        row["HR (95% CI)"] = (
            "not estimable" if r.hr is None else ci(r.hr.hr, r.hr.lower, r.hr.upper, 2)
        )
        out.append(row)
    return pd.DataFrame(out)
