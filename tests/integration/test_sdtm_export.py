"""SDTM from a small trial built through the services (the demo's builder, 12 patients):
every domain opens in pyreadstat with its labels, names <= 8, labels <= 40, text <= 200
bytes, the SDTMIG 3.4 required variables present and filled, --SEQ unique per subject,
no study day 0, and Dataset-JSON equal to the XPT file.

The trial is built and exported in child processes (``sdtm_support``).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from sdtm_support import DESIGN_DOMAINS, SUBJECT_DOMAINS, child, read_xpt

from oligotrial.interop.cdisc.sdtm.required import REQUIRED


def test_the_export_writes_nothing_and_site_staff_may_not_run_it(exported) -> None:
    before, after = exported["audit"]
    assert before == after > 0
    assert "exporting SDTM" in exported["refused"]


def test_every_domain_is_written_with_its_json(sdtm: Path) -> None:
    names = {p.stem.upper() for p in sdtm.glob("*.xpt")}
    expected = {*SUBJECT_DOMAINS, *DESIGN_DOMAINS, "SUPPAE", "SUPPPR", "SUPPTU"}
    assert names == expected
    assert {p.stem.upper() for p in sdtm.glob("*.json")} == expected


def test_define_xml_is_valid_and_rendered(sdtm: Path) -> None:
    from oligotrial.interop.cdisc.define import schema_problems

    assert schema_problems(sdtm / "define.xml") == []
    text = (sdtm / "define.xml").read_text(encoding="utf-8")
    for path in sdtm.glob("*.xpt"):
        assert f'xlink:href="{path.name}"' in text
    for item in ("IT.RS.RSORRES", "IT.RS.RSORRES.OVRLRESP", "IT.AE.AEDECOD", "IT.LB.LBSTRESN"):
        start = text.index(f'<ItemDef OID="{item}"')
        assert '<def:Origin Type="Derived"' in text[start : text.index("</ItemDef>", start)]
    start = text.index('<ItemDef OID="IT.AE.AETERM"')
    assert '<def:Origin Type="Collected"' in text[start : text.index("</ItemDef>", start)]
    html = (sdtm / "define.html").read_text(encoding="utf-8")
    assert "Adverse Events (AE)" in html and "CTCAE" in html


def test_subject_domains_hold_the_trial(sdtm: Path) -> None:
    dm, _ = read_xpt(sdtm / "dm.xpt")
    randomized = dm[dm["ARMCD"] != ""]
    assert len(randomized) == 12
    assert set(randomized["ARMCD"]) <= {"A", "B"}
    assert (randomized["RFSTDTC"] != "").all()
    for name in ("DS", "SV", "EX", "AE", "LB", "TU", "TR", "RS"):
        frame, _ = read_xpt(sdtm / f"{name.lower()}.xpt")
        assert len(frame) > 0, name
        assert set(frame["USUBJID"]) <= set(dm["USUBJID"]), name


def test_names_labels_lengths_and_required_variables(sdtm: Path) -> None:
    for path in sorted(sdtm.glob("*.xpt")):
        frame, meta = read_xpt(path)
        name = path.stem.upper()
        assert meta.table_name == name
        assert 0 < len(meta.file_label) <= 40, name
        for column in frame.columns:
            assert len(column) <= 8, (name, column)
            label = meta.column_names_to_labels[column]
            assert label and len(label) <= 40, (name, column, label)
            if frame[column].dtype == object:
                longest = max((len(str(v).encode()) for v in frame[column]), default=0)
                assert longest <= 200, (name, column)
        for required in REQUIRED.get(name, ()):
            assert required in frame.columns, (name, required)
            assert (frame[required].astype(str) != "").all(), (name, required)


def test_seq_is_unique_per_subject_and_no_study_day_zero(sdtm: Path) -> None:
    for path in sorted(sdtm.glob("*.xpt")):
        frame, _ = read_xpt(path)
        name = path.stem.upper()
        seq = f"{name}SEQ"
        if seq in frame.columns and "USUBJID" in frame.columns:
            assert not frame.duplicated(["USUBJID", seq]).any(), name
            assert (frame[seq] >= 1).all(), name
        for column in frame.columns:
            if column.endswith("DY") and column != "VISITDY":
                assert not (frame[column] == 0).any(), (name, column)


def test_study_day_counts_from_the_reference_start(sdtm: Path) -> None:
    dm, _ = read_xpt(sdtm / "dm.xpt")
    for name, date, day in (("ae", "AESTDTC", "AESTDY"), ("mh", "MHSTDTC", "MHSTDY")):
        frame, _ = read_xpt(sdtm / f"{name}.xpt")
        merged = frame.merge(dm[["USUBJID", "RFSTDTC"]], on="USUBJID")
        merged = merged[(merged["RFSTDTC"] != "") & (merged[date] != "")]
        assert len(merged) > 0, name
        days = (pd.to_datetime(merged[date]) - pd.to_datetime(merged["RFSTDTC"])).dt.days
        expected = days.where(days < 0, days + 1)
        assert (merged[day].astype(int) == expected).all(), name


def test_dataset_json_equals_the_xpt(sdtm: Path) -> None:
    for path in sorted(sdtm.glob("*.xpt")):
        frame, _ = read_xpt(path)
        doc = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        assert doc["datasetJSONVersion"].startswith("1.1")
        assert [c["name"] for c in doc["columns"]] == list(frame.columns)
        assert doc["records"] == len(frame) == len(doc["rows"])
        for i, column in enumerate(doc["columns"]):
            values = [row[i] for row in doc["rows"]]
            xpt = frame.iloc[:, i].tolist()
            if column["dataType"] == "string":
                assert [v or "" for v in values] == xpt, (path.stem, column["name"])
            else:
                assert [None if pd.isna(x) else float(x) for x in xpt] == [
                    None if v is None else float(v) for v in values
                ], (path.stem, column["name"])


def test_controlled_terms(sdtm: Path) -> None:
    lb, _ = read_xpt(sdtm / "lb.xpt")
    assert set(lb["LBTESTCD"]) <= {
        "BILI",
        "ALB",
        "INR",
        "AFP",
        "HBVVLD",
        "ALT",
        "AST",
        "PLAT",
        "NEUT",
        "CREAT",
    }
    assert "µ" not in "".join(lb["LBSTRESU"]) and "umol/L" in set(lb["LBSTRESU"])
    rs, _ = read_xpt(sdtm / "rs.xpt")
    assert set(rs["RSTESTCD"]) <= {"OVRLRESP", "TRGRESP", "NTRGRESP", "NEWLPROG", "BESTRESP"}
    overall = rs[rs["RSTESTCD"] == "OVRLRESP"]
    assert set(overall["RSSTRESC"]) <= {"CR", "PR", "SD", "NON-CR/NON-PD", "PD", "NE"}
    ae, _ = read_xpt(sdtm / "ae.xpt")
    assert set(ae["AETOXGR"]) <= {"1", "2", "3", "4", "5"}
    assert (ae["AEBODSYS"] != "Not coded").all()


def test_an_incomplete_database_gives_a_listing_and_still_the_valid_data(
    trial: Path, sdtm: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "trial"
    broken.mkdir()
    shutil.copy(trial / "trial.sqlite3", broken / "trial.sqlite3")
    with sqlite3.connect(broken / "trial.sqlite3") as con:
        patient, number = con.execute(
            "SELECT p.id, p.screening_number FROM edc_patient p "
            "JOIN edc_allocation a ON a.patient_id = p.id ORDER BY p.id LIMIT 1"
        ).fetchone()
        con.execute("UPDATE edc_patient SET birth_date = NULL WHERE id = ?", (patient,))
        con.execute(
            "UPDATE edc_screening SET facts = '{}', verdicts = '[]' WHERE patient_id = ?",
            (patient,),
        )
        con.execute(
            "UPDATE edc_labresult SET unit = 'furlongs' WHERE id = "
            "(SELECT MIN(id) FROM edc_labresult WHERE patient_id = ? AND analyte = 'albumin')",
            (patient,),
        )
        lesion, visit = con.execute(
            "SELECT l.code, v.number FROM edc_lesionmeasurement m "
            "JOIN edc_lesion l ON l.id = m.lesion_id JOIN edc_visit v ON v.id = m.visit_id "
            "WHERE l.patient_id = ? AND l.role = 'target' AND v.number > 0 "
            "AND m.status = 'present' ORDER BY m.id LIMIT 1",
            (patient,),
        ).fetchone()
        con.execute(
            "UPDATE edc_lesionmeasurement SET diameter_mm = NULL WHERE id = (SELECT m.id "
            "FROM edc_lesionmeasurement m JOIN edc_lesion l ON l.id = m.lesion_id "
            "JOIN edc_visit v ON v.id = m.visit_id WHERE l.patient_id = ? AND l.code = ? "
            "AND v.number = ?)",
            (patient, lesion, visit),
        )
        failed, failed_number = con.execute(
            "SELECT id, screening_number FROM edc_patient WHERE status = 'screen_failed' "
            "ORDER BY id LIMIT 1"
        ).fetchone()
        con.execute(
            "INSERT INTO edc_consent (patient_id, version, signed_on, obtained_by_id) "
            "SELECT ?, '1.0', (SELECT MAX(screened_on) FROM edc_screening WHERE patient_id = ?),"
            " MIN(id) FROM edc_staff",
            (failed, failed),
        )
        screened = con.execute(
            "SELECT MAX(screened_on) FROM edc_screening WHERE patient_id = ?", (failed,)
        ).fetchone()[0]
    child(broken, "export")
    listing = (broken / "sdtm" / "missing.txt").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith(f"DM subject {number} patient: AGE") for line in listing)
    assert any(line.startswith(f"LB subject {number}") and ": unit " in line for line in listing)
    assert (
        f"TR subject {number} lesion {lesion} visit {visit}: "
        "diameter_mm missing for a lesion present" in listing
    )
    dm, _ = read_xpt(broken / "sdtm" / "dm.xpt")
    row = dm[dm["USUBJID"] == number].iloc[0]
    assert pd.isna(row["AGE"]) and row["SITEID"] != ""
    lb, _ = read_xpt(broken / "sdtm" / "lb.xpt")
    original, _ = read_xpt(sdtm / "lb.xpt")
    assert len(lb[lb["USUBJID"] == number]) >= 1
    assert len(lb) == len(original) - 1  # only the result in an unknown unit is left out
    tr, _ = read_xpt(broken / "sdtm" / "tr.xpt")
    gone = tr[(tr["USUBJID"] == number) & (tr["TRLNKID"] == lesion) & (tr["VISITNUM"] == visit)]
    assert list(gone["TRSTAT"]) == ["NOT DONE"] and list(gone["TRORRES"]) == [""]
    rs, _ = read_xpt(broken / "sdtm" / "rs.xpt")
    assert len(rs[rs["USUBJID"] != number]) > 0
    failure = dm[dm["USUBJID"] == failed_number].iloc[0]
    assert failure["ARMCD"] == "" and failure["ARMNRS"] == "SCREEN FAILURE"
    assert failure["RFICDTC"] == screened and failure["RFSTDTC"] == ""
    ds, _ = read_xpt(broken / "sdtm" / "ds.xpt")
    events = ds[ds["USUBJID"] == failed_number]
    assert list(events["DSDECOD"]) == ["INFORMED CONSENT OBTAINED", "SCREEN FAILURE"]
    assert events["DSSTDY"].isna().all()


@pytest.fixture(scope="module")
def pg_url():
    """An empty PostgreSQL database on the data-capture tests' server, dropped afterwards."""
    import psycopg

    admin = os.environ.get(
        "OLIGOTRIAL_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    name = f"oligotrial_sdtm_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as con:
        con.execute(f"DROP DATABASE IF EXISTS {name}")
        con.execute(f"CREATE DATABASE {name}")
    yield admin.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as con:
        con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.postgres
def test_postgres_gives_the_same_sdtm_as_sqlite(sdtm: Path, pg_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "pg"
    child(folder, "build", pg_url)
    child(folder, "export", pg_url)
    names = sorted(p.name for p in sdtm.glob("*.xpt"))
    assert names == sorted(p.name for p in (folder / "sdtm").glob("*.xpt"))
    for name in names:
        expected, _ = read_xpt(sdtm / name)
        got, _ = read_xpt(folder / "sdtm" / name)
        pd.testing.assert_frame_equal(got, expected, obj=name)
