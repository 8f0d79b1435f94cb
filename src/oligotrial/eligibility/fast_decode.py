"""Decode JSON (or convert parsed records) straight into typed structs, for the batch path.

msgspec decodes and checks types, ranges, allowed words and unknown fields in C, much
faster than parsing to dicts and checking them in Python. Its structs are generated from
the pydantic screening record, so the record has one definition; they are as strict as
the model or stricter (dates must be ``YYYY-MM-DD`` text, numbers finite). Checks that
pydantic does in Python validators (units, date order, lesion consistency) are done on
the extracted rows and columns. A line the structs refuse goes to the pydantic model.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from typing import Annotated, Any, Literal

import annotated_types as at
import msgspec
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from oligotrial.eligibility.record import ScreeningRecord

_BIG = 1e300  # numbers beyond are refused (and infinity with them)
Day = Annotated[str, msgspec.Meta(min_length=10, max_length=10)]


def _meta(metadata: list[Any], number: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in metadata:
        if isinstance(item, at.Ge):
            out["ge"] = item.ge
        elif isinstance(item, at.Gt):
            out["gt"] = item.gt
        elif isinstance(item, at.Le):
            out["le"] = item.le
        elif isinstance(item, at.Lt):
            out["lt"] = item.lt
        elif isinstance(item, at.MinLen):
            out["min_length"] = item.min_length
    if number:
        if "ge" not in out and "gt" not in out:
            out["ge"] = -_BIG
        if "le" not in out and "lt" not in out:
            out["le"] = _BIG
    return out


def _convert(annotation: Any, metadata: list[Any]) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        parts = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(parts) != 1:
            raise TypeError(f"no struct type for {annotation!r}")
        inner = _convert(parts[0], metadata)
        return inner | None if len(parts) < len(typing.get_args(annotation)) else inner
    if origin is tuple:
        return list[_convert(typing.get_args(annotation)[0], [])]  # type: ignore[misc]
    if origin is Literal:
        return annotation
    if annotation is dt.date:
        return Day
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return struct_for(annotation)
    if annotation is bool:
        return bool
    if annotation in (int, float, str):
        meta = _meta(metadata, annotation is float)
        return Annotated[annotation, msgspec.Meta(**meta)] if meta else annotation
    raise TypeError(f"no struct type for {annotation!r}")


@functools.cache
def struct_for(model: type[BaseModel]) -> type[msgspec.Struct]:
    """A msgspec struct with the fields, types, constraints and defaults of ``model``."""
    fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    for name, info in model.model_fields.items():
        kind = _convert(info.annotation, list(info.metadata))
        if info.default_factory is not None:
            factory = info.default_factory
            if isinstance(factory, type) and issubclass(factory, BaseModel):
                default: Any = msgspec.field(default_factory=struct_for(factory))
            else:
                default = msgspec.field(default_factory=list)
        elif info.default is PydanticUndefined:
            fields.append((name, kind))
            continue
        elif info.default == ():
            default = msgspec.field(default_factory=list)
        else:
            default = info.default
        fields.append((name, kind, default))
    return msgspec.defstruct(model.__name__, fields, kw_only=True, forbid_unknown_fields=True)


@functools.cache
def record_decoder() -> msgspec.json.Decoder[Any]:
    """Decoder of one screening record (a JSON object) into its struct."""
    return msgspec.json.Decoder(struct_for(ScreeningRecord))


@functools.cache
def blank_record() -> Any:
    """A minimal valid record, standing in for one the structs refuse."""
    return record_decoder().decode(b'{"patient_id": "-", "screening_date": "1970-01-01"}')


def to_record_struct(record: Any) -> Any:
    """A parsed record (dicts and lists) as its struct, checked like a decoded line."""
    return msgspec.convert(record, struct_for(ScreeningRecord))


DecodeError = msgspec.DecodeError
ValidationError = msgspec.ValidationError
