"""Map a synthetic trial patient onto the endpoint input format (tumour assessments,
deaths, new therapy, withdrawal, adverse events).

The format is :class:`oligotrial.endpoints.inputs.PatientRecord` (which extends the
response package's ``TumourRecord``); every field name of it used here lives in this one
module. Sizes follow RECIST 1.1: short axis for nodes, longest diameter otherwise, the
soft-tissue component for a lytic bone lesion.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from oligotrial.clinical.lesion import Lesion
from oligotrial.synth.records import SynthLesion
from oligotrial.synth.trial import TrialPatient
from oligotrial.synth.tumour import TumourAssessment


def _baseline_lesion(lesion: SynthLesion, role: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": lesion.lesion_id,
        "role": role,
        "organ": lesion.organ,
        "nodal": lesion.nodal,
        "intrahepatic": lesion.in_liver,
        "slice_thickness_mm": 5.0,
        "previously_irradiated": lesion.previously_irradiated,
        "progressed_after_rt": lesion.previously_irradiated,
    }
    if lesion.nodal:
        out["short_axis_mm"] = lesion.short_axis_mm
    elif role == "target":
        out["longest_mm"] = lesion.target_size_mm
    elif lesion.longest_diameter_mm is not None:
        out["longest_mm"] = lesion.longest_diameter_mm
    return out


def _visit(a: TumourAssessment, usubjid: str) -> dict[str, Any]:
    targets = []
    for m in a.targets:
        if m.status == "measured":
            targets.append({"lesion": m.lesion_id, "mm": m.size_mm})
        else:
            targets.append({"lesion": m.lesion_id, "status": m.status})
    new = []
    for k, (organ, size) in enumerate(a.new_lesions, start=1):
        where = Lesion(organ)
        lesion: dict[str, Any] = {
            "id": f"N{k}-{a.nominal_day}",
            "status": "unequivocal",
            "organ": organ,
            "nodal": where.is_nodal,
            "intrahepatic": where.in_liver,
        }
        lesion["short_axis_mm" if where.is_nodal else "longest_mm"] = size
        new.append(lesion)
    return {
        "date": a.date.isoformat(),
        "targets": targets,
        "non_targets": [{"lesion": lid, "status": s} for lid, s in a.non_targets],
        "new_lesions": new,
    }


def to_patient_record(p: TrialPatient) -> dict[str, Any]:
    """The patient as a plain JSON-ready dict in the endpoint input format."""
    day = p.randomized
    record: dict[str, Any] = {
        "subject_id": p.usubjid,
        "arm": p.arm,
        "strata": {
            "oligoprogression_site": p.strata["oligoprogression_site"],
            "flst_ici": p.strata["flst_ici"],
        },
        "randomization_date": day.isoformat(),
        "baseline_date": day.isoformat(),
        "baseline": [_baseline_lesion(x, "target") for x in p.baseline.targets]
        + [_baseline_lesion(x, "non-target") for x in p.baseline.non_targets],
        "assessments": [_visit(a, p.usubjid) for a in p.assessments],
        "death_date": (day + timedelta(days=p.death_day)).isoformat()
        if p.death_day is not None
        else None,
        "last_known_alive": (day + timedelta(days=p.last_known_alive_day)).isoformat(),
        "new_therapy_date": (day + timedelta(days=p.new_therapy_day)).isoformat()
        if p.new_therapy_day is not None
        else None,
        "adverse_events": [
            {
                "term": e.term,
                "soc": e.soc,
                "grade": e.grade,
                "start_date": (day + timedelta(days=e.onset_day)).isoformat(),
                "serious": e.serious,
                "criteria": [c.removeprefix("sae_") for c in e.criteria],
                "attribution": "probable" if e.related else "unrelated",
            }
            for e in p.adverse_events
        ],
    }
    if p.dropout_day is not None:
        record["withdrawal"] = {
            "date": (day + timedelta(days=p.dropout_day)).isoformat(),
            "reason": "lost-to-follow-up",
        }
    return record
