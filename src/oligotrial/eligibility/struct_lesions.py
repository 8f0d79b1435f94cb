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
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

from oligotrial.clinical.anatomy import LYMPH_NODE_SYSTEM, lymph_node_region, organ_system
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
_UNKNOWN = -2  # code of a word the clinical tables refuse


@dataclass(frozen=True)
class LesionTable:
    """One row per lesion; booleans that may be unknown as codes 0/1 (2 unknown)."""

    owner: Ints
    ids: list[str]
    system: Ints  # organ system code (lymph node system for nodal lesions), see ``systems``
    systems: dict[str, int]
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
    raw = np.array(values, dtype=np.float64)
    return np.where(np.isnan(raw), 2, raw).astype(np.int8)


def numbers(values: Sequence[float | None]) -> Floats:
    """Optional numbers as floats (NaN unknown)."""
    return np.array(values, dtype=np.float64)


def padded(texts: Sequence[str]) -> Bools:
    """Per text: empty or with surrounding white space (the model would strip it)."""
    return np.array([not t or t != t.strip() for t in texts], dtype=bool)


def _vocabulary(texts: Sequence[str], lookup: Callable[[str], str]) -> tuple[Ints, dict[str, int]]:
    """Codes of the words ``lookup`` maps ``texts`` to (``_UNKNOWN`` where it refuses)."""
    word_codes: dict[str, int] = {}
    text_codes: dict[str, int] = {}
    for text in set(texts):
        try:
            word = lookup(text) if text == text.strip() else None
        except InputError:
            word = None
        text_codes[text] = (
            _UNKNOWN if word is None else word_codes.setdefault(word, len(word_codes))
        )
    return np.array([text_codes[t] for t in texts], dtype=np.int64), word_codes


def _flag(owner: Ints, bad: Bools, odd: Bools) -> None:
    odd[owner[bad]] = True


def lesion_table(
    lists: Sequence[Sequence[Any] | None], histories: Sequence[Any], odd: Bools
) -> LesionTable:
    """The lesions of every record (``lists[i]`` = record i's lesions); marks odd records."""
    counts = [0 if lesions is None else len(lesions) for lesions in lists]
    owner = np.repeat(np.arange(len(lists), dtype=np.int64), counts)
    flat = list(chain.from_iterable(lesions for lesions in lists if lesions))
    ids = [le.id for le in flat]
    system, systems = _vocabulary([le.organ for le in flat], organ_system)
    node = systems.setdefault(LYMPH_NODE_SYSTEM, len(systems))
    nodal = np.array([le.nodal for le in flat], dtype=bool)
    region_texts = [le.lymph_node_region for le in flat]
    region_given = np.array([t is not None for t in region_texts], dtype=bool)
    region = np.full(len(flat), -1, dtype=np.int64)
    if region_given.any():
        given = [t for t in region_texts if t is not None]
        region[region_given] = _vocabulary(given, lymph_node_region)[0]
    bone = np.array([BONE_CODES[le.bone_type] for le in flat], dtype=np.int64)
    irradiated = codes([le.previously_irradiated for le in flat])
    after = np.array([le.progressed_after_rt for le in flat], dtype=bool)
    bad = padded(ids) | (system == _UNKNOWN) | (region == _UNKNOWN)
    bad |= region_given & ~nodal
    bad |= (bone != BONE_CODES[None]) & (system != systems.get("bone", _UNKNOWN))
    bad |= after & (irradiated == 0)
    _flag(owner, bad, odd)
    pairs = list(zip(owner.tolist(), ids, strict=True))
    if len(set(pairs)) != len(pairs):
        seen: set[tuple[int, str]] = set()
        for pair in pairs:
            if pair in seen:
                odd[pair[0]] = True
            seen.add(pair)
    return LesionTable(
        owner=owner,
        ids=ids,
        system=np.where(nodal | (system == node), node, system),
        systems=systems,
        nodal=nodal | (system == node),
        region=region,
        longest=numbers([le.longest_diameter_mm for le in flat]),
        short=numbers([le.short_axis_mm for le in flat]),
        slice_mm=numbers([le.slice_thickness_mm for le in flat]),
        modality=np.array([MODALITY_CODES[le.modality] for le in flat], dtype=np.int64),
        bone=bone,
        soft=numbers([le.soft_tissue_component_mm for le in flat]),
        kind=np.array([KIND_CODES[le.kind] for le in flat], dtype=np.int64),
        progressing=np.array([le.progressing for le in flat], dtype=bool),
        irradiated=irradiated,
        after_rt=after,
        amenable=codes([le.amenable_to_rt for le in flat]),
        rt_refs=_rt_refs(histories, set(pairs), odd),
    )


def _rt_refs(
    histories: Sequence[Any], lesions: set[tuple[int, str]], odd: Bools
) -> set[tuple[int, str]]:
    """(record, lesion id) of each lesion a prior radiotherapy course names."""
    refs: set[tuple[int, str]] = set()
    for i, history in enumerate(histories):
        for course in history.prior_radiotherapy or ():
            for lid in course.lesion_ids:
                if (i, lid) not in lesions:
                    odd[i] = True
                refs.add((i, lid))
    return refs
