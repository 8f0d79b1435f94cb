"""The screening form, read from the strict record model itself (sections as in the record).

Each field of :class:`~oligotrial.eligibility.record.ScreeningRecord` becomes an input named
by its dotted record path (``labs.albumin.value``, ``oligoprogression.lesions.0.organ``);
its kind comes from the field's type (text, whole number, number, date, yes/no, a choice
of the model's values). A laboratory result is a row of value, unit (the units the clinical
unit table accepts for the analyte), date and the site's reference range; organs and
lymph-node regions are picked from the controlled vocabulary of :mod:`oligotrial.clinical`.
Lists (lesions, adverse events, other cancers, earlier radiotherapy) are repeated rows.
Nothing here decides anything about the patient.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel

from oligotrial.clinical.anatomy import lymph_node_region_vocabulary, organ_vocabulary
from oligotrial.clinical.units import allowed_units
from oligotrial.eligibility.record import ScreeningRecord
from oligotrial.eligibility.record_parts import Lab

Kind = Literal["text", "int", "number", "date", "flag", "choice", "organ", "region", "unit", "ids"]
#: record fields the form does not show: the site is the coordinator's own
HIDDEN = frozenset({"site"})
#: the unit spelling of a unitless result (INR)
NO_UNIT = ""


@dataclass(frozen=True)
class FieldSpec:
    path: str  # dotted, with ``{i}`` for the row of a list
    name: str
    kind: Kind
    required: bool
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    default: str = ""  # what a blank field means when the record model has a default


@dataclass(frozen=True)
class ListSpec:
    path: str
    name: str
    fields: tuple[FieldSpec, ...]


@dataclass(frozen=True)
class LabSpec:
    path: str
    analyte: str
    units: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    path: str  # "" for the record's own fields
    name: str
    fields: tuple[FieldSpec, ...] = ()
    labs: tuple[LabSpec, ...] = ()
    lists: tuple[ListSpec, ...] = ()
    subsections: tuple[Section, ...] = field(default_factory=tuple)


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(the type without ``None``, whether ``None`` is allowed)."""
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0], True
    return annotation, False


def _base(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _leaf(path: str, name: str, info: Any) -> FieldSpec:
    annotation, optional = _unwrap(info.annotation)
    base = _base(annotation)
    required = info.is_required()
    bounds: dict[str, Any] = {}
    for meta in info.metadata:
        for attr, key in (("ge", "minimum"), ("gt", "minimum"), ("le", "maximum")):
            if getattr(meta, attr, None) is not None:
                bounds[key] = getattr(meta, attr)
    kind: Kind
    choices: tuple[str, ...] = ()
    if typing.get_origin(base) is Literal:
        kind, choices = "choice", tuple(str(v) for v in typing.get_args(base))
    elif base is bool:
        kind = "flag"
    elif base is int:
        kind = "int"
    elif base is float:
        kind = "number"
    elif base is dt.date:
        kind = "date"
    elif typing.get_origin(base) is tuple:
        kind = "ids"
    elif name == "organ":
        kind, choices = "organ", tuple(organ_vocabulary())
    elif name == "lymph_node_region":
        kind, choices = "region", tuple(lymph_node_region_vocabulary())
    else:
        kind = "text"
    default = info.default
    shown = "" if optional or default is None or not isinstance(default, str | bool) else default
    if isinstance(shown, bool):
        shown = "true" if shown else "false"
    return FieldSpec(path, name, kind, required, choices, default=shown, **bounds)


def _list_item(annotation: Any) -> type[BaseModel] | None:
    inner, _ = _unwrap(annotation)
    if typing.get_origin(inner) is tuple:
        item = typing.get_args(inner)[0]
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
    return None


def _model(annotation: Any) -> type[BaseModel] | None:
    inner, _ = _unwrap(annotation)
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None


def _section(model: type[BaseModel], prefix: str, name: str) -> Section:
    fields: list[FieldSpec] = []
    labs: list[LabSpec] = []
    lists: list[ListSpec] = []
    subsections: list[Section] = []
    for key, info in model.model_fields.items():
        if not prefix and key in HIDDEN:
            continue
        path = f"{prefix}{key}"
        item = _list_item(info.annotation)
        sub = _model(info.annotation)
        if item is not None:
            row = tuple(_leaf(f"{path}.{{i}}.{k}", k, i) for k, i in item.model_fields.items())
            lists.append(ListSpec(path, key, row))
        elif sub is Lab:
            units = tuple(NO_UNIT if u == "(no unit)" else u for u in allowed_units(key))
            labs.append(LabSpec(path, key, units))
        elif sub is not None:
            subsections.append(_section(sub, f"{path}.", key))
        else:
            fields.append(_leaf(path, key, info))
    return Section(
        prefix.rstrip("."), name, tuple(fields), tuple(labs), tuple(lists), tuple(subsections)
    )


@cache
def sections() -> tuple[Section, ...]:
    """The record's own fields first, then one section per part, in the record's order."""
    top = _section(ScreeningRecord, "", "patient")
    return (
        Section("", "patient", top.fields, top.labs, top.lists, ()),
        *top.subsections,
    )


LAB_PARTS = ("value", "unit", "date", "lower_limit", "upper_limit")


def lab_field(lab: LabSpec, part: str) -> FieldSpec:
    """The input of one part of a laboratory result."""
    kinds: dict[str, Kind] = {"unit": "unit", "date": "date"}
    return FieldSpec(
        f"{lab.path}.{part}",
        part,
        kinds.get(part, "number"),
        False,
        lab.units if part == "unit" else (),
        minimum=None if part in ("unit", "date") else 0,
    )


@cache
def list_specs() -> dict[str, ListSpec]:
    """Every list of the record by its path."""
    out: dict[str, ListSpec] = {}

    def walk(section: Section) -> None:
        for spec in section.lists:
            out[spec.path] = spec
        for sub in section.subsections:
            walk(sub)

    for section in sections():
        walk(section)
    return out


@cache
def scalar_specs() -> dict[str, FieldSpec]:
    """Every field outside lists, labs included, by its path."""
    out: dict[str, FieldSpec] = {}

    def walk(section: Section) -> None:
        for spec in section.fields:
            out[spec.path] = spec
        for lab in section.labs:
            for part in LAB_PARTS:
                f = lab_field(lab, part)
                out[f.path] = f
        for sub in section.subsections:
            walk(sub)

    for section in sections():
        walk(section)
    return out
