"""Descriptive tables of the report as data frames: Table 1, adverse events, completeness.

Counting rules (REFERENCE.md §4): one row per patient per term at its maximum grade; a
patient counts once per SOC and once per summary row. Every AE table counts the same safety
population (:mod:`oligotrial.endpoints.safety_population`, derived once per report), shows
its N per arm in the column headers and takes percentages of that N. Continuous baseline
values: median (range) or median (IQR).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from oligotrial.endpoints.safety_population import SafetyPopulation

# (column, label, kind): "cat" for categories, "median-range" (-int: whole numbers),
# "median-iqr"
TABLE1_ROWS: tuple[tuple[str, str, str], ...] = (
    ("AGE", "Age, years", "median-range-int"),
    ("SEX", "Sex", "cat"),
    ("ECOGBL", "ECOG performance status", "cat"),
    ("AETIOL", "Aetiology", "cat"),
    ("HBSAG", "HBsAg", "cat"),
    ("CPSCORE", "Child-Pugh score", "cat"),
    ("BCLC", "BCLC stage at FLST start", "cat"),
    ("FLSTREG", "First-line regimen", "cat"),
    ("NPROGLES", "Progressing lesions", "cat"),
    ("AFPBL", "AFP, ng/mL", "median-iqr"),
    ("SITEID", "Site", "cat"),
)


SEX_LABELS = {"F": "Female", "M": "Male"}


def _pct(k: int, n: int) -> str:
    return f"{k} ({100.0 * k / n:.1f}%)" if n else "0"


def _num(x: float) -> str:
    return f"{x:.1f}" if abs(x) < 1000 else f"{x:,.0f}"


def table1(
    adsl: pd.DataFrame,
    arm_names: Mapping[str, str],
    strata: Sequence[tuple[str, str]] = (),
    label: Callable[[str], str] = str,
) -> pd.DataFrame:
    """Baseline characteristics by arm and in total; ``strata`` adds (column, label) rows of
    the protocol's stratification factors, ``label`` names their levels."""
    groups = {
        f"{arm_names[a]} (n={int((adsl['ARMCD'] == a).sum())})": adsl[adsl["ARMCD"] == a]
        for a in arm_names
        if (adsl["ARMCD"] == a).any()
    }
    groups[f"Total (n={len(adsl)})"] = adsl
    rows: list[dict[str, str]] = []
    specs = [*TABLE1_ROWS[:-1], *((col, name, "cat") for col, name in strata), TABLE1_ROWS[-1]]
    for col, title, kind in specs:
        if col not in adsl.columns:
            continue
        if kind == "cat":
            rows.append({"Characteristic": title, "": ""} | {g: "" for g in groups})
            levels = sorted(adsl[col].dropna().unique(), key=lambda v: str(v))
            for level in levels:
                name = SEX_LABELS.get(str(level), str(level)) if col == "SEX" else label(str(level))
                rows.append(
                    {"Characteristic": "", "": name}
                    | {g: _pct(int((d[col] == level).sum()), len(d)) for g, d in groups.items()}
                )
        else:
            row = {
                "Characteristic": title,
                "": "median (range)" if kind.startswith("median-range") else "median (IQR)",
            }
            for g, d in groups.items():
                v = pd.to_numeric(d[col], errors="coerce").dropna()
                if v.empty:
                    row[g] = "–"
                elif kind == "median-range-int":
                    row[g] = f"{v.median():g} ({v.min():g}–{v.max():g})"
                elif kind == "median-range":
                    row[g] = f"{_num(v.median())} ({_num(v.min())}–{_num(v.max())})"
                else:
                    row[g] = (
                        f"{_num(v.median())} ({_num(v.quantile(0.25))}–{_num(v.quantile(0.75))})"
                    )
            rows.append(row)
    return pd.DataFrame(rows)


def _in_population(adae: pd.DataFrame, population: SafetyPopulation) -> pd.DataFrame:
    """AE rows of safety-population members, with ARMCD the arm analysed."""
    ae = adae.drop(columns=[c for c in ("ARMCD",) if c in adae.columns])
    members = population.members()
    # an empty frame's key column has no type of its own (float): give both sides text keys
    ae = ae.astype({"USUBJID": object})
    return ae.merge(members.astype({"USUBJID": object}), on="USUBJID")


def _arm_label(name: str, n: int) -> str:
    return f"{name} (n={n})"


def ae_summary(
    adae: pd.DataFrame, population: SafetyPopulation, arm_names: Mapping[str, str]
) -> pd.DataFrame:
    """Patients with any AE, grade ≥ 3, grade 5, serious, by arm (safety population)."""
    ae = _in_population(adae, population)
    rows = {
        "Any adverse event": ae,
        "Grade ≥ 3": ae[ae.AETOXGR >= 3],
        "Grade 5 (fatal)": ae[ae.AETOXGR == 5],
        "Serious": ae[ae.AESER == "Y"],
    }
    out = []
    for label, d in rows.items():
        row = {"": label}
        for a, name in arm_names.items():
            n = population.n[a]
            row[_arm_label(name, n)] = _pct(d[d["ARMCD"] == a].USUBJID.nunique(), n)
        out.append(row)
    return pd.DataFrame(out)


# which AEs a by-SOC-and-term table lists, and its count columns (label, minimum grade)
AE_TERM_TABLES: Mapping[str, tuple[str, tuple[tuple[str, int], ...]]] = {
    "all": ("any", (("any grade", 1), ("grade ≥ 3", 3))),
    "grade3": ("grade ≥ 3", (("grade ≥ 3", 3), ("grade 5", 5))),
    "serious": ("serious", (("serious", 1),)),
    "grade5": ("grade 5", (("grade 5", 5),)),
}


def ae_by_soc_term(
    adae: pd.DataFrame,
    population: SafetyPopulation,
    arm_names: Mapping[str, str],
    which: str = "all",
) -> pd.DataFrame:
    """By SOC and term, patients of the safety population with the event, by arm: all AEs
    (any grade, grade ≥ 3), or only grade ≥ 3, serious or grade 5 events (``which``)."""
    ae = _in_population(adae, population)
    if which == "grade3":
        ae = ae[ae.AETOXGR >= 3]
    elif which == "serious":
        ae = ae[ae.AESER == "Y"]
    elif which == "grade5":
        ae = ae[ae.AETOXGR == 5]
    columns = AE_TERM_TABLES[which][1]
    rows = []
    for soc in sorted(ae.AEBODSYS.unique()):
        block = ae[ae["AEBODSYS"] == soc]
        rows.append(_ae_row(soc, "", block, population.n, arm_names, columns))
        counts = (
            block.groupby("AEDECOD").USUBJID.nunique().sort_values(ascending=False, kind="stable")
        )
        for term in counts.index:
            rows.append(
                _ae_row("", term, block[block["AEDECOD"] == term], population.n, arm_names, columns)
            )
    if not rows:
        rows.append(
            {"System organ class": "None reported", "Preferred term": ""}
            | {
                f"{_arm_label(name, population.n[a])}: {label}": ""
                for a, name in arm_names.items()
                for label, _ in columns
            }
        )
    return pd.DataFrame(rows)


def _ae_row(
    soc: str,
    term: str,
    d: pd.DataFrame,
    n: Mapping[str, int],
    arm_names: Mapping[str, str],
    columns: tuple[tuple[str, int], ...],
) -> dict[str, str]:
    row = {"System organ class": soc, "Preferred term": term}
    for a, name in arm_names.items():
        arm = d[d["ARMCD"] == a]
        for label, grade in columns:
            row[f"{_arm_label(name, n[a])}: {label}"] = _pct(
                arm[arm["AETOXGR"] >= grade].USUBJID.nunique(), n[a]
            )
    return row


def ae_outside_population(adae: pd.DataFrame, population: SafetyPopulation) -> int:
    """Treatment-emergent AE rows of randomized patients outside the safety population."""
    return int((~adae["USUBJID"].astype(str).isin(population.arms)).sum()) if len(adae) else 0


def completeness(
    adsl: pd.DataFrame, visits: pd.DataFrame, ctdna: pd.DataFrame | None
) -> pd.DataFrame:
    """Per site: patients, scheduled scans done, ctDNA samples obtained."""
    if ctdna is None:
        ctdna = pd.DataFrame(columns=["USUBJID", "SITEID", "TIMEPOINT", "COLLECTED"])
    if "SITEID" not in adsl.columns:
        adsl = adsl.merge(visits[["USUBJID", "SITEID"]].drop_duplicates(), on="USUBJID", how="left")
    rows = []
    for site in sorted(adsl["SITEID"].dropna().unique()):
        v = visits[visits["SITEID"] == site]
        c = ctdna[ctdna["SITEID"] == site] if not ctdna.empty else ctdna
        done = int((v.STATUS == "done").sum())
        ct_done = int((c.COLLECTED == "Y").sum()) if not c.empty else 0
        rows.append(
            {
                "Site": site,
                "Patients": int((adsl["SITEID"] == site).sum()),
                "Scans scheduled": len(v),
                "Scans done": _pct(done, len(v)),
                "ctDNA planned": len(c),
                "ctDNA obtained": _pct(ct_done, len(c)),
            }
        )
    total_v = len(visits)
    rows.append(
        {
            "Site": "All",
            "Patients": len(adsl),
            "Scans scheduled": total_v,
            "Scans done": _pct(int((visits.STATUS == "done").sum()), total_v),
            "ctDNA planned": len(ctdna),
            "ctDNA obtained": _pct(
                int((ctdna.COLLECTED == "Y").sum()) if not ctdna.empty else 0, len(ctdna)
            ),
        }
    )
    return pd.DataFrame(rows)
