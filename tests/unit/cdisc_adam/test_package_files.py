"""The package on disk: XPT v5 with labels and formats, Dataset-JSON equal to the XPT,
a manifest whose hashes match the files, and a listing of what is missing."""

from __future__ import annotations

import datetime as dt
import json
import math
import subprocess

import pyreadstat
import pytest

from oligotrial.interop.cdisc.adam import REQUIRED
from oligotrial.interop.cdisc.dataset import SAS_EPOCH, Dataset, frame_of, variables
from oligotrial.interop.cdisc.package import verify, write_package

CREATED = dt.datetime(2026, 12, 1, 9, 0)


@pytest.fixture(scope="module")
def package(built, tmp_path_factory):
    out = tmp_path_factory.mktemp("cdisc")
    result = write_package(
        out,
        list(built.adam.values()),
        study_oid="NCT06841172",
        source_version="test",
        required=REQUIRED,
        created=CREATED,
    )
    return out, result


def test_every_xpt_opens_with_labels_formats_and_limits(built, package):
    out, _ = package
    for name, ds in built.adam.items():
        frame, meta = pyreadstat.read_xport(str(out / "adam" / f"{name.lower()}.xpt"))
        assert meta.table_name == name and meta.file_label == ds.label
        assert len(frame) == len(ds.frame)
        assert list(frame.columns) == [v.name for v in ds.variables]
        for v in ds.variables:
            assert len(v.name) <= 8
            assert meta.column_names_to_labels[v.name] == v.label and len(v.label) <= 40
            if v.type == "text":
                assert meta.variable_storage_width[v.name] <= 200
            if v.type == "date":  # numeric, with a date format
                assert meta.original_variable_types[v.name].startswith("E8601DA")
                assert meta.readstat_variable_types[v.name] == "double"


def _xpt_cell(value, kind):
    if kind == "date":
        return None if value is None or value != value else value.isoformat()
    if kind in ("integer", "float"):
        return None if value is None or (isinstance(value, float) and math.isnan(value)) else value
    return value or None


def test_dataset_json_equals_the_xpt(built, package):
    out, _ = package
    for name, ds in built.adam.items():
        doc = json.loads((out / "adam" / f"{name.lower()}.json").read_text(encoding="utf-8"))
        frame, _ = pyreadstat.read_xport(str(out / "adam" / f"{name.lower()}.xpt"))
        assert doc["datasetJSONVersion"] == "1.1.0" and doc["records"] == len(frame)
        assert [c["name"] for c in doc["columns"]] == list(frame.columns)
        kinds = [v.type for v in ds.variables]
        for json_row, xpt_row in zip(doc["rows"], frame.itertuples(index=False), strict=True):
            expected = [_xpt_cell(x, k) for x, k in zip(xpt_row, kinds, strict=True)]
            assert json_row == expected


def test_manifest_hashes_match_the_files(package):
    out, _ = package
    manifest = json.loads((out / "manifest.json").read_text())
    paths = {e["path"] for e in manifest["files"]}
    assert {"adam/adsl.xpt", "adam/adsl.json", "adam/adtte.xpt", "adam/adae.json"} <= paths
    assert verify(out) == []
    checked = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    (out / "adam" / "adsl.json").write_text("{}")
    assert verify(out) == ["adam/adsl.json"]


def test_missing_values_are_listed_and_the_rest_is_written(package):
    out, result = package
    listing = (out / "problems.csv").read_text().splitlines()
    assert listing[0] == "dataset,usubjid,variable,problem"
    race = [p for p in result.problems if p.variable == "RACE"]
    assert race and all(p.problem == "value is missing" for p in race)  # not held: listed


def test_a_non_conformant_data_set_is_listed_not_written(tmp_path):
    specs = variables(("STUDYID", "Study Identifier"), ("USUBJID", "x" * 41))
    bad = Dataset("ADBAD", "Bad", specs, frame_of([{"STUDYID": "S", "USUBJID": "1"}], specs))
    good_specs = variables(("STUDYID", "Study Identifier"), ("USUBJID", "Unique Subject Id"))
    good = Dataset(
        "ADOK", "Fine", good_specs, frame_of([{"STUDYID": "S", "USUBJID": None}], good_specs)
    )
    write_package(
        tmp_path, [bad, good], study_oid="S", source_version="t", required={"ADOK": ("USUBJID",)}
    )
    assert not (tmp_path / "adam" / "adbad.xpt").exists()
    assert (tmp_path / "adam" / "adok.xpt").exists()
    text = (tmp_path / "problems.csv").read_text()
    assert "ADBAD,,,ADBAD.USUBJID: label must be 1-40 characters" in text
    assert "ADOK" in text and "USUBJID" in text


def test_sas_dates_count_from_1960(built, package):
    out, _ = package
    raw, _ = pyreadstat.read_xport(str(out / "adam" / "adsl.xpt"), disable_datetime_conversion=True)
    first = built.adam["ADSL"].frame["RANDDT"].iloc[0]
    assert raw["RANDDT"].iloc[0] == (first - SAS_EPOCH).days
