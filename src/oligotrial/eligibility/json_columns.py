"""Typed columns of a batch decoded by the compiled decoder (:mod:`.json_kernel`).

The same :class:`~.columns.Columns` as :mod:`.struct_columns` builds from structs, with the
same checks on whole columns (text without surrounding spaces, lab ranges and units, the
lesion checks, dates not after ``as_of``, in order and not after birth); the decoder has
already checked types, ranges, escapes and calendar dates. A record the
decoder declined, or a check refuses, is marked odd: the general path decides it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np

from oligotrial.eligibility.columns import (
    NO_DAY,
    Bools,
    Columns,
    Floats,
    Ints,
    Malignancies,
    check_days,
)
from oligotrial.eligibility.json_kernel import Decoded
from oligotrial.eligibility.json_layout import GIVEN, MISSING, Layout
from oligotrial.eligibility.json_scan import intern
from oligotrial.eligibility.struct_columns import (
    DAY_FIELDS,
    FLAG_FIELDS,
    LABS,
    LIST_FLAGS,
    NUMBER_FIELDS,
    TEXT_FIELDS,
    checked_labs,
    finish_columns,
)
from oligotrial.eligibility.struct_lesions import (
    BONE_CODES,
    KIND_CODES,
    MODALITY_CODES,
    Codes,
    LesionFields,
    LesionTable,
    checked_lesions,
)
from oligotrial.eligibility.texts import Texts


class DecodedBatch:
    """Accessors by slot name over the decoder's output for ``n`` records."""

    def __init__(self, layout: Layout, buf: Any, decoded: Decoded) -> None:
        self.layout, self.buf, self.d = layout, buf, decoded
        # the input as bytes, whose slices decode to text without an intermediate copy
        self.raw = buf.base if isinstance(buf.base, bytes) else buf.tobytes()
        self.n = len(decoded.ok)
        declined = np.flatnonzero(~decoded.ok)
        if len(declined):  # left half-written: read them as records with nothing given
            decoded.state[:, declined] = MISSING
            decoded.text_length[:, declined] = -1
            decoded.counts[:, declined] = 0
        self._rows: dict[int, tuple[Ints, Ints]] = {}

    def rows(self, table: int) -> tuple[Ints, Ints]:
        """(record, position in the record's list) of each used row of ``table``."""
        if table == 0:  # the record table: every record, declined ones too (marked odd)
            every = np.arange(self.n, dtype=np.int64)
            return every, np.zeros(self.n, dtype=np.int64)
        if table not in self._rows:
            counts = self.d.counts[table]
            record = np.repeat(np.arange(self.n, dtype=np.int64), counts)
            first = np.repeat(np.cumsum(counts) - counts, counts)
            self._rows[table] = (record, np.arange(len(record), dtype=np.int64) - first)
        return self._rows[table]

    def owner(self, path: str) -> Ints:
        """Record of each row of the list table ``path``."""
        return self.rows(self.layout.table_index(path))[0]

    def _numeric(self, name: str) -> tuple[Floats, Codes]:
        slot = self.layout.slots[name]
        if slot.table == 0:  # a record's cells: one row of the column-major arrays
            return self.d.values[slot.column], self.d.state[slot.column]
        record, local = self.rows(slot.table)
        t = self.layout.tables[slot.table]
        cell = t.base_number + local * len(t.numbers) + slot.column
        return self.d.values[cell, record], self.d.state[cell, record]

    def number(self, name: str) -> Floats:
        """Numbers (a list's item count) with NaN where not given."""
        values, state = self._numeric(name)
        return np.where(state == GIVEN, values, np.nan)

    def day(self, name: str) -> Ints:
        values, state = self._numeric(name)
        return np.where(state == GIVEN, values, NO_DAY).astype(np.int64)

    def flag(self, name: str) -> Codes:
        """Booleans as codes: 0 false, 1 true, 2 unknown (the default when missing)."""
        values, state = self._numeric(name)
        default = self.layout.slots[name].default
        missing = 2 if default is None else int(default)
        out = np.where(state == GIVEN, values, 2).astype(np.int8)
        out[state == MISSING] = missing
        return out

    def given(self, name: str) -> Bools:
        return np.asarray(self._numeric(name)[1] == GIVEN, dtype=bool)

    def texts(self, name: str) -> Texts:
        slot = self.layout.slots[name]
        where: Any = slot.column  # a record's cells: one row of the column-major arrays
        if slot.table:
            record, local = self.rows(slot.table)
            t = self.layout.tables[slot.table]
            where = (t.base_text + local * len(t.texts) + slot.column, record)
        starts, lengths = self.d.text_start[where], self.d.text_length[where]
        key = self.d.text_key[0][where], self.d.text_key[1][where]
        codes, first = intern(self.buf, starts, lengths, *key)
        raw = self.raw
        distinct = [
            raw[s : s + n].decode("utf-8")
            for s, n in zip(starts[first].tolist(), lengths[first].tolist(), strict=True)
        ]
        if any("\\" in text for text in distinct):
            codes, distinct = _unescaped(codes, distinct)
        if slot.default is not None:
            missing = lengths == -1
            if missing.any():
                if slot.default not in distinct:
                    distinct.append(slot.default)
                codes = np.where(missing, distinct.index(slot.default), codes)
        return Texts(codes, distinct)


def _unescaped(codes: Ints, spelt: list[str]) -> tuple[Ints, list[str]]:
    """Texts spelt with JSON escapes (checked by the decoder) decoded, and codes merged
    where two spellings give the same text (``"L1"`` and ``"L\\u0031"``)."""
    index: dict[str, int] = {}
    merged = [index.setdefault(json.loads(f'"{t}"') if "\\" in t else t, len(index)) for t in spelt]
    return np.array([*merged, -1], dtype=np.int64)[codes], list(index)


def _words(batch: DecodedBatch, name: str, odd: Bools) -> Texts:
    """A literal's texts; a record with a word outside the literal is marked odd."""
    texts = batch.texts(name)
    words = batch.layout.slots[name].words
    if words is not None:
        wrong = np.array([t not in words for t in texts.distinct] + [False], dtype=bool)
        owner = batch.rows(batch.layout.slots[name].table)[0]
        odd[owner[wrong[texts.codes]]] = True
    return texts


def _list_code(batch: DecodedBatch, path: str) -> Codes:
    return np.where(batch.given(path), 1, 2).astype(np.int8)


def _adverse_events(batch: DecodedBatch, odd: Bools, dates: list[tuple[Ints, Ints]]) -> Floats:
    """Highest grade of an FLST-attributed adverse event (0 none, NaN no list)."""
    path = "flst.adverse_events"
    owner = batch.owner(path)
    odd[owner[batch.texts(path + "[].term").padded()]] = True
    dates.append((owner, batch.day(path + "[].onset_date")))
    worst = np.where(batch.given(path), 0.0, np.nan)
    attributed = batch.flag(path + "[].attributed_to_flst") == 1
    np.maximum.at(worst, owner[attributed], batch.number(path + "[].grade")[attributed])
    return worst


def _history(batch: DecodedBatch, odd: Bools, dates: list[tuple[Ints, Ints]]) -> Malignancies:
    path = "history.other_malignancies"
    owner = batch.owner(path)
    odd[owner[batch.texts(path + "[].diagnosis").padded()]] = True
    diagnosed = batch.day(path + "[].diagnosis_date")
    dates.append((owner, diagnosed))
    courses = "history.prior_radiotherapy"
    course_owner = batch.owner(courses)
    odd[course_owner[batch.texts(courses + "[].site").padded()]] = True
    dates.append((course_owner, batch.day(courses + "[].date")))
    return Malignancies(
        owner=owner,
        days=diagnosed,
        category=_words(batch, path + "[].category", odd).objects(),
        cured=batch.flag(path + "[].curatively_treated"),
    )


def _labs(
    batch: DecodedBatch, odd: Bools, dates: list[tuple[Ints, Ints]]
) -> dict[str, tuple[Floats, Floats]]:
    """Canonical (value, upper limit) of the fact labs; checks every lab."""
    present = np.array([batch.given(f"labs.{name}") for name in LABS])
    analyte, owner = np.nonzero(present)  # analyte by analyte, records in order

    def gather(field: str, get: Any) -> Any:
        return np.concatenate(
            [get(f"labs.{name}.{field}")[present[k]] for k, name in enumerate(LABS)]
        )

    words: list[str] = []
    unit_parts = []
    for k, name in enumerate(LABS):
        texts = batch.texts(f"labs.{name}.unit")
        for w in texts.distinct:
            if w not in words:
                words.append(w)
        remap = np.array([words.index(w) for w in texts.distinct] + [-1], dtype=np.int64)
        unit_parts.append(remap[texts.codes][present[k]])
    unit = np.concatenate(unit_parts)
    dates.append((owner, gather("date", batch.day)))
    return checked_labs(
        batch.n,
        analyte,
        owner,
        unit,
        words,
        gather("value", batch.number),
        gather("lower_limit", batch.number),
        gather("upper_limit", batch.number),
        odd,
    )


def _lesions(batch: DecodedBatch, odd: Bools) -> LesionTable:
    path = "oligoprogression.lesions"
    item = path + "[]."
    owner = batch.owner(path)
    fields = LesionFields(
        owner=owner,
        ids=batch.texts(item + "id"),
        organ=batch.texts(item + "organ"),
        region=batch.texts(item + "lymph_node_region"),
        nodal=batch.flag(item + "nodal") == 1,
        longest=batch.number(item + "longest_diameter_mm"),
        short=batch.number(item + "short_axis_mm"),
        slice_mm=batch.number(item + "slice_thickness_mm"),
        soft=batch.number(item + "soft_tissue_component_mm"),
        modality=_words(batch, item + "modality", odd).lookup(MODALITY_CODES),
        bone=_words(batch, item + "bone_type", odd).lookup(BONE_CODES),
        kind=_words(batch, item + "kind", odd).lookup(KIND_CODES),
        progressing=batch.flag(item + "progressing") == 1,
        irradiated=batch.flag(item + "previously_irradiated"),
        after_rt=batch.flag(item + "progressed_after_rt") == 1,
        amenable=batch.flag(item + "amenable_to_rt"),
    )
    ids_path = "history.prior_radiotherapy[].lesion_ids"
    named_ids = batch.texts(ids_path + "[]").objects().tolist()
    named = list(zip(batch.owner(ids_path).tolist(), named_ids, strict=True))
    return checked_lesions(fields, named, odd)


def decoded_columns(batch: DecodedBatch, as_of: dt.date) -> Columns:
    """Columns of the decoded batch; records declined or refused are marked odd."""
    odd = ~batch.d.ok
    text = {name: _words(batch, path, odd) for name, path in TEXT_FIELDS.items()}
    odd |= text["patient_id"].padded()
    codes_ = {name: batch.flag(path) for name, path in FLAG_FIELDS.items()}
    codes_.update({name: _list_code(batch, path) for name, path in LIST_FLAGS.items()})
    nums = {name: batch.number(path) for name, path in NUMBER_FIELDS.items()}
    nums["rt_courses"] = batch.number("history.prior_radiotherapy")
    days = {name: batch.day(path) for name, path in DAY_FIELDS.items()}
    other_dates: list[tuple[Ints, Ints]] = []
    nums["ae_max_grade"] = _adverse_events(batch, odd, other_dates)
    malignancies = _history(batch, odd, other_dates)
    labs = _labs(batch, odd, other_dates)
    check_days(days, other_dates, as_of, odd)
    return finish_columns(
        batch.n,
        {name: t.objects() for name, t in text.items()},
        days,
        codes_,
        nums,
        labs,
        odd,
        _lesions(batch, odd),
        malignancies,
    )
