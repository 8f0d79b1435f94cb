"""The screening record's JSON shape as flat tables, for the compiled decoder.

Generated from the msgspec structs (themselves generated from the pydantic record, see
:mod:`.fast_decode`), so the record keeps one definition. Every JSON object of the
record is a *node* with its own keys; every scalar is a *slot* (a numeric column, or a
text column kept as a span of the input bytes) in a *table*: the record itself, or one
list of objects (lesions, adverse events, ...) whose rows point to their parent row.
Each record reserves ``capacity`` rows per list table; a record with more items is
declined by the decoder and goes to the general path.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import msgspec
import msgspec.inspect as mi
import numpy as np
import numpy.typing as npt

from oligotrial.eligibility.fast_decode import struct_for
from oligotrial.eligibility.record import ScreeningRecord

# value kinds of a key
TEXT, DAY, FLOAT, INT, BOOL, OBJECT, OBJECT_LIST, TEXT_LIST = range(8)
# slot states (numeric slots); text slots hold the length, or these negative codes
MISSING, NULL, GIVEN = 0, 1, 2
TEXT_MISSING, TEXT_NULL = -1, -2
CAPACITY = {  # rows reserved per record for each list table
    "flst.adverse_events": 16,
    "oligoprogression.lesions": 24,
    "history.other_malignancies": 8,
    "history.prior_radiotherapy": 8,
    "history.prior_radiotherapy[].lesion_ids": 32,
}
_INF = float("inf")

Ints = npt.NDArray[np.int64]


@dataclass
class Table:
    """One table: the record (``path`` ""), or the rows of one list."""

    path: str
    capacity: int
    numbers: list[str] = field(default_factory=lambda: ["@owner"])  # slot names
    texts: list[str] = field(default_factory=list)
    base_number: int = 0  # first column of the table's block in a record's row
    base_text: int = 0


@dataclass(frozen=True)
class Slot:
    """Where one scalar lands: table, column, and what the schema allows."""

    table: int
    column: int
    kind: int
    nullable: bool
    default: Any  # value when the key is missing (``None`` = unknown)
    words: tuple[str, ...] | None  # allowed texts of a literal


@dataclass
class Layout:
    """The node, key and table arrays the compiled decoder walks, and the slot names."""

    tables: list[Table]
    slots: dict[str, Slot]
    key_bytes: npt.NDArray[np.uint8]
    key_length: Ints
    key_kind: Ints
    key_nullable: Ints
    key_column: Ints  # column in the table block (presence/count column for objects, lists)
    key_child: Ints  # child node of an object or object list; child table of a text list
    key_low: npt.NDArray[np.float64]
    key_high: npt.NDArray[np.float64]
    key_strict: Ints  # bit 1: low is exclusive, bit 2: high is exclusive
    key_min_length: Ints
    node_first_key: Ints
    node_end_key: Ints
    node_table: Ints
    node_required: Ints  # bit mask of the keys (by position in the node) that must be given
    table_base_number: Ints
    table_numbers: Ints
    table_base_text: Ints
    table_texts: Ints
    table_capacity: Ints
    width_number: int
    width_text: int

    def arrays(self) -> tuple[npt.NDArray[Any], ...]:
        """The arrays the decoder walks, in the order it unpacks them."""
        return (
            self.key_bytes,
            self.key_length,
            self.key_kind,
            self.key_nullable,
            self.key_column,
            self.key_child,
            self.key_low,
            self.key_high,
            self.key_strict,
            self.key_min_length,
            self.node_first_key,
            self.node_end_key,
            self.node_table,
            self.node_required,
            self.table_base_number,
            self.table_numbers,
            self.table_base_text,
            self.table_texts,
            self.table_capacity,
        )

    def table_index(self, path: str) -> int:
        return next(i for i, t in enumerate(self.tables) if t.path == path)


def _unwrap(kind: Any) -> tuple[Any, bool]:
    if isinstance(kind, mi.UnionType):
        parts = [t for t in kind.types if not isinstance(t, mi.NoneType)]
        return parts[0], len(parts) < len(kind.types)
    return kind, False


@dataclass
class _Builder:
    tables: list[Table] = field(default_factory=list)
    slots: dict[str, Slot] = field(default_factory=dict)
    keys: list[dict[str, Any]] = field(default_factory=list)
    nodes: list[dict[str, Any]] = field(default_factory=list)

    def node(self, struct: mi.StructType, table: int, prefix: str) -> int:
        index = len(self.nodes)
        self.nodes.append({})
        if len(struct.fields) > 62:
            raise ValueError(f"{prefix or 'record'}: too many fields for the decoder")
        entries = [self.key(f, table, prefix) for f in struct.fields]
        required = sum(1 << i for i, f in enumerate(struct.fields) if f.required)
        first = len(self.keys)
        self.keys.extend(entries)
        self.nodes[index] = {"first": first, "end": len(self.keys), "table": table, "req": required}
        return index

    def slot(self, name: str, table: int, kind: int, text: bool, **extra: Any) -> int:
        columns = self.tables[table].texts if text else self.tables[table].numbers
        columns.append(name)
        column = len(columns) - 1
        self.slots[name] = Slot(
            table, column, kind, extra["nullable"], extra["default"], extra.get("words")
        )
        return column

    def key(self, f: mi.Field, table: int, prefix: str) -> dict[str, Any]:
        inner, nullable = _unwrap(f.type)
        name = f"{prefix}{f.name}"
        default = None if f.default is msgspec.NODEFAULT else f.default
        entry: dict[str, Any] = {
            "name": f.name,
            "nullable": nullable,
            "child": -1,
            "low": -_INF,
            "high": _INF,
            "strict": 0,
            "min": 0,
        }
        extra = {"nullable": nullable, "default": default}
        if isinstance(inner, mi.StructType):
            entry["kind"] = OBJECT
            entry["column"] = self.slot(name, table, OBJECT, False, **extra)
            entry["child"] = self.node(inner, table, name + ".")
        elif isinstance(inner, mi.ListType):
            child_table = len(self.tables)
            self.tables.append(Table(name, CAPACITY[name]))
            item = inner.item_type
            entry["kind"] = OBJECT_LIST if isinstance(item, mi.StructType) else TEXT_LIST
            entry["column"] = self.slot(name, table, entry["kind"], False, **extra)  # item count
            if isinstance(item, mi.StructType):
                entry["child"] = self.node(item, child_table, name + "[].")
            else:
                entry["child"] = child_table
                self.slot(name + "[]", child_table, TEXT, True, nullable=False, default=None)
        elif isinstance(inner, mi.LiteralType):
            entry["kind"] = TEXT
            entry["column"] = self.slot(name, table, TEXT, True, words=tuple(inner.values), **extra)
        elif isinstance(inner, mi.StrType):
            day = inner.min_length == 10 and inner.max_length == 10
            if not day and (inner.max_length is not None or (inner.min_length or 0) > 1):
                raise ValueError(f"{name}: text constraints the decoder cannot check")
            entry["kind"] = DAY if day else TEXT
            entry["min"] = 0 if day else inner.min_length or 0
            entry["column"] = self.slot(name, table, entry["kind"], not day, **extra)
        elif isinstance(inner, mi.BoolType):
            entry["kind"] = BOOL
            entry["column"] = self.slot(name, table, BOOL, False, **extra)
        elif isinstance(inner, (mi.IntType, mi.FloatType)):
            entry["kind"] = INT if isinstance(inner, mi.IntType) else FLOAT
            for bound, inclusive, exclusive, flag in (
                ("low", inner.ge, inner.gt, 1),
                ("high", inner.le, inner.lt, 2),
            ):
                if exclusive is not None:
                    entry[bound], entry["strict"] = float(exclusive), entry["strict"] | flag
                elif inclusive is not None:
                    entry[bound] = float(inclusive)
            entry["column"] = self.slot(name, table, entry["kind"], False, **extra)
        else:  # pragma: no cover - the record has no other types
            raise ValueError(f"{name}: no decoder for {inner!r}")
        return entry


@functools.cache
def record_layout() -> Layout:
    """The layout of :class:`ScreeningRecord`."""
    b = _Builder()
    b.tables.append(Table("", 1))
    b.node(mi.type_info(struct_for(ScreeningRecord)), 0, "")  # type: ignore[arg-type]
    number = text = 0
    for t in b.tables:
        t.base_number, t.base_text = number, text
        number += t.capacity * len(t.numbers)
        text += t.capacity * len(t.texts)
    width = max(len(k["name"]) for k in b.keys)
    key_bytes = np.zeros((len(b.keys), width), dtype=np.uint8)
    for i, k in enumerate(b.keys):
        encoded = k["name"].encode()
        key_bytes[i, : len(encoded)] = np.frombuffer(encoded, dtype=np.uint8)

    def ints(values: list[int]) -> Ints:
        return np.array(values, dtype=np.int64)

    return Layout(
        tables=b.tables,
        slots=b.slots,
        key_bytes=key_bytes,
        key_length=ints([len(k["name"].encode()) for k in b.keys]),
        key_kind=ints([k["kind"] for k in b.keys]),
        key_nullable=ints([int(k["nullable"]) for k in b.keys]),
        key_column=ints([k["column"] for k in b.keys]),
        key_child=ints([k["child"] for k in b.keys]),
        key_low=np.array([k["low"] for k in b.keys]),
        key_high=np.array([k["high"] for k in b.keys]),
        key_strict=ints([k["strict"] for k in b.keys]),
        key_min_length=ints([k["min"] for k in b.keys]),
        node_first_key=ints([n["first"] for n in b.nodes]),
        node_end_key=ints([n["end"] for n in b.nodes]),
        node_table=ints([n["table"] for n in b.nodes]),
        node_required=ints([n["req"] for n in b.nodes]),
        table_base_number=ints([t.base_number for t in b.tables]),
        table_numbers=ints([len(t.numbers) for t in b.tables]),
        table_base_text=ints([t.base_text for t in b.tables]),
        table_texts=ints([len(t.texts) for t in b.tables]),
        table_capacity=ints([t.capacity for t in b.tables]),
        width_number=number,
        width_text=text,
    )
