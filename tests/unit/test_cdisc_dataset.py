"""A CDISC data set written as SAS transport v5 and Dataset-JSON 1.1 reads back the same."""

from __future__ import annotations

import datetime as dt
import json

import pyreadstat
import pytest

from oligotrial.interop.cdisc.dataset import (
    Dataset,
    frame_of,
    variables,
    write_dataset_json,
    write_xpt,
)

VARS = variables(
    ("STUDYID", "Study Identifier"),
    ("USUBJID", "Unique Subject Identifier"),
    ("AGE", "Age", "integer"),
    ("AVAL", "Analysis Value", "float"),
    ("RANDDT", "Date of Randomization", "date"),
    ("ADTM", "Analysis Datetime", "datetime"),
)
ROWS = [
    {
        "STUDYID": "NCT06841172",
        "USUBJID": "NCT06841172-01-001",
        "AGE": 61,
        "AVAL": 183.5,
        "RANDDT": dt.date(2026, 3, 2),
        "ADTM": dt.datetime(2026, 3, 2, 9, 30),
    },
    {"STUDYID": "NCT06841172", "USUBJID": "NCT06841172-01-002", "AGE": None, "AVAL": None},
]


def _dataset() -> Dataset:
    return Dataset(
        "ADSL", "Subject-Level Analysis Dataset", VARS, frame_of(ROWS, VARS), ("USUBJID",)
    )


def test_xpt_keeps_labels_formats_and_numeric_dates(tmp_path):
    path = write_xpt(_dataset(), tmp_path)
    frame, meta = pyreadstat.read_xport(str(path))
    assert meta.table_name == "ADSL"
    assert meta.file_label == "Subject-Level Analysis Dataset"
    assert meta.column_names_to_labels["RANDDT"] == "Date of Randomization"
    assert meta.original_variable_types["RANDDT"].startswith("E8601DA")
    assert meta.original_variable_types["ADTM"].startswith("E8601DT")
    # pyreadstat turns formatted SAS dates back into dates: the number was days since 1960.
    assert frame.loc[0, "RANDDT"] == dt.date(2026, 3, 2)
    assert frame.loc[0, "ADTM"] == dt.datetime(2026, 3, 2, 9, 30)
    assert frame.loc[0, "AGE"] == 61 and frame.loc[0, "AVAL"] == 183.5
    assert frame["AGE"].isna()[1] and frame["RANDDT"].isna()[1]
    assert frame.loc[1, "USUBJID"] == "NCT06841172-01-002"


def test_dataset_json_holds_the_same_values(tmp_path):
    created = dt.datetime(2026, 12, 6, 12, 0)
    path = write_dataset_json(
        _dataset(), tmp_path, study_oid="NCT06841172", created=created, source_version="0.1.0"
    )
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["datasetJSONVersion"] == "1.1.0" and doc["records"] == 2
    columns = {c["name"]: c for c in doc["columns"]}
    assert columns["RANDDT"]["dataType"] == "date"
    assert columns["RANDDT"]["targetDataType"] == "integer"
    assert columns["USUBJID"]["keySequence"] == 1
    assert columns["USUBJID"]["length"] == len("NCT06841172-01-001")
    first, second = doc["rows"]
    assert first == [
        "NCT06841172",
        "NCT06841172-01-001",
        61,
        183.5,
        "2026-03-02",
        "2026-03-02T09:30:00",
    ]
    assert second[2:] == [None, None, None, None]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"name": "ADVERYLONG"}, "data set name"),
        ({"label": "x" * 41}, "data set label"),
        ({"variables": (*VARS, *variables(("EXTRA", "Not in the frame")))}, "no values for EXTRA"),
        ({"variables": VARS[:-1]}, "no metadata for ADTM"),
        ({"keys": ("SUBJID",)}, "key SUBJID"),
    ],
)
def test_problems_name_the_data_set_and_what_is_wrong(change, problem, tmp_path):
    fields = {
        "name": "ADSL",
        "label": "Subject-Level",
        "variables": VARS,
        "frame": frame_of(ROWS, VARS),
        "keys": (),
    }
    fields.update(change)
    dataset = Dataset(**fields)
    assert any(problem in p for p in dataset.problems())
    with pytest.raises(ValueError, match=problem):
        write_xpt(dataset, tmp_path)
    assert not list(tmp_path.iterdir())


def test_a_text_value_over_200_bytes_is_a_problem():
    long = [{"STUDYID": "S", "USUBJID": "é" * 101}]
    dataset = Dataset("DM", "Demographics", VARS[:2], frame_of(long, VARS[:2]))
    assert dataset.problems() == ["DM.USUBJID: a value is 202 bytes (limit 200)"]
