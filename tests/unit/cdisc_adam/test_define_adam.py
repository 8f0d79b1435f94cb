"""define.xml 2.1 for the ADaM data sets: valid against the Define-XML 2.1 schema shipped by
defineutils, rendered with CDISC's stylesheet, with the ADaM classes, keys, origins
(Predecessor, Assigned, Derived with a method), codelists read from the protocol and the
data, and AVAL described per PARAMCD."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lxml import etree

from oligotrial.endpoints.settings import EndpointSettings
from oligotrial.interop.cdisc.define import render_html, schema_problems, write_define
from oligotrial.protocol import load_protocol

CREATED = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
NS = {"odm": "http://www.cdisc.org/ns/odm/v1.3", "def": "http://www.cdisc.org/ns/def/v2.1"}
DEF = "{http://www.cdisc.org/ns/def/v2.1}"


@pytest.fixture(scope="module")
def define(built, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("define") / "define.xml"
    return write_define(
        list(built.adam.values()), load_protocol(), path, created=CREATED, model="ADaM"
    )


@pytest.fixture(scope="module")
def tree(define):
    return etree.parse(str(define))


def _one(tree, xpath: str):
    found = tree.xpath(xpath, namespaces=NS)
    assert len(found) == 1, xpath
    return found[0]


def test_adam_define_is_valid_against_the_define_2_1_schema(define) -> None:
    assert schema_problems(define) == []
    from defineutils.validate.validate import DefineSchemaValidator

    assert DefineSchemaValidator(define).validate_define_file().endswith("is valid")


def test_standards_classes_and_keys(tree, built) -> None:
    standards = {
        (s.get("Name"), s.get("Version"), s.get("PublishingSet"))
        for s in tree.xpath("//def:Standard", namespaces=NS)
    }
    assert ("ADaMIG", "1.3", None) in standards
    assert any(name == "CDISC/NCI" and ps == "ADaM" for name, _, ps in standards)
    classes = {
        g.get("Name"): (
            g.find(f"{DEF}Class").get("Name"),
            [s.get("Name") for s in g.find(f"{DEF}Class").findall(f"{DEF}SubClass")],
            g.get("Purpose"),
        )
        for g in tree.xpath("//odm:ItemGroupDef", namespaces=NS)
    }
    assert classes == {
        "ADSL": ("SUBJECT LEVEL ANALYSIS DATASET", [], "Analysis"),
        "ADTTE": ("BASIC DATA STRUCTURE", ["TIME-TO-EVENT"], "Analysis"),
        "ADRS": ("BASIC DATA STRUCTURE", [], "Analysis"),
        "ADTR": ("BASIC DATA STRUCTURE", [], "Analysis"),
        "ADAE": ("OCCURRENCE DATA STRUCTURE", ["ADVERSE EVENT"], "Analysis"),
    }
    for name, dataset in built.adam.items():
        refs = tree.xpath(f"//odm:ItemGroupDef[@Name='{name}']/odm:ItemRef", namespaces=NS)
        assert [r.get("ItemOID") for r in refs] == [
            f"IT.{name}.{v.name}" for v in dataset.variables
        ]
        keyed = sorted(
            (int(r.get("KeySequence")), r.get("ItemOID")) for r in refs if r.get("KeySequence")
        )
        assert [oid.split(".")[-1] for _, oid in keyed] == list(dataset.keys)


def test_origins_predecessor_assigned_and_derived_with_a_method(tree, built) -> None:
    age = _one(tree, "//odm:ItemDef[@OID='IT.ADSL.AGE']/def:Origin")
    assert (
        age.get("Type") == "Predecessor"
        and age.findtext(".//odm:TranslatedText", namespaces=NS) == "DM.AGE"
    )
    trtp = _one(tree, "//odm:ItemDef[@OID='IT.ADTTE.TRTP']/def:Origin")
    assert trtp.findtext(".//odm:TranslatedText", namespaces=NS) == "ADSL.TRT01P"
    assert _one(tree, "//odm:ItemDef[@OID='IT.ADTTE.PARAMCD']/def:Origin").get("Type") == "Assigned"
    methods = {m.get("OID"): m for m in tree.xpath("//odm:MethodDef", namespaces=NS)}
    aval = _one(tree, "//odm:ItemRef[@ItemOID='IT.ADTTE.AVAL']")
    assert "ADT - STARTDT + 1" in methods[aval.get("MethodOID")].findtext(
        ".//odm:TranslatedText", namespaces=NS
    )
    cnsr = _one(tree, "//odm:ItemRef[@ItemOID='IT.ADTTE.CNSR']")
    assert cnsr.get("MethodOID") == "MT.ADTTE.CNSR"
    # every derived variable of every data set names a method that exists
    for name, dataset in built.adam.items():
        for v in dataset.variables:
            kind = _one(tree, f"//odm:ItemDef[@OID='IT.{name}.{v.name}']/def:Origin").get("Type")
            ref = _one(
                tree,
                f"//odm:ItemGroupDef[@Name='{name}']/odm:ItemRef[@ItemOID='IT.{name}.{v.name}']",
            )
            if kind == "Derived":
                assert ref.get("MethodOID") in methods, (name, v.name)
            else:
                assert kind in ("Predecessor", "Assigned") and ref.get("MethodOID") is None


def test_numeric_dates_carry_their_sas_format(tree) -> None:
    for oid in ("IT.ADSL.RANDDT", "IT.ADTTE.ADT", "IT.ADAE.ASTDT"):
        item = _one(tree, f"//odm:ItemDef[@OID='{oid}']")
        assert item.get("DataType") == "integer" and item.get(f"{DEF}DisplayFormat") == "E8601DA."


def test_codelists_come_from_the_protocol_and_the_data(tree, built) -> None:
    protocol = load_protocol()
    settings = EndpointSettings.from_protocol(protocol.endpoints, protocol.schedule)
    cnsr = _one(tree, "//odm:CodeList[@OID='CL.CNSR']")
    decoded = {
        i.get("CodedValue"): i.findtext(".//odm:TranslatedText", namespaces=NS)
        for i in cnsr.findall("odm:CodeListItem", NS)
    }
    assert decoded == {"0": "Event", **{str(k): v for k, v in settings.censoring_reasons.items()}}
    assert (
        _one(tree, "//odm:ItemDef[@OID='IT.ADTTE.CNSR']/odm:CodeListRef").get("CodeListOID")
        == "CL.CNSR"
    )
    adtte = built.adam["ADTTE"].frame
    params = _one(tree, "//odm:CodeList[@OID='CL.ADTTE.PARAMCD']")
    pairs = {
        (i.get("CodedValue"), i.findtext(".//odm:TranslatedText", namespaces=NS))
        for i in params.findall("odm:CodeListItem", NS)
    }
    assert pairs == set(zip(adtte["PARAMCD"], adtte["PARAM"], strict=True))
    for flag in ("IT.ADSL.ITTFL", "IT.ADSL.SAFFL", "IT.ADAE.TRTEMFL"):
        assert (
            _one(tree, f"//odm:ItemDef[@OID='{flag}']/odm:CodeListRef").get("CodeListOID")
            == "CL.NY"
        )
    assert (
        _one(tree, "//odm:CodeList[@OID='CL.CTCAE']/odm:ExternalCodeList").get("Dictionary")
        == "CTCAE"
    )


def test_aval_is_described_per_parameter(tree, built) -> None:
    for name in ("ADTTE", "ADRS", "ADTR"):
        item = _one(tree, f"//odm:ItemDef[@OID='IT.{name}.AVAL']")
        assert item.find("def:ValueListRef", NS).get("ValueListOID") == f"VL.{name}.AVAL"
        codes = set(built.adam[name].frame["PARAMCD"])
        refs = tree.xpath(f"//def:ValueListDef[@OID='VL.{name}.AVAL']/odm:ItemRef", namespaces=NS)
        assert {r.get("ItemOID").split(".")[-1] for r in refs} == codes
        for code in codes:
            check = _one(
                tree, f"//def:WhereClauseDef[@OID='WC.{name}.PARAMCD.{code}']/odm:RangeCheck"
            )
            assert check.get(f"{DEF}ItemOID") == f"IT.{name}.PARAMCD"
            assert check.findtext("odm:CheckValue", namespaces=NS) == code
    pfs = _one(tree, "//odm:ItemDef[@OID='IT.ADTTE.AVAL.PFS']")
    assert (
        pfs.findtext(".//odm:TranslatedText", namespaces=NS) == "Progression-Free Survival (days)"
    )
    rank = _one(tree, "//odm:ItemDef[@OID='IT.ADRS.AVAL.OVR']/odm:CodeListRef")
    assert rank.get("CodeListOID") == "CL.ADRS.AVAL"


def test_adam_define_renders_as_html(define, tmp_path) -> None:
    html = render_html(define, tmp_path / "define.html").read_text(encoding="utf-8")
    assert "Subject-Level Analysis Dataset" in html and "TIME-TO-EVENT" in html
    assert "Predecessor: DM.AGE" in html and "ADT - STARTDT + 1" in html


def test_the_schema_check_finds_a_broken_adam_define(define, tmp_path) -> None:
    broken = define.read_text(encoding="utf-8").replace(
        'Name="SUBJECT LEVEL ANALYSIS DATASET"', 'Name="SUBJECT LEVEL"', 1
    )
    path = tmp_path / "broken.xml"
    path.write_text(broken, encoding="utf-8")
    assert any("SUBJECT LEVEL" in p for p in schema_problems(path))
