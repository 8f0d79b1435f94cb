"""The lesions of a batch of decoded records as one flat table of numpy columns.

Each lesion is a row with the position of its record (``owner``); vocabularies become
small integer codes. The checks the pydantic lesion model makes in Python (text without
surrounding spaces, a known organ and lymph-node region, a region only on a nodal
lesion, a bone type only on bone, no progression after RT on a never-irradiated lesion,
lesion ids unique within the record, radiotherapy courses naming existing lesions) are
made here on whole columns; a record failing one is marked odd (the model decides it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from msgspec.structs import astuple

from oligotrial.clinical.anatomy import LYMPH_NODE_SYSTEM, lymph_node_region, organ_system
from oligotrial.eligibility.fast_decode import struct_for
from oligotrial.eligibility.record_parts import LesionRecord
from oligotrial.eligibility.texts import Texts
from oligotrial.errors import InputError

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Codes = npt.NDArray[np.int8]

MODALITY_CODES = {
    m: i for i, m in enumerate(("CT", "MRI", "PET-CT", "X-ray", "clinical", "ultrasound", "PET"))
}
KIND_CODES = {
    k: i
    for i, k in enumerate(
        ("solid", "cystic", "effusion", "ascites", "lymphangitic", "leptomeningeal")
    )
}
BONE_CODES: dict[str | None, int] = {None: 0, "lytic": 1, "mixed": 2, "blastic": 3}
UNKNOWN = -2
_NAN = float("nan")  # code of a word the clinical tables refuse


@dataclass(frozen=True)
class LesionTable:
    """One row per lesion; booleans that may be unknown as codes 0/1 (2 unknown)."""

    owner: Ints
    ids: npt.NDArray[np.object_]
    system: Ints  # organ system code (lymph node system for nodal lesions), see ``SYSTEMS``
    bone_system: int  # the code of bone
    nodal: Bools
    region: Ints  # lymph-node drainage region code, -1 when not given
    longest: Floats
    short: Floats
    slice_mm: Floats
    modality: Ints
    bone: Ints
    soft: Floats
    kind: Ints
    progressing: Bools
    irradiated: Codes
    after_rt: Bools
    amenable: Codes
    rt_refs: set[tuple[int, str]]  # (owner, lesion id) named by a prior radiotherapy course


def codes(values: Sequence[bool | None]) -> Codes:
    """Optional booleans as codes: 0 false, 1 true, 2 unknown."""
    return np.fromiter([2 if v is None else v for v in values], np.int8, len(values))


def numbers(values: Sequence[float | None]) -> Floats:
    """Optional numbers as floats (NaN unknown); faster than numpy's own None handling."""
    return np.fromiter([_NAN if v is None else v for v in values], np.float64, len(values))


def padded(texts: Sequence[str]) -> Bools:
    """Per text: empty or with surrounding white space (the model would strip it)."""
    return np.array([not t or t != t.strip() for t in texts], dtype=bool)


@dataclass
class Vocabulary:
    """Integer codes of the words ``lookup`` gives for texts (kept for the whole process,
    so codes are the same in every chunk); a text it refuses has code ``UNKNOWN``."""

    lookup: Callable[[str], str]
    words: dict[str, int] = field(default_factory=dict)
    texts: dict[str, int] = field(default_factory=dict)

    def codes(self, texts: Sequence[str]) -> Ints:
        try:
            return np.array([self.texts[t] for t in texts], dtype=np.int64)
        except KeyError:
            for text in set(texts) - self.texts.keys():
                self.texts[text] = self._learn(text)
            return self.codes(texts)

    def _learn(self, text: str) -> int:
        try:
            word = self.lookup(text) if text == text.strip() else None
        except InputError:
            word = None
        return UNKNOWN if word is None else self.words.setdefault(word, len(self.words))


SYSTEMS = Vocabulary(organ_system)
REGIONS = Vocabulary(lymph_node_region)
_FIELDS: tuple[str, ...] = struct_for(LesionRecord).__struct_fields__  # order of ``astuple``


@dataclass(frozen=True)
class LesionFields:
    """The lesions of a batch as decoded, one row each (before the checks)."""

    owner: Ints
    ids: Texts
    organ: Texts
    region: Texts
    nodal: Bools
    longest: Floats
    short: Floats
    slice_mm: Floats
    soft: Floats
    modality: Ints
    bone: Ints
    kind: Ints
    progressing: Bools
    irradiated: Codes
    after_rt: Bools
    amenable: Codes


def lesion_table(
    lists: Sequence[Sequence[Any] | None], histories: Sequence[Any], odd: Bools
) -> LesionTable:
    """The lesions of every record (``lists[i]`` = record i's lesions); marks odd records."""
    counts = [0 if lesions is None else len(lesions) for lesions in lists]
    owner = np.repeat(np.arange(len(lists), dtype=np.int64), counts)
    rows = [astuple(le) for lesions in lists if lesions for le in lesions]
    f = dict(zip(_FIELDS, zip(*rows, strict=True) if rows else [()] * len(_FIELDS), strict=True))
    fields = LesionFields(
        owner=owner,
        ids=Texts.of(f["id"]),
        organ=Texts.of(f["organ"]),
        region=Texts.of(f["lymph_node_region"]),
        nodal=np.array(f["nodal"], dtype=bool),
        longest=numbers(f["longest_diameter_mm"]),
        short=numbers(f["short_axis_mm"]),
        slice_mm=numbers(f["slice_thickness_mm"]),
        soft=numbers(f["soft_tissue_component_mm"]),
        modality=np.array([MODALITY_CODES[m] for m in f["modality"]], dtype=np.int64),
        bone=np.array([BONE_CODES[b] for b in f["bone_type"]], dtype=np.int64),
        kind=np.array([KIND_CODES[k] for k in f["kind"]], dtype=np.int64),
        progressing=np.array(f["progressing"], dtype=bool),
        irradiated=codes(f["previously_irradiated"]),
        after_rt=np.array(f["progressed_after_rt"], dtype=bool),
        amenable=codes(f["amenable_to_rt"]),
    )
    named = [
        (i, lid)
        for i, history in enumerate(histories)
        for course in history.prior_radiotherapy or ()
        for lid in course.lesion_ids
    ]
    return checked_lesions(fields, named, odd)


def checked_lesions(f: LesionFields, named: list[tuple[int, str]], odd: Bools) -> LesionTable:
    """The lesion table after the model's lesion checks; ``named`` holds (record, lesion id)
    of each lesion a prior radiotherapy course names. Marks odd records."""
    owner, ids = f.owner, f.ids
    system = SYSTEMS.codes(f.organ.distinct)[f.organ.codes]
    node = SYSTEMS.words.setdefault(LYMPH_NODE_SYSTEM, len(SYSTEMS.words))
    nodal = f.nodal
    region_given = f.region.codes >= 0
    region = np.append(REGIONS.codes(f.region.distinct), -1)[f.region.codes]
    bone, irradiated, after = f.bone, f.irradiated, f.after_rt
    bad = ids.padded() | (system == UNKNOWN) | (region == UNKNOWN)
    bad |= region_given & ~nodal
    bad |= (bone != BONE_CODES[None]) & (system != SYSTEMS.words.get("bone", UNKNOWN))
    bad |= after & (irradiated == 0)
    odd[owner[bad]] = True
    # an id used twice in one record
    key = np.sort(owner * max(len(ids.distinct), 1) + ids.codes)
    twice = key[1:][key[1:] == key[:-1]]
    odd[twice // max(len(ids.distinct), 1)] = True
    if named:
        # each id a radiotherapy course names must be a lesion of its record
        names = {t: k for k, t in enumerate(ids.distinct)}
        lesions = set(key.tolist())
        for i, lid in named:
            if lid not in names or i * max(len(ids.distinct), 1) + names[lid] not in lesions:
                odd[i] = True
    is_node = nodal | (system == node)
    return LesionTable(
        owner=owner,
        ids=ids.objects(),
        system=np.where(is_node, node, system),
        bone_system=SYSTEMS.words.get("bone", UNKNOWN),
        nodal=is_node,
        region=region,
        longest=f.longest,
        short=f.short,
        slice_mm=f.slice_mm,
        modality=f.modality,
        bone=bone,
        soft=f.soft,
        kind=f.kind,
        progressing=f.progressing,
        irradiated=irradiated,
        after_rt=after,
        amenable=f.amenable,
        rt_refs=set(named),
    )
