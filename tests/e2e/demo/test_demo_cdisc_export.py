"""``oligotrial export cdisc`` on the demo's database: the ADaM package with its manifest,
the same data as the demo's own ADaM files, and refusals that write nothing."""

from __future__ import annotations

import json
import subprocess

import pyreadstat
import pytest


@pytest.fixture(scope="module")
def package(demo_dir, cli, manifest, tmp_path_factory):
    out = tmp_path_factory.mktemp("cdisc") / "package"
    done = cli(
        "export", "cdisc", "--database", str(demo_dir), "--cutoff",
        str(manifest["data_cutoff"]), "--out", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr + done.stdout
    assert "randomized patients" in done.stdout and "problems.csv" in done.stdout
    return out


def test_package_holds_every_adam_data_set_with_matching_hashes(package):
    names = ("adsl", "adtte", "adrs", "adtr", "adae")
    for name in names:
        assert (package / "adam" / f"{name}.xpt").is_file()
        assert (package / "adam" / f"{name}.json").is_file()
    checked = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=package, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    files = json.loads((package / "manifest.json").read_text())["files"]
    assert {f"adam/{n}.xpt" for n in names} <= {f["path"] for f in files}


def test_odm_holds_the_audit_trail_and_is_valid(package, demo_dir):
    import sqlite3

    from oligotrial.interop.cdisc.odm import schema_errors

    document = (package / "odm" / "clinical-data.xml").read_bytes()
    assert schema_errors(document) == []
    with sqlite3.connect(demo_dir / "trial.sqlite3") as db:
        (entries,) = db.execute(
            "SELECT count(*) FROM edc_auditentry WHERE patient <> ''"
        ).fetchone()
    assert entries > 0 and document.count(b"<AuditRecord ") == entries


def test_package_equals_the_demo_adam_files(package, demo_dir):
    """The same ADaM as the demo's, but for SRCSEQ, which only the package (written beside
    SDTM) can fill."""
    for name in ("adsl", "adtte", "adrs", "adae"):
        ours, _ = pyreadstat.read_xport(str(package / "adam" / f"{name}.xpt"))
        demo, _ = pyreadstat.read_xport(str(demo_dir / "analysis" / f"{name}.xpt"))
        if name == "adtte":
            assert demo["SRCSEQ"].isna().all()
            ours, demo = ours.drop(columns="SRCSEQ"), demo.drop(columns="SRCSEQ")
        assert ours.equals(demo), name


def test_adtte_rows_point_at_their_sdtm_record(package):
    """SRCDOM/SRCVAR/SRCSEQ lead from each event or censoring date to the SDTM record that
    holds that date (ADaM IG 1.3, 3.3.8 traceability)."""
    adtte, _ = pyreadstat.read_xport(str(package / "adam" / "adtte.xpt"))
    domains = {}
    traced = adtte[adtte["SRCDOM"].isin(["RS", "DS"])]
    assert len(traced) > 0 and traced["SRCSEQ"].notna().all()
    for row in traced.itertuples():
        if row.SRCDOM not in domains:
            domains[row.SRCDOM], _ = pyreadstat.read_xport(
                str(package / "sdtm" / f"{row.SRCDOM.lower()}.xpt")
            )
        sdtm = domains[row.SRCDOM]
        record = sdtm[(sdtm["USUBJID"] == row.USUBJID) & (sdtm[f"{row.SRCDOM}SEQ"] == row.SRCSEQ)]
        assert len(record) == 1
        assert record[row.SRCVAR].iloc[0][:10] == row.ADT.isoformat(), row


def test_sdtm_domains_and_their_define_are_in_the_package(package):
    from oligotrial.interop.cdisc.define.files import schema_problems

    for name in ("dm", "ds", "ae", "lb", "tu", "tr", "rs", "ta", "ts"):
        assert (package / "sdtm" / f"{name}.xpt").is_file(), name
        assert (package / "sdtm" / f"{name}.json").is_file(), name
    assert schema_problems(package / "sdtm" / "define.xml") == []
    assert b"<html" in (package / "sdtm" / "define.html").read_bytes()[:2000].lower()
    listing = (package / "problems.csv").read_text()
    assert "DM," in listing and "RACE" in listing  # the database holds no race
    assert "COUNTRY" not in listing  # the sites' country is recorded


def test_adam_define_describes_the_package_adam(package):
    """adam/define.xml: schema-valid, one ItemGroupDef per ADaM file of the package with its
    variables in the file's order, and rendered with CDISC's stylesheet."""
    from lxml import etree

    from oligotrial.interop.cdisc.define.files import schema_problems

    xml = package / "adam" / "define.xml"
    assert schema_problems(xml) == []
    ns = {"odm": "http://www.cdisc.org/ns/odm/v1.3"}
    tree = etree.parse(str(xml))
    for name in ("ADSL", "ADTTE", "ADRS", "ADTR", "ADAE"):
        data, _ = pyreadstat.read_xport(str(package / "adam" / f"{name.lower()}.xpt"))
        refs = tree.xpath(f"//odm:ItemGroupDef[@Name='{name}']/odm:ItemRef/@ItemOID", namespaces=ns)
        assert [r.split(".")[-1] for r in refs] == list(data.columns), name
    codes = tree.xpath(
        "//odm:CodeList[@OID='CL.ADTTE.PARAMCD']/odm:CodeListItem/@CodedValue", namespaces=ns
    )
    adtte, _ = pyreadstat.read_xport(str(package / "adam" / "adtte.xpt"))
    assert set(codes) == set(adtte["PARAMCD"])
    html = (package / "adam" / "define.html").read_text(encoding="utf-8")
    assert "Subject-Level Analysis Dataset" in html and "Predecessor: DM.AGE" in html
    files = {f["path"] for f in json.loads((package / "manifest.json").read_text())["files"]}
    assert {"adam/define.xml", "adam/define.html", "sdtm/define.xml"} <= files


def test_values_the_database_does_not_hold_are_listed(package):
    listing = (package / "problems.csv").read_text().splitlines()
    assert any(line.startswith("ADSL,") and ",RACE,value is missing" in line for line in listing)


def test_refusals_write_nothing(demo_dir, cli, tmp_path):
    refused = cli(
        "export", "cdisc", "--database", str(demo_dir), "--user", "coord-jn01",
        "--out", str(tmp_path / "p"),
    )  # fmt: skip
    assert refused.returncode == 2 and "coordinator" in refused.stderr
    bad = cli("export", "cdisc", "--database", str(demo_dir), "--cutoff", "soon", "--out", "x")
    assert bad.returncode == 2 and "--cutoff" in bad.stderr
    assert not (tmp_path / "p").exists() and "Traceback" not in refused.stderr + bad.stderr
