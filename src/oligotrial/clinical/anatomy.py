"""Organs, organ systems and lymph-node drainage regions, as lesion counting needs them.

Rules (RECIST 1.1, Eisenhauer EA et al., Eur J Cancer 2009;45:228-247, for organs; the
NCT06841172 registry, inclusion criterion 3, for lymph-node regions):

- paired organs are one organ (left and right lung, both adrenals, both kidneys);
- the liver is one organ; the skeleton is one system (a rib and a vertebra: one system);
- all lymph nodes together are one organ/system ("lymph-node");
- each lymphatic drainage region is one lesion, and the para-aortic nodes 16a and 16b are
  separate regions.

Organs and regions come from a controlled vocabulary (:mod:`.anatomy_terms`: codes with
English and Simplified Chinese labels, :func:`organ_vocabulary`,
:func:`lymph_node_region_vocabulary`). A known alias maps to its code ("Liver segment 7",
"hepatic" and "肝脏" are ``liver``; "left lung" is ``lung``); text that maps to no code is
refused with an :class:`~oligotrial.errors.InputError` that lists the choices.

Lymph-node regions follow the Japanese station numbering (JGCA): ``"8"``, ``"12"``,
``"13"``, ``"16a1"``, ``"No. 16b2"``, ``"#12p"``. A station is one drainage region. Only
the stations in ``split_stations`` (default: ``{"16"}``, as the registry says) are divided,
and then only at the letter: 16a1 and 16a2 both belong to region 16a, 16b1 and 16b2 to
region 16b. Sub-stations of other stations (8a/8p, 12a/12b/12p, 14a/14v, 11p/11d) belong to
their station. A bare "16" cannot be placed in 16a or 16b and is refused. Names of nodes a
station covers map to the station ("porta hepatis" and "hepatic hilum" are station 12,
"coeliac" is 9), so a name and a number for the same nodes count once; regions outside the
numbering have named codes, per side where there are two ("supraclavicular-left").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from oligotrial.clinical.anatomy_terms import (
    NAMED_REGIONS,
    ORGAN_ALIASES,
    ORGANS,
    REGION_ALIASES,
    SIDED_REGIONS,
    STATIONS,
)
from oligotrial.errors import InputError

__all__ = [
    "LYMPH_NODE_SYSTEM",
    "lymph_node_region",
    "lymph_node_region_code",
    "lymph_node_region_vocabulary",
    "organ_system",
    "organ_vocabulary",
]

LYMPH_NODE_SYSTEM = "lymph-node"
DEFAULT_SPLIT_STATIONS: frozenset[str] = frozenset({"16"})

_SIDE_WORDS = frozenset(
    {"left", "right", "bilateral", "both", "gland", "glands", "lobe", "of", "the", "in"}
)
_ZH_SIDES = ("双侧", "左侧", "右侧", "左", "右", "双")
_STATION = re.compile(r"^(\d{1,3})([a-z]{0,2})(\d?)$")


def organ_vocabulary() -> dict[str, dict[str, str]]:
    """Organ codes with their labels: ``{"liver": {"en": "liver", "zh": "肝脏"}, ...}``."""
    return {code: {"en": en, "zh": zh} for code, (en, zh) in ORGANS.items()}


def lymph_node_region_vocabulary() -> dict[str, dict[str, str]]:
    """Lymph-node region codes (stations, then named regions) with their labels."""
    both = {**STATIONS, **NAMED_REGIONS}
    return {code: {"en": en, "zh": zh} for code, (en, zh) in both.items()}


def _words(text: str) -> list[str]:
    return re.sub(r"[\s_\-/,]+", " ", text.strip().lower()).split()


def _lookup(words: list[str], table: Mapping[str, str]) -> str | None:
    # The whole name, then its last words ("hepatic hilum lymph node"), then its first
    # words ("lung nodule"): the first known name wins.
    for candidate in (words, words[-2:], words[-1:], words[:2], words[:1]):
        code = table.get(" ".join(candidate))
        if code is not None:
            return code
    return None


def _choices(codes: Iterable[str]) -> str:
    return ", ".join(codes)


def organ_system(organ: str, *, field: str = "organ") -> str:
    """The organ code a lesion in ``organ`` counts under (``"lung"``, ``"lymph-node"``...).

    Sides (left/right/bilateral; 左/右/双侧) are dropped; a known organ name, whole or at
    the end or start of the text, decides (``"right lower lobe lung"`` → lung,
    ``"Liver segment 7"`` → liver, ``"porta hepatis lymph node"`` → lymph-node). Text
    naming no known organ is refused, listing the organ codes.
    """
    if not isinstance(organ, str) or not organ.strip():
        raise InputError(field, f"an organ name is required, got {organ!r}")
    return _organ_code(organ, field)


@lru_cache(maxsize=4096)
def _organ_code(organ: str, field: str) -> str:
    text = organ.strip()
    for side in _ZH_SIDES:
        if text.startswith(side) and len(text) > len(side):
            text = text[len(side) :]
            break
    words = [w for w in _words(text) if w not in _SIDE_WORDS]
    if not words:
        raise InputError(field, f"{organ!r} names a side but no organ")
    code = _lookup(words, ORGAN_ALIASES)
    if code is None:
        raise InputError(field, f"unknown organ {organ!r}; choose one of: {_choices(ORGANS)}")
    return code


def _station(text: str) -> tuple[str, str, str] | None:
    text = re.sub(r"^(?:no\.?|#|station|group)\s*(?=\d)", "", text.strip().lower()).strip()
    text = re.sub(r"(?<=\d)\s*组$", "", text)
    match = _STATION.match(re.sub(r"[\s\-_.]+", "", text))
    if match is None:
        return None
    number, letters, digit = match.groups()
    return str(int(number)), letters, digit


def _named_region(region: str, field: str) -> str:
    words = _words(region)
    code = _lookup(words, REGION_ALIASES)
    if code is not None:
        return code
    bare = "-".join(w for w in words if w not in ("lymph", "node", "nodes", "nodal"))
    if bare in SIDED_REGIONS:
        raise InputError(field, f"{region!r}: give the side (left or right)")
    raise InputError(
        field,
        f"unknown lymph-node region {region!r}; give a station number "
        f"({_choices(STATIONS)}; para-aortic nodes are 16a or 16b) or one of: "
        f"{_choices(NAMED_REGIONS)}",
    )


def lymph_node_region_code(region: str, *, field: str = "lymph_node_region") -> str:
    """The region as recorded, in code form: a station as written compactly (``"No. 16a1"``
    → ``"16a1"``, ``"#12p"`` → ``"12p"``), a name as its code (``"Porta hepatis"`` →
    ``"12"``, ``"left supraclavicular"`` → ``"supraclavicular-left"``). Refuses text that
    names no station or region, listing the choices."""
    if not isinstance(region, str) or not region.strip():
        raise InputError(field, f"a lymph-node region is required, got {region!r}")
    return _region_code(region, field)


@lru_cache(maxsize=4096)
def _region_code(region: str, field: str) -> str:
    station = _station(region)
    if station is None:
        return _named_region(region, field)
    number, letters, digit = station
    if number not in STATIONS and f"{number}a" not in STATIONS:
        raise InputError(
            field,
            f"unknown lymph-node station {region!r}; stations: {_choices(STATIONS)} "
            f"(named regions: {_choices(NAMED_REGIONS)})",
        )
    return number + letters + digit


def lymph_node_region(
    region: str,
    *,
    split_stations: frozenset[str] = DEFAULT_SPLIT_STATIONS,
    field: str = "lymph_node_region",
) -> str:
    """The drainage region a node belongs to: ``"16a1"`` → ``"16a"``, ``"12p"`` → ``"12"``,
    ``"hepatic hilum"`` → ``"12"``, ``"Left supraclavicular"`` → ``"supraclavicular-left"``."""
    code = lymph_node_region_code(region, field=field)
    return _drainage_region(code, frozenset(split_stations), field)


@lru_cache(maxsize=4096)
def _drainage_region(code: str, split_stations: frozenset[str], field: str) -> str:
    station = _station(code)
    if station is None:
        return code
    number, letters, _digit = station
    if number not in split_stations:
        return number
    if not letters:
        raise InputError(
            field,
            f"station {number} must be given with its subdivision ({number}a or {number}b): "
            "the subdivisions are separate drainage regions",
        )
    return number + letters[0]
