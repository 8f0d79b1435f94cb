"""A strict request schema for every kind of clinical record, made from the model the
record service stores (:mod:`oligotrial.edc.services.kinds`), so the API enters exactly
the fields the service accepts, each with its type and every coded field as an enum.

Records a new record refers to are named within the patient: ``visit_number`` (a lab
drawn at a visit, a measurement) and ``lesion_code`` (a measurement, an RT course's lesion).
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal

from django.db import models
from pydantic import Field, StrictBool, StrictInt, StrictStr, StringConstraints, create_model

from oligotrial.edc.api.schemas import Day, StrictIn
from oligotrial.edc.services.kinds import ANALYTES, KINDS, Kind
from oligotrial.edc.trial_config import current_config
from oligotrial.strict import Number

#: kinds entered through ``POST /patients/{n}/records/{kind}`` (visits are scheduled and
#: consent has its own operation, as the record service requires)
ENTERED = tuple(name for name in KINDS if name not in ("visit", "consent"))
#: every kind's name, spelt out for the schema (a test keeps it equal to the service's)
AnyKindName = Literal[
    "lab",
    "lesion",
    "measurement",
    "rt_course",
    "exposure",
    "adverse_event",
    "biosample",
    "new_therapy",
    "death",
    "withdrawal",
    "visit",
    "consent",
]


def _coded(kind: Kind, field: models.Field[Any, Any]) -> tuple[str, ...] | None:
    """The allowed values of a coded field (choices, or a vocabulary the checks hold)."""
    if field.choices:
        return tuple(str(value) for value, _ in field.flatchoices)
    if kind.name == "lab" and field.name == "analyte":
        return ANALYTES
    if kind.name == "biosample" and field.name == "time_point":
        config = current_config()
        return tuple(dict.fromkeys(config.ctdna_time_points + config.biopsy_time_points))
    return None


def _type(kind: Kind, field: models.Field[Any, Any]) -> Any:
    coded = _coded(kind, field)
    if coded is not None:
        return Literal[coded]
    if isinstance(field, models.DateField):
        return Day
    if isinstance(field, models.BooleanField):
        return StrictBool
    if isinstance(field, models.IntegerField):
        return StrictInt
    if isinstance(field, models.FloatField):
        return Number
    return Annotated[StrictStr, StringConstraints(max_length=field.max_length)]


def _links(kind: Kind) -> dict[str, Any]:
    names = {f.name: f for f in kind.model._meta.concrete_fields}
    links: dict[str, Any] = {}
    required_both = kind.model.__name__ == "LesionMeasurement"
    if "visit" in names:
        links["visit_number"] = (StrictInt, ...) if required_both else (StrictInt | None, None)
    if "lesion" in names:
        code = Annotated[StrictStr, StringConstraints(min_length=1, max_length=16)]
        links["lesion_code"] = (code, ...) if required_both else (code | None, None)
    return links


@cache
def kind_schema(name: str) -> type[StrictIn]:
    """The request schema of record kind ``name``."""
    kind = KINDS[name]
    fields: dict[str, Any] = {}
    for f in kind.model._meta.concrete_fields:
        if f.name in kind.fixed or f.is_relation:
            continue
        annotation = _type(kind, f)
        if f.null:
            fields[f.name] = (annotation | None, Field(default=None))
        elif f.has_default():
            fields[f.name] = (annotation, Field(default=f.get_default()))
        elif f.blank:
            fields[f.name] = (annotation, Field(default=""))
        else:
            fields[f.name] = (annotation, ...)
    fields.update(_links(kind))
    title = "".join(part.title() for part in name.split("_"))
    return create_model(f"{title}In", __base__=StrictIn, **fields)


LINKS = ("visit_number", "lesion_code")


def split(body: StrictIn) -> tuple[dict[str, Any], dict[str, Any]]:
    """(values, links) of a record body: the fields given, and the records it refers to."""
    given = body.model_dump(exclude_unset=True)
    links = {k: given.pop(k) for k in LINKS if k in given}
    return given, links
