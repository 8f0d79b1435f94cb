"""All endpoints of one patient: time-point responses, best response, PFS, OS, DOR."""

from __future__ import annotations

from dataclasses import dataclass

from oligotrial.endpoints.inputs import PatientRecord
from oligotrial.endpoints.settings import EndpointSettings
from oligotrial.endpoints.tte import TimeToEvent, overall_survival, progression_free
from oligotrial.errors import InputError
from oligotrial.response.bor import BestResponse, best_overall_response
from oligotrial.response.engine import evaluate
from oligotrial.response.settings import Criteria, ResponseSettings
from oligotrial.response.timepoint import ResponseResult

RESPONDER = frozenset({"CR", "PR"})
DISEASE_CONTROL = frozenset({"CR", "PR", "SD", "NON-CR/NON-PD"})


@dataclass(frozen=True)
class PatientEndpoints:
    """Derived endpoints of one patient."""

    patient: PatientRecord
    response: ResponseResult | None  # None: no baseline tumour assessment
    best: BestResponse
    pfs: TimeToEvent
    os: TimeToEvent
    dor: TimeToEvent | None  # responders only

    @property
    def responder(self) -> bool:
        return self.best.response in RESPONDER

    @property
    def disease_control(self) -> bool:
        return self.best.response in DISEASE_CONTROL


def derive_patient(
    patient: PatientRecord,
    response_settings: ResponseSettings | None = None,
    endpoint_settings: EndpointSettings | None = None,
    *,
    criteria: Criteria | None = None,
    confirmed: bool | None = None,
) -> PatientEndpoints:
    """Derive every endpoint; InputError (nothing partial) when the record is inconsistent."""
    rs = response_settings or ResponseSettings()
    es = endpoint_settings or EndpointSettings()
    confirm = rs.confirmation_required if confirmed is None else confirmed
    response: ResponseResult | None = None
    if patient.baseline:
        response = evaluate(patient, rs, criteria)
        therapy = patient.new_therapy_date
        best = best_overall_response(response, rs, confirmed=confirm, new_therapy_date=therapy)
    elif patient.assessments:
        raise InputError("baseline", "follow-up assessments are given but no baseline lesion")
    else:
        best = BestResponse("NE", None, None, None, confirm, "NE: no baseline tumour assessment")
    pfs = progression_free(patient, response, es)
    dor = None
    if best.response in RESPONDER and best.first_response_date is not None:
        dor = progression_free(patient, response, es, start=best.first_response_date, paramcd="DOR")
    return PatientEndpoints(patient, response, best, pfs, overall_survival(patient), dor)


def derive_all(
    patients: tuple[PatientRecord, ...],
    response_settings: ResponseSettings | None = None,
    endpoint_settings: EndpointSettings | None = None,
    *,
    criteria: Criteria | None = None,
    confirmed: bool | None = None,
) -> tuple[PatientEndpoints, ...]:
    """Every patient; the first bad record stops the run with its subject id named."""
    results = []
    for p in patients:
        try:
            results.append(
                derive_patient(
                    p, response_settings, endpoint_settings, criteria=criteria, confirmed=confirmed
                )
            )
        except InputError as exc:
            raise InputError(f"subject {p.subject_id}: {exc.field}", exc.problem) from None
    return tuple(results)
