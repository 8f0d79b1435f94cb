"""What mRECIST changes for hepatocellular carcinoma (Lencioni & Llovet, Semin Liver Dis
2010;30:52-60): intrahepatic targets are measured on their viable, arterially enhancing part
(CR = no enhancement in any target); porta hepatis nodes count as malignant from a 20 mm
short axis (checked at baseline); a new liver lesion counts when ≥ 10 mm with arterial
enhancement and washout; a new effusion counts only with positive cytology. PD is a ≥ 20%
increase over the nadir; the original text has no absolute 5 mm rule, so it is a protocol
setting here.
"""

from __future__ import annotations

from oligotrial.response.inputs import BaselineLesion, NewLesion
from oligotrial.response.settings import Criteria

MIN_NEW_LIVER_LESION_MM = 10.0


def uses_viable_diameter(lesion: BaselineLesion, criteria: Criteria) -> bool:
    """Whether a target is summed by its viable (enhancing) diameter."""
    return criteria == "mrecist" and lesion.intrahepatic and not lesion.nodal


def new_lesion_unqualified(lesion: NewLesion) -> str | None:
    """Why an unequivocal new lesion does not yet count under mRECIST, or None if it does."""
    if lesion.effusion and lesion.cytology_confirmed is not True:
        return f"new effusion {lesion.id} without positive cytology"
    if lesion.intrahepatic:
        if lesion.longest_mm is None or lesion.longest_mm < MIN_NEW_LIVER_LESION_MM:
            return f"new liver lesion {lesion.id} not ≥ 10 mm"
        if lesion.arterial_enhancement_washout is not True:
            return f"new liver lesion {lesion.id} without arterial enhancement and washout"
    return None
