"""The screening form filled in: each input with its label, value, choices and message."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from oligotrial.clinical.anatomy import lymph_node_region_vocabulary as region_codes
from oligotrial.edc.web.screening.form_spec import NO_UNIT, FieldSpec, Section, lab_field
from oligotrial.edc.web.screening.form_values import NONE_SUFFIX, ROWS_SUFFIX, row_count
from oligotrial.edc.web.screening.labels import (
    choice_label,
    field_label,
    section_label,
)


@dataclass(frozen=True)
class Input:
    name: str
    id: str
    label: str
    kind: str
    value: str
    required: bool
    choices: list[tuple[str, str]]
    error: str
    minimum: float | None
    maximum: float | None
    blank: str = ""  # the words of the blank choice

    @property
    def step(self) -> str:
        return "1" if self.kind == "int" else "any"


@dataclass(frozen=True)
class LabRow:
    label: str
    inputs: dict[str, Input]


@dataclass(frozen=True)
class ListBlock:
    path: str
    label: str
    rows: list[list[Input]]
    none: Input
    count: int
    columns: list[str]


@dataclass
class Block:
    path: str
    label: str
    inputs: list[Input] = field(default_factory=list)
    labs: list[LabRow] = field(default_factory=list)
    lists: list[ListBlock] = field(default_factory=list)
    subsections: list[Block] = field(default_factory=list)


_CHOSEN = frozenset({"flag", "choice", "organ", "region", "unit"})


def _id(path: str) -> str:
    return "f-" + path.replace(".", "-").replace("_", "-")


def _choices(spec: FieldSpec) -> list[tuple[str, str]]:
    chinese = (get_language() or "").startswith("zh")
    if spec.kind == "flag":
        return [("true", _("yes")), ("false", _("no"))]
    if spec.kind == "unit":
        return [(u, u if u != NO_UNIT else _("(no unit)")) for u in spec.choices]
    return [(c, choice_label(spec.kind, c, chinese)) for c in spec.choices]


def _blank(spec: FieldSpec) -> str:
    """The blank choice: unknown, or the record model's default for a field that has one;
    none when a choice is itself blank (a unitless result)."""
    if NO_UNIT in spec.choices and spec.kind == "unit":
        return ""
    if spec.default:
        labels = dict(_choices(spec))
        return str(labels.get(spec.default, spec.default))
    return "—" if spec.kind == "unit" else _("unknown")


def bind(
    spec: FieldSpec,
    path: str,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    label: str | None = None,
) -> Input:
    return Input(
        name=path,
        id=_id(path),
        label=label or field_label(spec.path, spec.name),
        kind=spec.kind,
        value=values.get(path, ""),
        required=spec.required,
        choices=_choices(spec) if spec.kind in _CHOSEN else [],
        error=errors.get(path, ""),
        minimum=spec.minimum,
        maximum=spec.maximum,
        blank=_blank(spec),
    )


def _block(section: Section, values: Mapping[str, str], errors: Mapping[str, str]) -> Block:
    block = Block(section.path, section_label(section.path or section.name))
    block.inputs = [bind(f, f.path, values, errors) for f in section.fields]
    for lab in section.labs:
        inputs = {
            part: bind(lab_field(lab, part), f"{lab.path}.{part}", values, errors)
            for part in ("value", "unit", "date", "lower_limit", "upper_limit")
        }
        block.labs.append(LabRow(field_label(lab.path, lab.analyte), inputs))
    for spec in section.lists:
        count = max(1, row_count(values, spec.path))
        rows = [
            [bind(f, f.path.format(i=i), values, errors) for f in spec.fields] for i in range(count)
        ]
        none_path = spec.path + NONE_SUFFIX
        none = Input(
            none_path,
            _id(none_path),
            "",
            "none",
            values.get(none_path, ""),
            False,
            [],
            "",
            None,
            None,
        )
        columns = [field_label(f.path, f.name) for f in spec.fields]
        block.lists.append(
            ListBlock(spec.path, section_label(spec.path), rows, none, count, columns)
        )
    block.subsections = [_block(sub, values, errors) for sub in section.subsections]
    return block


def region_choices() -> list[tuple[str, str]]:
    """The lymph-node regions of the controlled vocabulary, for the region fields' list
    (sub-stations such as 16a1 or 12p are typed as codes)."""
    spec = FieldSpec("", "lymph_node_region", "region", False, tuple(region_codes()))
    return _choices(spec)


def blocks(
    all_sections: tuple[Section, ...], values: Mapping[str, str], errors: Mapping[str, str]
) -> list[Block]:
    """The form's sections with ``values`` filled in and ``errors`` at their fields."""
    return [_block(s, values, errors) for s in all_sections]


__all__ = ["ROWS_SUFFIX", "Block", "Input", "bind", "blocks"]
