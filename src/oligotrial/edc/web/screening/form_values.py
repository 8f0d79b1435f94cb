"""Between the form's fields (dotted path -> text as typed) and a screening record (JSON).

:func:`record_data` reads the typed values into the record's shape: a blank field is
unknown (left out), a whole number must be one, a number finite, a date YYYY-MM-DD, yes/no
``true``/``false``; a blank list row is skipped, and a list marked "none" is ``[]``. The
first value that cannot be read is an :class:`InputError` naming its field; every other
check is the record model's (through the screening service). :func:`form_values` is the
reverse, for a stored record.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from oligotrial.edc.web.screening.form_spec import (
    LAB_PARTS,
    NO_UNIT,
    FieldSpec,
    LabSpec,
    Section,
    lab_field,
    list_specs,
    scalar_specs,
    sections,
)
from oligotrial.errors import InputError

NONE_SUFFIX = ".none"
ROWS_SUFFIX = ".rows"
MAX_ROWS = 40
WHOLE = "a whole number is required"
NUMBER = "a finite number is required"
DATE = "a date is required as YYYY-MM-DD"
YES_NO = "answer yes or no"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _value(spec: FieldSpec, path: str, text: str) -> Any:
    if spec.kind == "int":
        if not re.fullmatch(r"[+-]?\d{1,9}", text):
            raise InputError(path, WHOLE)
        return int(text)
    if spec.kind == "number":
        try:
            number = float(text)
        except ValueError:
            raise InputError(path, NUMBER) from None
        if not math.isfinite(number):
            raise InputError(path, NUMBER)
        return number
    if spec.kind == "date":
        try:
            if not _DATE.match(text):
                raise ValueError(text)
            dt.date.fromisoformat(text)
        except ValueError:
            raise InputError(path, DATE) from None
        return text
    if spec.kind == "flag":
        if text not in ("true", "false"):
            raise InputError(path, YES_NO)
        return text == "true"
    if spec.kind == "ids":
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


def _put(tree: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = tree
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value


@dataclass
class RowMap:
    """Which form row each record list item came from: ``{list path: [form row, ...]}``."""

    rows: dict[str, list[int]] = field(default_factory=dict)

    def form_path(self, record_path: str) -> str:
        """The form field of a path in the record (list items renumbered to form rows)."""
        for list_path, rows in self.rows.items():
            prefix = list_path + "."
            if record_path.startswith(prefix):
                index, _, rest = record_path[len(prefix) :].partition(".")
                if index.isdigit() and int(index) < len(rows):
                    tail = f".{rest}" if rest else ""
                    return f"{prefix}{rows[int(index)]}{tail}"
        return record_path


def row_count(values: Mapping[str, str], list_path: str) -> int:
    """Rows the form shows for a list: the rows typed, at least the count it says."""
    prefix = list_path + "."
    seen = [
        int(key[len(prefix) :].split(".", 1)[0])
        for key in values
        if key.startswith(prefix) and key[len(prefix) :].split(".", 1)[0].isdigit()
    ]
    said = values.get(list_path + ROWS_SUFFIX, "")
    count = int(said) if said.isdigit() else 0
    return min(MAX_ROWS, max([count, *(i + 1 for i in seen)]))


def _lab(lab: LabSpec, values: Mapping[str, str], tree: dict[str, Any]) -> None:
    typed = {part: values.get(f"{lab.path}.{part}", "").strip() for part in LAB_PARTS}
    if not any(v for k, v in typed.items() if k != "unit"):
        return
    out: dict[str, Any] = {}
    for part, text in typed.items():
        spec = lab_field(lab, part)
        if part == "unit" and not text and NO_UNIT in lab.units:
            out["unit"] = NO_UNIT
        elif text:
            out[part] = _value(spec, spec.path, text)
    _put(tree, lab.path, out)


def _labs(section: Section) -> list[LabSpec]:
    return [*section.labs, *(lab for sub in section.subsections for lab in _labs(sub))]


def record_data(values: Mapping[str, str]) -> tuple[dict[str, Any], RowMap]:
    """The record the typed ``values`` describe, and where its list items came from."""
    tree: dict[str, Any] = {}
    for path, spec in scalar_specs().items():
        if path.startswith("labs."):
            continue
        text = values.get(path, "").strip()
        if text:
            _put(tree, path, _value(spec, path, text))
    for section in sections():
        for lab in _labs(section):
            _lab(lab, values, tree)
    rows = RowMap()
    for list_path, rows_spec in list_specs().items():
        items: list[dict[str, Any]] = []
        used: list[int] = []
        for i in range(row_count(values, list_path)):
            item: dict[str, Any] = {}
            for f in rows_spec.fields:
                path = f.path.format(i=i)
                text = values.get(path, "").strip()
                if text:
                    item[f.name] = _value(f, path, text)
            if item:
                items.append(item)
                used.append(i)
        rows.rows[list_path] = used
        if items:
            _put(tree, list_path, items)
        elif values.get(list_path + NONE_SUFFIX):
            _put(tree, list_path, [])
    return tree, rows


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def form_values(record: Mapping[str, Any]) -> dict[str, str]:
    """The form's fields for a stored record (the reverse of :func:`record_data`)."""
    out: dict[str, str] = {}
    lists = list_specs()

    def walk(node: Mapping[str, Any], prefix: str) -> None:
        for key, value in node.items():
            path = f"{prefix}{key}"
            if value is None:
                continue
            if path in lists:
                if not value:
                    out[path + NONE_SUFFIX] = "on"
                for i, item in enumerate(value):
                    for name, inner in item.items():
                        if inner is not None:
                            out[f"{path}.{i}.{name}"] = _text(inner)
                out[path + ROWS_SUFFIX] = str(len(value))
            elif isinstance(value, Mapping):
                walk(value, path + ".")
            else:
                out[path] = _text(value)

    walk(record, "")
    return out


def typed_values(data: Mapping[str, Any]) -> dict[str, str]:
    """The form's own fields from a request's data (anything else is ignored)."""
    known = set(scalar_specs())
    lists = list_specs()
    out: dict[str, str] = {}
    for key in data:
        value = data.get(key)
        if not isinstance(value, str):
            continue
        base = key
        for list_path in lists:
            if key.startswith(list_path + "."):
                base = list_path
        if base in known or base in lists:
            out[key] = value[:500]
    return out
