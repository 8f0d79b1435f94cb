"""How numbers are printed in the report (one place, used by HTML and PDF alike)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from oligotrial.endpoints.safety_population import SafetyPopulation
from oligotrial.reports.analysis import Endpoint, ResponseSummary
from oligotrial.reports.statistics import Interim, Proportion


def num(x: float | None, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "NR"
    return f"{x:.{digits}f}"


def ci(est: float | None, lo: float | None, hi: float | None, digits: int = 1) -> str:
    return f"{num(est, digits)} ({num(lo, digits)}–{num(hi, digits)})"


def pct_ci(p: Proportion) -> str:
    return f"{p.x}/{p.n} = {100 * p.estimate:.1f}% ({100 * p.lower:.1f}–{100 * p.upper:.1f})"


def p_value(p: float) -> str:
    """'p < 0.001' or 'p = 0.012'."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def endpoint_table(e: Endpoint, names: Mapping[str, str]) -> pd.DataFrame:
    rows: list[dict[str, str]] = []
    for arm, c in e.curves.items():
        row = {"Arm": names.get(arm, arm), "Patients": str(c.n), "Events": str(c.events),
               "Median, months (95% CI)": ci(c.median, c.median_lower, c.median_upper)}
        for t in (6.0, 12.0):
            s, lo, hi = e.landmarks[arm][t]
            row[f"{t:g}-month rate, % (95% CI)"] = ci(100 * s, 100 * lo, 100 * hi)
        if e.rmst is not None:
            r, se = e.rmst.by_arm[arm]
            row[f"RMST to {e.rmst.tau:g} months (SE)"] = f"{r:.2f} ({se:.2f})"
        rows.append(row)
    return pd.DataFrame(rows)


def comparison_rows(e: Endpoint) -> list[tuple[str, str]]:
    out = []
    if e.hr_stratified is not None:
        h = e.hr_stratified
        out.append(("Hazard ratio A vs B, stratified Cox (95% CI)",
                    ci(h.hr, h.lower, h.upper, 2)))
    out.append(("Stratified log-rank test",
                f"χ² = {e.logrank.chisq:.2f}, {p_value(e.logrank.p_value)}"))
    if e.hr_unstratified is not None:
        h = e.hr_unstratified
        out.append(("Hazard ratio A vs B, unstratified Cox (95% CI)",
                    ci(h.hr, h.lower, h.upper, 2)))
    if e.rmst is not None and e.rmst.difference is not None:
        d, lo, hi = e.rmst.difference
        out.append((f"RMST difference A − B to {e.rmst.tau:g} months (95% CI)", ci(d, lo, hi, 2)))
    return out


def response_table(r: ResponseSummary, names: Mapping[str, str]) -> pd.DataFrame:
    labels = {"CR": "Complete response", "PR": "Partial response", "SD": "Stable disease",
              "PD": "Progressive disease", "NE": "Not evaluable", "Missing": "No assessment"}
    rows = []
    for key, label in labels.items():
        row = {"Best overall response (RECIST 1.1)": label}
        for arm, name in names.items():
            n = r.orr[arm].n
            k = r.bor_counts[arm][key]
            row[name] = f"{k} ({100 * k / n:.1f}%)" if n else "0"
        rows.append(row)
    for label, props, diff in (("ORR (CR + PR), % (95% exact CI)", r.orr, r.orr_difference),
                               ("DCR (CR + PR + SD), % (95% exact CI)", r.dcr, r.dcr_difference)):
        row = {"Best overall response (RECIST 1.1)": label}
        row.update({name: pct_ci(props[arm]) for arm, name in names.items()})
        rows.append(row)
        d, lo, hi = diff
        rows.append({"Best overall response (RECIST 1.1)":
                     "   difference A − B, % (95% Miettinen-Nurminen CI)",
                     next(iter(names.values())): ci(100 * d, 100 * lo, 100 * hi),
                     list(names.values())[1]: ""})
    return pd.DataFrame(rows)


def interim_rows(i: Interim) -> list[tuple[str, str]]:
    return [
        ("PFS events observed / planned", f"{i.events} / {i.planned_events}"),
        ("Information fraction", f"{i.information:.3f}"),
        ("Efficacy boundary |z| at this information (Lan-DeMets O'Brien-Fleming)",
         f"{i.bound:.3f}"),
        ("Observed stratified log-rank z (positive favours A)", f"{i.z_favouring_a:.3f}"),
        ("Boundary crossed", "yes" if i.crossed else "no"),
        ("Conditional power, current trend", f"{100 * i.conditional_power_trend:.1f}%"),
        ("Conditional power, design hazard ratio", f"{100 * i.conditional_power_design:.1f}%"),
        ("Final-analysis boundary |z|", num(i.final_bound, 3)),
    ]


def key_results(e_pfs: Endpoint, e_os: Endpoint, r: ResponseSummary,
                names: Mapping[str, str]) -> list[tuple[str, str]]:
    """One line per headline number, for the top of the report."""
    out = []
    for label, e in (("PFS", e_pfs), ("OS", e_os)):
        medians = "; ".join(f"{names.get(a, a)} {ci(c.median, c.median_lower, c.median_upper)}"
                            for a, c in e.curves.items())
        out.append((f"Median {label}, months (95% CI)", medians))
        if e.hr_stratified is not None:
            h = e.hr_stratified
            out.append((f"{label} hazard ratio A vs B, stratified (95% CI)",
                        f"{ci(h.hr, h.lower, h.upper, 2)}; log-rank {p_value(e.logrank.p_value)}"))
    out.append(("Objective response rate", "; ".join(
        f"{names.get(a, a)} {pct_ci(p)}" for a, p in r.orr.items())))
    return out


def itt_note(safety: SafetyPopulation, names: Mapping[str, str]) -> str:
    """Which population the efficacy sections use."""
    by_arm = ", ".join(f"{names.get(a, a)} {n}" for a, n in safety.randomized.items())
    return (f"Intention-to-treat population: all {sum(safety.randomized.values())} randomized "
            f"patients, analysed in the arm they were randomized to ({by_arm}).")


def safety_notes(safety: SafetyPopulation, names: Mapping[str, str],
                 ae_outside: int = 0) -> list[str]:
    """What the AE section counts: the safety population, its N, who is left out and why."""
    randomized = sum(safety.randomized.values())
    by_arm = " and ".join(f"n = {safety.n[a]} in {names.get(a, a)}" for a in safety.n)
    notes = [f"Safety population (every adverse-event table): randomized patients who received at "
             f"least one dose of study treatment, analysed by the treatment received (as "
             f"randomized unless the data say otherwise); {by_arm}, {safety.total} of "
             f"{randomized} randomized patients. Source: {safety.source}. Percentages are of "
             f"these numbers; efficacy sections use the intention-to-treat population "
             f"(all {randomized} randomized)."]
    if not safety.excluded:
        notes.append("No randomized patient is excluded from the safety population.")
    else:
        k = len(safety.excluded)
        per_arm = ", ".join(
            f"{names.get(a, a)} {sum(e.arm == a for e in safety.excluded)}" for a in safety.n)
        text = (f"Excluded: {k} randomized patient{'s' if k > 1 else ''} who never started "
                f"study treatment ({per_arm})")
        if k <= 10:
            text += ": " + "; ".join(f"{e.usubjid} ({names.get(e.arm, e.arm)}), {e.reason}"
                                     for e in safety.excluded)
        else:
            reasons: dict[str, int] = {}
            for e in safety.excluded:
                reasons[e.reason] = reasons.get(e.reason, 0) + 1
            text += ": " + "; ".join(f"{r} {n}" for r, n in sorted(reasons.items()))
        notes.append(text + ".")
    if ae_outside:
        notes.append(f"{ae_outside} adverse event{'s' if ae_outside > 1 else ''} of excluded "
                     f"patients {'are' if ae_outside > 1 else 'is'} not counted.")
    if safety.switched:
        notes.append(f"{safety.switched} patient{'s' if safety.switched > 1 else ''} analysed "
                     f"in the arm of the treatment received rather than the randomized arm.")
    return notes
