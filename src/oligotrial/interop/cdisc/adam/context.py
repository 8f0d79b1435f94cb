"""What every ADaM data set of one study shares: the protocol's arms and strata, and the
subject-level values copied from ADSL into the other data sets (ADaM IG 1.3, 3.1: ADSL
variables may be copied to any analysis data set; TRTP/TRTA are the BDS treatment
variables, here the randomized and actual arm of the subject-level period 01).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from oligotrial.endpoints.derive import PatientEndpoints
from oligotrial.interop.cdisc.dataset import Variable, variables
from oligotrial.protocol import Protocol

#: ACTARM and ACTARMCD of a randomized patient who received no protocol treatment
#: (SDTM IG 3.4, DM: the controlled "Assigned, Not Treated").
NOT_TREATED = ("Assigned, Not Treated", "NOTTRT")

#: Subject-level variables repeated on every BDS and OCCDS row.
SUBJECT_VARIABLES = variables(
    ("STUDYID", "Study Identifier"),
    ("USUBJID", "Unique Subject Identifier"),
    ("SUBJID", "Subject Identifier for the Study"),
    ("SITEID", "Study Site Identifier"),
)


@dataclass(frozen=True)
class StudyContext:
    """The study id, arm names by code and the analysis strata (factors other than site)."""

    studyid: str
    arm_names: Mapping[str, str]
    strata: tuple[str, ...]

    @classmethod
    def of(cls, protocol: Protocol) -> StudyContext:
        return cls(
            protocol.id,
            {a.code: a.name for a in protocol.arms},
            tuple(f.name for f in protocol.stratification if not f.from_sites),
        )

    def arm_name(self, code: str | None) -> str | None:
        return None if code is None else self.arm_names.get(code, code)


def treated(subject: Mapping[str, Any]) -> bool:
    """In the safety population: a first dose of protocol treatment is recorded."""
    return subject.get("TRTSDT") is not None


def subject_values(
    r: PatientEndpoints, subject: Mapping[str, Any], ctx: StudyContext
) -> dict[str, Any]:
    """STUDYID, USUBJID, SUBJID, SITEID with TRTP (randomized) and TRTA (actual) arm."""
    arm = ctx.arm_name(r.patient.arm)
    return {
        "STUDYID": ctx.studyid,
        "USUBJID": r.patient.subject_id,
        "SUBJID": r.patient.subject_id,
        "SITEID": subject.get("SITEID"),
        "TRTP": arm,
        "TRTA": arm if treated(subject) else None,
    }


TREATMENT_VARIABLES: tuple[Variable, ...] = variables(
    ("TRTP", "Planned Treatment"),
    ("TRTA", "Actual Treatment"),
)


def by_subject(
    subjects: Sequence[Mapping[str, Any]],
) -> dict[str, Mapping[str, Any]]:
    """Subject rows (baseline and treatment columns of the database extract) by USUBJID."""
    return {str(s["USUBJID"]): s for s in subjects}
