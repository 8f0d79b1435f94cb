"""Where oligoprogression lies: in the liver only, or anywhere outside it.

Source: the NCT06841172 protocol's stratification factor "oligoprogression intrahepatic
only vs any extrahepatic" (REFERENCE §1). Only progressing lesions count. A lesion is in the
liver by :attr:`oligotrial.clinical.lesion.Lesion.in_liver` (organ system "liver", not a
lymph node): "Liver segment 7" is in the liver; a node at the porta hepatis is not (RECIST
1.1 counts every lymph node under the one organ "lymph nodes").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from oligotrial.clinical.lesion import Lesion

__all__ = ["ANY_EXTRAHEPATIC", "INTRAHEPATIC_ONLY", "OLIGO_SITES", "oligoprogression_site"]

OligoSite = Literal["intrahepatic-only", "any-extrahepatic"]
INTRAHEPATIC_ONLY: OligoSite = "intrahepatic-only"
ANY_EXTRAHEPATIC: OligoSite = "any-extrahepatic"
OLIGO_SITES: tuple[OligoSite, ...] = (INTRAHEPATIC_ONLY, ANY_EXTRAHEPATIC)


def oligoprogression_site(lesions: Iterable[Lesion]) -> OligoSite | None:
    """``intrahepatic-only`` when every progressing lesion is in the liver, else
    ``any-extrahepatic``; None when no lesion is progressing (nothing to place)."""
    progressing = [lesion for lesion in lesions if lesion.progressing]
    if not progressing:
        return None
    return INTRAHEPATIC_ONLY if all(le.in_liver for le in progressing) else ANY_EXTRAHEPATIC
