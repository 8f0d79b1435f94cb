"""The demo's report: every section, and its numbers equal the stats engine's on the
exported analysis data sets; the report command gives the same report from the database."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from oligotrial.reports.inputs import ReportInputs
from oligotrial.reports.report import DSMB_SECTION, SECTIONS
from oligotrial.stats import clopper_pearson, kaplan_meier, logrank_test
from oligotrial.stats.cox import cox_ph


@pytest.fixture(scope="module")
def exported(demo_dir):
    frames = {
        n: pd.read_csv(demo_dir / "analysis" / f"{n}.csv")
        for n in ("adsl", "adtte", "adrs", "adae")
    }
    return ReportInputs(**frames)  # adds MONTHS exactly as the report does


@pytest.fixture(scope="module")
def html(demo_dir):
    return (demo_dir / "report.html").read_text(encoding="utf-8")


def _tte(inputs, param):
    d = inputs.adtte[inputs.adtte["PARAMCD"] == param].merge(
        inputs.adsl[["USUBJID", "STRAT_OLIGOPROGRESSION_SITE", "STRAT_FLST_ICI"]], on="USUBJID"
    )
    strata = (d.STRAT_OLIGOPROGRESSION_SITE + "/" + d.STRAT_FLST_ICI).to_numpy()
    return d, (d.CNSR == 0).astype(int).to_numpy(), strata


def test_all_sections_present(demo_dir, html):
    for sid, title in SECTIONS:
        assert f'<section id="{sid}"><h2>{title}</h2>' in html
    assert f'id="{DSMB_SECTION[0]}"' not in html
    assert (demo_dir / "report.pdf").read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize("param", ["PFS", "OS"])
def test_medians_hr_and_logrank_equal_the_engine(exported, html, param):
    d, event, strata = _tte(exported, param)
    for arm in ("A", "B"):
        sel = (d["ARMCD"] == arm).to_numpy()
        km = kaplan_meier(d.MONTHS.to_numpy()[sel], event[sel])
        lo, hi = km.median_ci
        median = "NR" if km.median is None else f"{km.median:.1f}"
        upper = "NE" if hi is None else f"{hi:.1f}"  # a limit not estimable (median: NR)
        lower = "NE" if lo is None else f"{lo:.1f}"
        assert f"{median} ({lower}–{upper})" in html
    fit = cox_ph(
        d.MONTHS.to_numpy(), event, {"a": (d["ARMCD"] == "A").to_numpy(float)}, strata=strata
    )
    hr = f"{fit.hazard_ratio['a']:.2f} ({fit.hr_lower['a']:.2f}–{fit.hr_upper['a']:.2f})"
    assert hr in html
    lr = logrank_test(d.MONTHS.to_numpy(), event, d.ARMCD.to_numpy(), strata=strata)
    p = "p < 0.001" if lr.p_value < 0.001 else f"p = {lr.p_value:.3f}"
    assert re.search(rf"χ² = {lr.chisq:.2f}\W+{re.escape(p)}", html)


def test_orr_equals_the_engine(exported, html):
    bor = exported.adrs[exported.adrs.PARAMCD == "BOR"]
    for arm in ("A", "B"):
        n = int((exported.adsl["ARMCD"] == arm).sum())
        x = int(bor[(bor["ARMCD"] == arm) & bor.AVALC.isin(["CR", "PR"])].shape[0])
        ci = clopper_pearson(x, n)
        assert (
            f"{x}/{n} = {100 * ci.estimate:.1f}% ({100 * ci.lower:.1f}–"
            f"{100 * ci.upper:.1f})" in html
        )


def test_rerun_leaves_the_demo_alone(demo_dir, cli, demo_args):
    before = {p: p.stat().st_mtime_ns for p in demo_dir.rglob("*") if p.is_file()}
    again = cli("demo", "--out", str(demo_dir), *demo_args)
    assert again.returncode == 0 and "already" in again.stdout
    after = {p: p.stat().st_mtime_ns for p in demo_dir.rglob("*") if p.is_file()}
    assert after == before


def test_report_command_reproduces_the_report_from_the_database(
    demo_dir, manifest, html, tmp_path, cli
):
    done = cli(
        "report",
        "--database",
        str(demo_dir / "trial.sqlite3"),
        "--out",
        str(tmp_path),
        "--format",
        "html",
        "--dsmb",
        "--cutoff",
        str(manifest["data_cutoff"]),
    )
    assert done.returncode == 0, done.stderr
    dsmb = (tmp_path / "dsmb-report.html").read_text(encoding="utf-8")
    assert f'<section id="{DSMB_SECTION[0]}"><h2>{DSMB_SECTION[1]}</h2>' in dsmb
    assert not (tmp_path / "dsmb-report.pdf").exists()
    for name in ("adsl", "adtte", "adrs", "adae"):
        pd.testing.assert_frame_equal(
            pd.read_csv(tmp_path / "analysis" / f"{name}.csv"),
            pd.read_csv(demo_dir / "analysis" / f"{name}.csv"),
        )
    key = re.search(r'<section id="pfs">.*?</section>', html, re.S)
    assert key is not None and key.group(0) in dsmb


def test_bad_input_is_refused_with_a_message(tmp_path, cli):
    out = tmp_path / "nothing"
    bad = cli("demo", "--out", str(out), "--scenario", "better")
    assert bad.returncode == 2 and "--scenario" in bad.stderr and not out.exists()
    missing = cli("report", "--database", str(tmp_path / "none.sqlite3"))
    assert missing.returncode == 2 and "no SQLite database" in missing.stderr
    assert "Traceback" not in bad.stderr + missing.stderr


def test_adam_xpt_files_hold_the_same_data_as_the_csv_files(demo_dir):
    import pyreadstat

    for name in ("adsl", "adtte", "adrs", "adae"):
        xpt, meta = pyreadstat.read_xport(str(demo_dir / "analysis" / f"{name}.xpt"))
        csv = pd.read_csv(demo_dir / "analysis" / f"{name}.csv")
        assert meta.table_name == name.upper() and meta.file_label
        assert len(xpt) == len(csv) and all(len(c) <= 8 for c in xpt.columns)
        labels = meta.column_names_to_labels
        assert all(0 < len(labels[c]) <= 40 and labels[c] != c for c in xpt.columns)
        assert (demo_dir / "analysis" / f"{name}.json").is_file()
        if "AVAL" in csv.columns:
            assert xpt["AVAL"].fillna(-1).tolist() == csv["AVAL"].fillna(-1).tolist()
    adsl, meta = pyreadstat.read_xport(str(demo_dir / "analysis" / "adsl.xpt"))
    assert adsl["STRAT1R"].str.len().gt(0).all()  # the oligoprogression site stratum
    assert meta.original_variable_types["RANDDT"].startswith("E8601DA")
    dead = adsl["DTHDT"].notna()
    assert (adsl.loc[dead, "EOSSTT"] == "DISCONTINUED").all()
    assert (adsl.loc[~dead, "DTHFL"] == "").all()


def test_site_staff_cannot_export_the_analysis_data(demo_dir, cli, tmp_path):
    refused = cli(
        "report", "--database", str(demo_dir), "--user", "coord-jn01", "--out", str(tmp_path / "r")
    )
    assert refused.returncode == 2 and "coordinator" in refused.stderr
    assert not (tmp_path / "r").exists()
