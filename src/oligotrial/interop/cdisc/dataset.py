"""One CDISC data set (SDTM domain or ADaM data set): its metadata, checks and files.

A :class:`Dataset` is a data frame with the metadata a reviewer and define.xml need: the
data set's name and label, and per variable its label, type, length and display format.
It writes SAS transport v5 (the FDA's required format: names <= 8 characters, labels <= 40,
text <= 200 bytes, numbers as IBM doubles; FDA Study Data Technical Conformance Guide,
section 3.3) and CDISC Dataset-JSON 1.1 beside it (the same values; dates as ISO 8601 text
with ``targetDataType`` integer, as the 1.1 specification prescribes for SAS dates).

Dates and date-times are numeric in the XPT file (days, or seconds, since 1960-01-01, the
SAS epoch) with the display formats ``E8601DA.`` and ``E8601DT.`` (ADaM IG 1.3, 3.1.4:
``*DT`` and ``*DTM`` variables are numeric). SDTM ``--DTC`` variables stay ISO text.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

VariableType = Literal["text", "integer", "float", "date", "datetime"]

SAS_EPOCH = dt.date(1960, 1, 1)
_SAS_EPOCH_DATETIME = dt.datetime(1960, 1, 1)
_DATE_FORMAT = {"date": "E8601DA.", "datetime": "E8601DT."}
_JSON_TYPE = {
    "text": "string",
    "integer": "integer",
    "float": "double",
    "date": "date",
    "datetime": "datetime",
}
MAX_NAME, MAX_LABEL, MAX_TEXT = 8, 40, 200


@dataclass(frozen=True)
class Variable:
    """A variable's metadata: name, label, type, and optional display format."""

    name: str
    label: str
    type: VariableType = "text"
    display_format: str | None = None

    @property
    def format(self) -> str | None:
        """The SAS display format written to the XPT file."""
        return self.display_format or _DATE_FORMAT.get(self.type)


@dataclass(frozen=True)
class Dataset:
    """A data set: name, label, ordered variables, rows and key variables."""

    name: str
    label: str
    variables: tuple[Variable, ...]
    frame: pd.DataFrame
    keys: tuple[str, ...] = ()
    structure: str = ""
    notes: tuple[str, ...] = field(default=())

    def problems(self) -> list[str]:
        """Everything that would make the data set non-conformant, one message each."""
        out: list[str] = []
        if len(self.name) > MAX_NAME or not self.name.isalnum():
            out.append(f"{self.name}: data set name must be 1-8 letters or digits")
        if not self.label or len(self.label) > MAX_LABEL:
            out.append(f"{self.name}: data set label must be 1-40 characters")
        names = [v.name for v in self.variables]
        if len(set(names)) != len(names):
            out.append(f"{self.name}: a variable is defined twice")
        missing = [n for n in names if n not in self.frame.columns]
        extra = [str(c) for c in self.frame.columns if c not in names]
        if missing:
            out.append(f"{self.name}: no values for {', '.join(missing)}")
        if extra:
            out.append(f"{self.name}: no metadata for {', '.join(extra)}")
        for v in self.variables:
            if len(v.name) > MAX_NAME or not v.name[:1].isalpha():
                out.append(f"{self.name}.{v.name}: variable name must be 1-8 characters")
            if not v.label or len(v.label) > MAX_LABEL:
                out.append(f"{self.name}.{v.name}: label must be 1-40 characters")
            if v.type == "text" and v.name in self.frame.columns:
                longest = _longest_text(self.frame[v.name])
                if longest > MAX_TEXT:
                    out.append(f"{self.name}.{v.name}: a value is {longest} bytes (limit 200)")
        for key in self.keys:
            if key not in names:
                out.append(f"{self.name}: key {key} is not a variable")
        return out

    def text_length(self, name: str) -> int:
        """The longest value of a text variable in bytes (at least 1, as SAS requires)."""
        return max(1, _longest_text(self.frame[name]))


def _longest_text(values: pd.Series) -> int:
    lengths = [len(str(v).encode("utf-8")) for v in values if _present(v)]
    return max(lengths, default=0)


def _present(value: Any) -> bool:
    return (
        value is not None
        and not (isinstance(value, float) and value != value)
        and (value is not pd.NaT)
    )


def _sas_number(value: Any, kind: VariableType) -> float | None:
    """A date or date-time as the SAS number of days or seconds since 1960-01-01."""
    if not _present(value) or value == "":
        return None
    if kind == "date":
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
        if isinstance(day, dt.datetime):
            day = day.date()
        return float((day - SAS_EPOCH).days)
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    moment = moment.replace(tzinfo=None)
    return (moment - _SAS_EPOCH_DATETIME).total_seconds()


def _iso(value: Any, kind: VariableType) -> str | None:
    if not _present(value) or value == "":
        return None
    if kind == "date":
        return value.isoformat()[:10] if isinstance(value, dt.date) else str(value)[:10]
    text = value.isoformat() if isinstance(value, dt.datetime) else str(value)
    return text[:19]


def xpt_frame(dataset: Dataset) -> pd.DataFrame:
    """The frame as written to XPT: dates numeric, text as str ('' for missing)."""
    out: dict[str, Any] = {}
    for v in dataset.variables:
        values = dataset.frame[v.name]
        if v.type in ("date", "datetime"):
            kind = v.type
            out[v.name] = pd.to_numeric(
                [_sas_number(x, kind) for x in values], errors="raise"
            ).astype(float)
        elif v.type in ("integer", "float"):
            out[v.name] = pd.to_numeric(
                [x if _present(x) else None for x in values], errors="raise"
            ).astype(float)
        else:
            out[v.name] = [str(x) if _present(x) else "" for x in values]
    return pd.DataFrame(out, columns=[v.name for v in dataset.variables])


def write_xpt(dataset: Dataset, folder: Path) -> Path:
    """Write ``<name>.xpt`` (SAS transport v5) with labels and formats."""
    import pyreadstat

    problems = dataset.problems()
    if problems:
        raise ValueError("; ".join(problems))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{dataset.name.lower()}.xpt"
    formats = {v.name: v.format for v in dataset.variables if v.format}
    pyreadstat.write_xport(
        xpt_frame(dataset),
        str(path),
        file_label=dataset.label,
        column_labels={v.name: v.label for v in dataset.variables},
        table_name=dataset.name,
        file_format_version=5,
        variable_format=formats,
    )
    return path


def dataset_json(
    dataset: Dataset, *, study_oid: str, created: dt.datetime, source_version: str
) -> dict[str, Any]:
    """The data set as a CDISC Dataset-JSON 1.1 document (a dict ready for json.dump)."""
    columns: list[dict[str, Any]] = []
    for v in dataset.variables:
        column: dict[str, Any] = {
            "itemOID": f"IT.{dataset.name}.{v.name}",
            "name": v.name,
            "label": v.label,
            "dataType": _JSON_TYPE[v.type],
        }
        if v.type in ("date", "datetime"):
            column["targetDataType"] = "integer"
        if v.type == "text":
            column["length"] = dataset.text_length(v.name)
        if v.format:
            column["displayFormat"] = v.format
        if v.name in dataset.keys:
            column["keySequence"] = dataset.keys.index(v.name) + 1
        columns.append(column)
    rows = [
        [_json_value(row[v.name], v.type) for v in dataset.variables]
        for row in dataset.frame.to_dict("records")
    ]
    return {
        "datasetJSONCreationDateTime": created.replace(microsecond=0).isoformat(),
        "datasetJSONVersion": "1.1.0",
        "fileOID": f"{study_oid}.{dataset.name}",
        "originator": "oligotrial",
        "sourceSystem": {"name": "oligotrial", "version": source_version},
        "studyOID": study_oid,
        "metaDataVersionOID": f"MDV.{study_oid}",
        "itemGroupOID": f"IG.{dataset.name}",
        "records": len(rows),
        "name": dataset.name,
        "label": dataset.label,
        "columns": columns,
        "rows": rows,
    }


def _json_value(value: Any, kind: VariableType) -> Any:
    if kind in ("date", "datetime"):
        return _iso(value, kind)
    if not _present(value):
        return None
    if kind == "integer":
        return int(value)
    if kind == "float":
        return float(value)
    return str(value)


def write_dataset_json(
    dataset: Dataset, folder: Path, *, study_oid: str, created: dt.datetime, source_version: str
) -> Path:
    """Write ``<name>.json`` (Dataset-JSON 1.1) beside the XPT file."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{dataset.name.lower()}.json"
    document = dataset_json(
        dataset, study_oid=study_oid, created=created, source_version=source_version
    )
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def variables(*specs: tuple[str, str] | tuple[str, str, VariableType]) -> tuple[Variable, ...]:
    """Shorthand: ``variables(("STUDYID", "Study Identifier"), ("AGE", "Age", "integer"))``."""
    return tuple(Variable(*spec) for spec in specs)


def frame_of(rows: Sequence[dict[str, Any]], variables_: Sequence[Variable]) -> pd.DataFrame:
    """A frame with exactly the variables' columns, in order (missing keys become None)."""
    names = [v.name for v in variables_]
    return pd.DataFrame([{n: row.get(n) for n in names} for row in rows], columns=names)
