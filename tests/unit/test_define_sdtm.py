"""define.xml 2.1 for SDTM data sets: valid against the Define-XML 2.1 schema shipped by
defineutils, rendered with CDISC's stylesheet, and saying how AEs are coded (CTCAE v5.0,
no MedDRA licence); the trial design domains read from the protocol file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from oligotrial.interop.cdisc.dataset import Dataset, variables, write_xpt
from oligotrial.interop.cdisc.define import render_html, schema_problems, write_define
from oligotrial.interop.cdisc.sdtm import trial_design_domains
from oligotrial.interop.cdisc.sdtm.common import domain, numbered, study_day
from oligotrial.protocol import load_protocol

CREATED = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def protocol():
    return load_protocol()


def small_ae() -> Dataset:
    specs = variables(
        ("STUDYID", "Study Identifier"),
        ("DOMAIN", "Domain Abbreviation"),
        ("USUBJID", "Unique Subject Identifier"),
        ("AESEQ", "Sequence Number", "integer"),
        ("AETERM", "Reported Term for the Adverse Event"),
        ("AEDECOD", "Dictionary-Derived Term"),
        ("AEBODSYS", "Body System or Organ Class"),
        ("AESER", "Serious Event"),
        ("AESTDTC", "Start Date/Time of Adverse Event"),
        ("AESTDY", "Study Day of Start of Adverse Event", "integer"),
    )
    rows = numbered(
        [
            {
                "STUDYID": "S",
                "USUBJID": "P2",
                "AETERM": "Nausea",
                "AEDECOD": "Nausea",
                "AEBODSYS": "Gastrointestinal disorders",
                "AESER": "N",
                "AESTDTC": "2024-01-03",
                "AESTDY": 3,
            },
            {
                "STUDYID": "S",
                "USUBJID": "P1",
                "AETERM": "Fatigue",
                "AEDECOD": "Fatigue",
                "AEBODSYS": "General disorders and administration site conditions",
                "AESER": "N",
                "AESTDTC": "2024-01-01",
                "AESTDY": 1,
            },
            {
                "STUDYID": "S",
                "USUBJID": "P1",
                "AETERM": "Nausea",
                "AEDECOD": "Nausea",
                "AEBODSYS": "Gastrointestinal disorders",
                "AESER": "Y",
                "AESTDTC": "2023-12-30",
                "AESTDY": -2,
            },
        ],
        "AE",
        lambda r: r["AESTDTC"],
    )
    return domain(
        "AE",
        "Adverse Events",
        specs,
        rows,
        ("STUDYID", "USUBJID", "AEDECOD", "AESTDTC"),
        "One record per adverse event per subject",
    )


def test_study_day_has_no_day_zero() -> None:
    ref = dt.date(2024, 1, 10)
    assert study_day(ref, ref) == 1
    assert study_day(dt.date(2024, 1, 9), ref) == -1
    assert study_day(dt.date(2024, 1, 11), ref) == 2
    assert study_day(None, ref) is None and study_day(ref, None) is None


def test_seq_follows_the_documented_order() -> None:
    ae = small_ae()
    got = ae.frame[["USUBJID", "AESEQ", "AESTDTC"]].values.tolist()
    assert got == [["P1", 1, "2023-12-30"], ["P1", 2, "2024-01-01"], ["P2", 1, "2024-01-03"]]


def test_define_is_valid_against_the_define_2_1_schema(protocol, tmp_path: Path) -> None:
    datasets = [small_ae(), *trial_design_domains(protocol)]
    path = write_define(datasets, protocol, tmp_path / "define.xml", created=CREATED)
    assert schema_problems(path) == []
    from defineutils.validate.validate import DefineSchemaValidator

    assert DefineSchemaValidator(path).validate_define_file().endswith("is valid")
    text = path.read_text(encoding="utf-8")
    assert 'def:DefineVersion="2.1.0"' in text and 'Name="SDTMIG"' in text
    assert 'ItemOID="IT.AE.AESEQ"' in text and 'MethodOID="MT.SEQ"' in text
    assert 'Dictionary="CTCAE" Version="5.0"' in text
    assert "MedDRA itself needs a licence" in text


def test_the_schema_check_finds_a_broken_document(protocol, tmp_path: Path) -> None:
    path = write_define(trial_design_domains(protocol), protocol, tmp_path / "define.xml")
    broken = path.read_text(encoding="utf-8").replace(
        ' def:Structure="One record per planned Element"', "", 1
    )
    path.write_text(broken, encoding="utf-8")
    problems = schema_problems(path)
    assert problems and any("Structure" in p for p in problems)


def test_define_renders_as_html(protocol, tmp_path: Path) -> None:
    path = write_define(
        [small_ae(), *trial_design_domains(protocol)], protocol, tmp_path / "define.xml"
    )
    html = render_html(path, tmp_path / "define.html").read_text(encoding="utf-8")
    assert "Adverse Events (AE)" in html and "Trial Summary (TS)" in html
    assert "AEDECOD" in html


def test_trial_design_comes_from_the_protocol(protocol, tmp_path: Path) -> None:
    by_name = {d.name: d for d in trial_design_domains(protocol)}
    assert all(not d.problems() for d in by_name.values())
    ti = by_name["TI"].frame
    assert list(ti["IETESTCD"]) == [c.id for c in protocol.criteria]
    assert all(len(t.encode()) <= 200 for t in ti["IETEST"])
    ta = by_name["TA"].frame
    assert set(ta["ARMCD"]) == {a.code for a in protocol.arms}
    tv = by_name["TV"].frame
    assert (
        tv["VISITDY"].iloc[0] == 1
        and tv["VISIT"].iloc[1] == "WEEK 8"
        and tv["VISITDY"].iloc[1] == 57
    )
    ts = by_name["TS"].frame.set_index(["TSPARMCD", "TSSEQ"])
    assert ts.loc[("PLANSUB", 1), "TSVAL"] == str(protocol.design.planned_subjects)
    assert ts.loc[("TPHASE", 1), "TSVALNF"] == "NI"
    for dataset in by_name.values():
        write_xpt(dataset, tmp_path)


def test_source_seq_points_at_the_record_of_the_date() -> None:
    from oligotrial.interop.cdisc.sdtm.links import source_seq

    ae = small_ae()
    assert source_seq([ae], "AE", "AESTDTC", "P1", dt.date(2024, 1, 1)) == 2
    assert source_seq([ae], "AE", "AESTDTC", "P1", dt.date(2024, 1, 2)) is None
    assert source_seq([ae], "RS", "RSDTC", "P1", dt.date(2024, 1, 1)) is None


def test_suppqual_values_have_value_level_metadata(protocol, tmp_path: Path) -> None:
    from oligotrial.interop.cdisc.sdtm.supp import supp

    ae = small_ae()
    values = [
        {"USUBJID": "P1", "AESEQ": 1, "AERELRT": "PROBABLY RELATED", "AERELFL": None},
        {"USUBJID": "P2", "AESEQ": 1, "AERELRT": None, "AERELFL": "NOT RELATED"},
    ]
    qualifiers = {
        "AERELRT": ("Causality to Radiotherapy", "CRF"),
        "AERELFL": ("Causality to First-Line Therapy", "CRF"),
    }
    suppae = supp(ae, qualifiers, values)
    assert list(suppae.frame["QNAM"]) == ["AERELRT", "AERELFL"]
    assert not suppae.problems()
    path = write_define([ae, suppae], protocol, tmp_path / "define.xml", created=CREATED)
    assert schema_problems(path) == []
    text = path.read_text(encoding="utf-8")
    assert '<def:ValueListRef ValueListOID="VL.SUPPAE.QVAL"' in text
    assert 'OID="WC.SUPPAE.QNAM.AERELFL"' in text and "<CheckValue>AERELFL</CheckValue>" in text
    assert 'OID="IT.SUPPAE.QVAL.AERELRT" Name="AERELRT" DataType="text" Length="16"' in text


def test_findings_results_have_value_level_metadata_by_test_code(protocol, tmp_path) -> None:
    specs = variables(
        ("STUDYID", "Study Identifier"),
        ("DOMAIN", "Domain Abbreviation"),
        ("USUBJID", "Unique Subject Identifier"),
        ("LBSEQ", "Sequence Number", "integer"),
        ("LBTESTCD", "Lab Test or Examination Short Name"),
        ("LBTEST", "Lab Test or Examination Name"),
        ("LBORRES", "Result or Finding in Original Units"),
        ("LBDTC", "Date/Time of Specimen Collection"),
    )
    rows = [
        {
            "STUDYID": "S",
            "USUBJID": "P1",
            "LBSEQ": 1,
            "LBTESTCD": "ALB",
            "LBTEST": "Albumin",
            "LBORRES": "42",
            "LBDTC": "2024-01-01",
        },
        {
            "STUDYID": "S",
            "USUBJID": "P1",
            "LBSEQ": 2,
            "LBTESTCD": "BILI",
            "LBTEST": "Bilirubin",
            "LBORRES": "10.94",
            "LBDTC": "2024-01-01",
        },
    ]
    lb = domain(
        "LB",
        "Laboratory Test Results",
        specs,
        rows,
        ("STUDYID", "USUBJID", "LBSEQ"),
        "One record per lab test per time point per visit per subject",
    )
    path = write_define([lb], protocol, tmp_path / "define.xml", created=CREATED)
    assert schema_problems(path) == []
    text = path.read_text(encoding="utf-8")
    assert '<def:ValueListRef ValueListOID="VL.LB.LBORRES"' in text
    assert 'OID="IT.LB.LBORRES.BILI" Name="LBORRES" DataType="text" Length="5"' in text
    assert "<CheckValue>ALB</CheckValue>" in text
