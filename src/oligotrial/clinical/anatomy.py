"""Organs, organ systems and lymph-node drainage regions, as lesion counting needs them.

Rules (RECIST 1.1, Eisenhauer EA et al., Eur J Cancer 2009;45:228-247, for organs; the
NCT06841172 registry, inclusion criterion 3, for lymph-node regions):

- paired organs are one organ (left and right lung, both adrenals, both kidneys);
- the liver is one organ; the skeleton is one system (a rib and a vertebra: one system);
- all lymph nodes together are one organ/system ("lymph-node");
- each lymphatic drainage region is one lesion, and the para-aortic nodes 16a and 16b are
  separate regions.

Lymph-node regions follow the Japanese station numbering (JGCA gastric / LCSGJ hepatic
rules): ``"8"``, ``"12"``, ``"13"``, ``"16a1"``, ``"No. 16b2"``, ``"#12p"``. A station is
one drainage region. Only the stations in ``split_stations`` (default: ``{"16"}``, as the
registry says) are divided, and then only at the letter: 16a1 and 16a2 both belong to
region 16a, 16b1 and 16b2 to region 16b. Sub-stations of other stations (8a/8p,
12a/12b/12p, 14a/14v, 11p/11d) belong to their station. A bare "16" cannot be placed in
16a or 16b and is refused. Regions given by name ("porta hepatis", "left supraclavicular")
are compared after normalising case, spaces and hyphens; a site should use one naming
scheme, since a name and a station number for the same nodes cannot be matched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from oligotrial.errors import InputError

__all__ = ["LYMPH_NODE_SYSTEM", "lymph_node_region", "organ_system"]

LYMPH_NODE_SYSTEM = "lymph-node"
DEFAULT_SPLIT_STATIONS: frozenset[str] = frozenset({"16"})

_ORGAN_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        # liver
        "liver": "liver",
        "hepatic": "liver",
        "intrahepatic": "liver",
        # paired organs
        "lung": "lung",
        "lungs": "lung",
        "pulmonary": "lung",
        "adrenal": "adrenal",
        "adrenals": "adrenal",
        "suprarenal": "adrenal",
        "kidney": "kidney",
        "kidneys": "kidney",
        "renal": "kidney",
        # lymph nodes
        "lymph node": LYMPH_NODE_SYSTEM,
        "lymph nodes": LYMPH_NODE_SYSTEM,
        "lymph": LYMPH_NODE_SYSTEM,
        "lymphatic": LYMPH_NODE_SYSTEM,
        "node": LYMPH_NODE_SYSTEM,
        "nodes": LYMPH_NODE_SYSTEM,
        "nodal": LYMPH_NODE_SYSTEM,
        "ln": LYMPH_NODE_SYSTEM,
        # skeleton
        "bone": "bone",
        "bones": "bone",
        "skeleton": "bone",
        "skeletal": "bone",
        "osseous": "bone",
        "spine": "bone",
        "vertebra": "bone",
        "vertebrae": "bone",
        "vertebral": "bone",
        "rib": "bone",
        "ribs": "bone",
        "sternum": "bone",
        "skull": "bone",
        "sacrum": "bone",
        "ilium": "bone",
        "iliac bone": "bone",
        "pelvic bone": "bone",
        "femur": "bone",
        "humerus": "bone",
        "scapula": "bone",
        "clavicle": "bone",
        # others commonly seen in HCC
        "peritoneum": "peritoneum",
        "peritoneal": "peritoneum",
        "omentum": "omentum",
        "omental": "omentum",
        "brain": "brain",
        "cerebral": "brain",
        "intracranial": "brain",
        "pleura": "pleura",
        "pleural": "pleura",
        "spleen": "spleen",
        "splenic": "spleen",
        "soft tissue": "soft-tissue",
        "muscle": "soft-tissue",
    }
)
_SIDE_WORDS = frozenset(
    {"left", "right", "bilateral", "both", "gland", "glands", "lobe", "of", "the", "in"}
)

_STATION = re.compile(r"^(\d{1,3})([a-z]{0,2})(\d?)$")


def _words(text: str) -> list[str]:
    return re.sub(r"[\s_\-/]+", " ", text.strip().lower()).split()


def organ_system(organ: str, *, field: str = "organ") -> str:
    """The organ or system a lesion in ``organ`` counts under (``"lung"``, ``"lymph-node"``...).

    Sides (left/right/bilateral) are dropped; a known organ word at the end or start of the
    name decides (``"right lower lobe lung"`` → lung, ``"lung nodule"`` → lung,
    ``"porta hepatis lymph node"`` → lymph-node). A name with no known organ word is
    returned normalised (lower case, hyphens) and counts as its own organ.
    """
    if not isinstance(organ, str) or not organ.strip():
        raise InputError(field, f"an organ name is required, got {organ!r}")
    words = [w for w in _words(organ) if w not in _SIDE_WORDS]
    if not words:
        raise InputError(field, f"{organ!r} names a side but no organ")
    # The whole name, then its last words ("hepatic hilum lymph node"), then its first
    # words ("lung nodule"): the first known organ wins.
    candidates = [words, words[-2:], words[-1:], words[:2], words[:1]]
    for candidate in candidates:
        text = " ".join(candidate)
        if text in _ORGAN_ALIASES:
            return _ORGAN_ALIASES[text]
    return "-".join(words)


def lymph_node_region(
    region: str,
    *,
    split_stations: frozenset[str] = DEFAULT_SPLIT_STATIONS,
    field: str = "lymph_node_region",
) -> str:
    """The drainage region a node belongs to: ``"16a1"`` → ``"16a"``, ``"12p"`` → ``"12"``.

    Named regions come back normalised (``"Porta-Hepatis"`` → ``"porta hepatis"``).
    """
    if not isinstance(region, str) or not region.strip():
        raise InputError(field, f"a lymph-node region is required, got {region!r}")
    text = region.strip().lower()
    text = re.sub(r"^(?:no\.?|#|station|group)\s*(?=\d)", "", text).strip()
    compact = re.sub(r"[\s\-_.]+", "", text)
    match = _STATION.match(compact)
    if match is None:
        return " ".join(_words(text))
    number, letters, _digit = match.groups()
    number = str(int(number))
    if number not in split_stations:
        return number
    if not letters:
        raise InputError(
            field,
            f"station {number} must be given with its subdivision ({number}a or {number}b): "
            "the subdivisions are separate drainage regions",
        )
    return number + letters[0]
