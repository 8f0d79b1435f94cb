"""Descriptive tables of the report as data frames: Table 1, adverse events, completeness.

Counting rules (REFERENCE.md §4): one row per patient per term at its maximum grade; a
patient counts once per SOC and once per summary row; percentages of the arm's safety
population. Continuous baseline values: median (range) or median (IQR).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

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
    ("STRAT_FLST_ICI", "FLST with immune checkpoint inhibitor", "cat"),
    ("STRAT_OLIGOPROGRESSION_SITE", "Oligoprogression", "cat"),
    ("NPROGLES", "Progressing lesions", "cat"),
    ("AFPBL", "AFP, ng/mL", "median-iqr"),
    ("SITEID", "Site", "cat"),
)


LEVEL_LABELS = {"F": "Female", "M": "Male", "ici": "With ICI", "no-ici": "Without ICI",
                "intrahepatic-only": "Intrahepatic only", "any-extrahepatic": "Any extrahepatic"}


def _pct(k: int, n: int) -> str:
    return f"{k} ({100.0 * k / n:.1f}%)" if n else "0"


def _num(x: float) -> str:
    return f"{x:.1f}" if abs(x) < 1000 else f"{x:,.0f}"


def table1(adsl: pd.DataFrame, arm_names: Mapping[str, str]) -> pd.DataFrame:
    """Baseline characteristics by arm and in total."""
    groups = {f"{arm_names[a]} (n={int((adsl['ARMCD'] == a).sum())})": adsl[adsl["ARMCD"] == a]
              for a in arm_names if (adsl["ARMCD"] == a).any()}
    groups[f"Total (n={len(adsl)})"] = adsl
    rows: list[dict[str, str]] = []
    for col, label, kind in TABLE1_ROWS:
        if col not in adsl.columns:
            continue
        if kind == "cat":
            rows.append({"Characteristic": label, "": ""} | {g: "" for g in groups})
            levels = sorted(adsl[col].dropna().unique(), key=lambda v: str(v))
            for level in levels:
                rows.append({"Characteristic": "", "": LEVEL_LABELS.get(str(level), str(level))} | {
                    g: _pct(int((d[col] == level).sum()), len(d)) for g, d in groups.items()})
        else:
            row = {"Characteristic": label, "": "median (range)" if kind.startswith(
                "median-range") else "median (IQR)"}
            for g, d in groups.items():
                v = pd.to_numeric(d[col], errors="coerce").dropna()
                if v.empty:
                    row[g] = "–"
                elif kind == "median-range-int":
                    row[g] = f"{v.median():g} ({v.min():g}–{v.max():g})"
                elif kind == "median-range":
                    row[g] = f"{_num(v.median())} ({_num(v.min())}–{_num(v.max())})"
                else:
                    row[g] = (f"{_num(v.median())} ({_num(v.quantile(0.25))}–"
                              f"{_num(v.quantile(0.75))})")
            rows.append(row)
    return pd.DataFrame(rows)


def ae_summary(adae: pd.DataFrame, adsl: pd.DataFrame,
               arm_names: Mapping[str, str]) -> pd.DataFrame:
    """Patients with any AE, grade ≥ 3, grade 5, serious, by arm."""
    safety = adsl[adsl.get("SAFFL", pd.Series("Y", index=adsl.index)) == "Y"]
    ae = adae.merge(safety[["USUBJID", "ARMCD"]], on="USUBJID", suffixes=("_ae", ""))
    rows = {"Any adverse event": ae, "Grade ≥ 3": ae[ae.AETOXGR >= 3],
            "Grade 5 (fatal)": ae[ae.AETOXGR == 5], "Serious": ae[ae.AESER == "Y"]}
    out = []
    for label, d in rows.items():
        row = {"": label}
        for a, name in arm_names.items():
            n = int((safety["ARMCD"] == a).sum())
            row[f"{name} (n={n})"] = _pct(d[d["ARMCD"] == a].USUBJID.nunique(), n)
        out.append(row)
    return pd.DataFrame(out)


def ae_by_soc_term(adae: pd.DataFrame, adsl: pd.DataFrame,
                   arm_names: Mapping[str, str]) -> pd.DataFrame:
    """By SOC and term: patients with the event at any grade and at grade ≥ 3, by arm."""
    ae = adae.merge(adsl[["USUBJID", "ARMCD"]], on="USUBJID", suffixes=("_ae", ""))
    n = {a: int((adsl["ARMCD"] == a).sum()) for a in arm_names}
    rows = []
    for soc in sorted(ae.AEBODSYS.unique()):
        block = ae[ae["AEBODSYS"] == soc]
        rows.append(_ae_row(soc, "", block, n, arm_names))
        counts = block.groupby("AEDECOD").USUBJID.nunique().sort_values(ascending=False)
        for term in counts.index:
            rows.append(_ae_row("", term, block[block["AEDECOD"] == term], n, arm_names))
    return pd.DataFrame(rows)


def _ae_row(soc: str, term: str, d: pd.DataFrame, n: Mapping[str, int],
            arm_names: Mapping[str, str]) -> dict[str, str]:
    row = {"System organ class": soc, "Preferred term": term}
    for a, name in arm_names.items():
        arm = d[d["ARMCD"] == a]
        row[f"{name}: any grade"] = _pct(arm.USUBJID.nunique(), n[a])
        row[f"{name}: grade ≥ 3"] = _pct(arm[arm.AETOXGR >= 3].USUBJID.nunique(), n[a])
    return row


def completeness(adsl: pd.DataFrame, visits: pd.DataFrame,
                 ctdna: pd.DataFrame | None) -> pd.DataFrame:
    """Per site: patients, scheduled scans done, ctDNA samples obtained."""
    if ctdna is None:
        ctdna = pd.DataFrame(columns=["USUBJID", "SITEID", "TIMEPOINT", "COLLECTED"])
    if "SITEID" not in adsl.columns:
        adsl = adsl.merge(visits[["USUBJID", "SITEID"]].drop_duplicates(), on="USUBJID",
                          how="left")
    rows = []
    for site in sorted(adsl["SITEID"].dropna().unique()):
        v = visits[visits["SITEID"] == site]
        c = ctdna[ctdna["SITEID"] == site] if not ctdna.empty else ctdna
        done = int((v.STATUS == "done").sum())
        ct_done = int((c.COLLECTED == "Y").sum()) if not c.empty else 0
        rows.append({
            "Site": site,
            "Patients": int((adsl["SITEID"] == site).sum()),
            "Scans scheduled": len(v),
            "Scans done": _pct(done, len(v)),
            "ctDNA planned": len(c),
            "ctDNA obtained": _pct(ct_done, len(c)),
        })
    total_v = len(visits)
    rows.append({
        "Site": "All", "Patients": len(adsl), "Scans scheduled": total_v,
        "Scans done": _pct(int((visits.STATUS == "done").sum()), total_v),
        "ctDNA planned": len(ctdna),
        "ctDNA obtained": _pct(int((ctdna.COLLECTED == "Y").sum()) if not ctdna.empty else 0,
                               len(ctdna)),
    })
    return pd.DataFrame(rows)
