"""Reading the trial database into the analysis inputs (read-only).

One function, :func:`extract`, reads every randomized patient an actor may see (a
statistician, data manager or monitor; site isolation of :func:`visible_patients` applies)
and returns:

* one :class:`oligotrial.endpoints.inputs.PatientRecord` per randomized patient, built
  typed (baseline lesions from the baseline visit's measurements, one assessment per visit
  done, deaths, withdrawals, new anticancer therapy, adverse events), ready for
  :func:`oligotrial.endpoints.derive.derive_all`. Only what the database holds is passed on:
  a slice thickness or a progression after radiotherapy that was not recorded is None
  (missing), never assumed; a database row the record model refuses is an
  :class:`InputError` naming the patient;
* baseline characteristics from the facts the eligibility engine derived from the stored
  screening record in force (age at consent, Child-Pugh score, AFP, BCLC, ECOG, lesion
  count), so that Table 1 and the screening decisions agree; treatment dates from the
  exposure records;
* the screening log, the visit log and the ctDNA samples (for the report's CONSORT diagram
  and completeness tables; what depends on progression — the reason treatment ended, the
  ctDNA sample due at progression — is completed after endpoint derivation, see
  :mod:`oligotrial.demo.analysis`).

Nothing is written. Last known alive: the death date, the withdrawal's last-known-alive
date, else the data cut-off (a survival sweep at the cut-off is assumed for patients still
in follow-up).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, cast

from django.utils import timezone
from pydantic import ValidationError

from oligotrial.clinical.ctcae_terms import soc_of
from oligotrial.edc.models import (
    SERIOUSNESS_CRITERIA,
    AdverseEvent,
    Biosample,
    Death,
    Exposure,
    LesionMeasurement,
    NewAnticancerTherapy,
    RadiotherapyCourse,
    Role,
    Screening,
    Staff,
    Visit,
    Withdrawal,
)
from oligotrial.edc.services.access import require_role, visible_patients
from oligotrial.edc.trial_config import SITE_FACTOR, current_config
from oligotrial.endpoints.inputs import AdverseEvent as EndpointAdverseEvent
from oligotrial.endpoints.inputs import Attribution, PatientRecord, SeriousnessCriterion
from oligotrial.endpoints.inputs import Withdrawal as EndpointWithdrawal
from oligotrial.errors import InputError
from oligotrial.response.inputs import (
    Assessment,
    BaselineLesion,
    NewLesion,
    NonTargetAssessment,
    NonTargetStatus,
    TargetMeasurement,
    TargetStatus,
)

READERS = frozenset({Role.STATISTICIAN, Role.DATA_MANAGER, Role.MONITOR})
#: facts of the screening verdicts that become baseline columns (column: fact name)
BASELINE_FACTS = {
    "AGE": "age_at_consent_years",
    "CPSCORE": "child_pugh_score",
    "AFPBL": "afp_ng_ml",
    "BCLC": "bclc_stage_at_flst_start",
    "NPROGLES": "oligoprogressive_lesion_count",
    "ECOGBL": "ecog",
}
TARGET_STATUS: dict[str, TargetStatus] = {
    "absent": "gone",
    "not_evaluated": "not-assessed",
    "too_small": "too-small",
}
NON_TARGET_STATUS: dict[str, NonTargetStatus] = {
    "present": "present",
    "absent": "absent",
    "not_evaluated": "not-assessed",
    "unequivocal_pd": "unequivocal-progression",
}
ATTRIBUTION_ORDER: tuple[Attribution, ...] = (
    "definite",
    "probable",
    "possible",
    "unlikely",
    "unrelated",
)


@dataclass(frozen=True)
class DatabaseExtract:
    """What the analysis needs from the database: typed endpoint inputs, plain columns."""

    protocol_id: str
    protocol_version: str
    data_cutoff: dt.date
    patients: tuple[PatientRecord, ...]  # endpoint inputs
    subjects: tuple[dict[str, Any], ...]  # baseline and treatment columns (ADSL)
    screening: tuple[dict[str, Any], ...]
    visits: tuple[dict[str, Any], ...]
    samples: tuple[dict[str, Any], ...]  # ctDNA collected (TIMEPOINT None: none yet)


def _by_patient(rows: Any, key: str = "patient_id") -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        out[getattr(row, key)].append(row)
    return out


def baseline_lesions(measurements: list[LesionMeasurement]) -> tuple[BaselineLesion, ...]:
    """The response engine's baseline lesions from the baseline visit's measurements (each
    loaded with its lesion); targets first. What was not recorded stays None."""
    out = []
    for m in sorted(measurements, key=lambda m: (m.lesion.role != "target", m.lesion.id)):
        les = m.lesion
        size = m.diameter_mm if les.nodal or m.diameter_mm is not None else None
        out.append(
            BaselineLesion(
                id=les.code,
                role="target" if les.role == "target" else "non-target",
                organ=les.organ,
                nodal=les.nodal,
                longest_mm=None if les.nodal else size,
                short_axis_mm=size if les.nodal else None,
                slice_thickness_mm=m.slice_thickness_mm,
                previously_irradiated=les.previously_irradiated,
                progressed_after_rt=les.progressed_after_rt,
            )
        )
    return tuple(out)


def assessment_of(visit: Visit, measurements: list[LesionMeasurement]) -> Assessment:
    """The response engine's assessment of a visit done (``visit_date`` set) from its
    measurements (each loaded with its lesion): targets, non-targets and new lesions."""
    targets, non_targets, new = [], [], []
    for m in sorted(measurements, key=lambda m: m.lesion.id):
        les = m.lesion
        if les.role == "target":
            if m.status == "present":
                targets.append(TargetMeasurement(lesion=les.code, mm=m.diameter_mm))
            else:
                targets.append(TargetMeasurement(lesion=les.code, status=TARGET_STATUS[m.status]))
        elif les.role == "non_target":
            non_targets.append(
                NonTargetAssessment(lesion=les.code, status=NON_TARGET_STATUS[m.status])
            )
        else:
            new.append(
                NewLesion(
                    id=les.code,
                    status="unequivocal" if m.status == "unequivocal_pd" else "equivocal",
                    organ=les.organ,
                    nodal=les.nodal,
                    short_axis_mm=m.diameter_mm if les.nodal else None,
                    longest_mm=None if les.nodal else m.diameter_mm,
                )
            )
    assert visit.visit_date is not None
    return Assessment(
        date=visit.visit_date,
        targets=tuple(targets),
        non_targets=tuple(non_targets),
        new_lesions=tuple(new),
    )


def _attribution(ae: AdverseEvent) -> Attribution:
    given = {ae.related_rt, ae.related_flst, ae.related_slst}
    return next((a for a in ATTRIBUTION_ORDER if a in given), "unrelated")


def _adverse_event(ae: AdverseEvent) -> EndpointAdverseEvent:
    return EndpointAdverseEvent(
        term=ae.term,
        soc=soc_of(ae.term),
        grade=ae.grade,
        start_date=ae.onset_date,
        end_date=ae.resolved_date,
        serious=ae.serious,
        criteria=tuple(
            cast(SeriousnessCriterion, name.removeprefix("sae_"))
            for name in SERIOUSNESS_CRITERIA
            if getattr(ae, name)
        ),
        attribution=_attribution(ae),
    )


def _refused(subject: str, exc: ValidationError) -> InputError:
    """A database row the endpoint record model refuses: the patient and field named."""
    err = exc.errors()[0]
    where = ".".join(str(k) for k in err["loc"])
    message = str(err["msg"]).removeprefix("Value error, ")
    return InputError(f"patient {subject}" + (f": {where}" if where else ""), message)


def _treatment(p: Any, exposures: list[Exposure]) -> dict[str, Any]:
    """Protocol treatment: RT + FLST (arm A) from randomization, SLST (arm B) from its start;
    TRTSTOP is the last stop date (None while any period is open)."""
    line = "FLST" if p.allocation.arm == "A" else "SLST"
    periods = sorted((e for e in exposures if e.line == line), key=lambda e: e.start_date)
    flst = [e.drug for e in sorted(exposures, key=lambda e: e.start_date) if e.line == "FLST"]
    row: dict[str, Any] = {
        "FLSTREG": flst[0] if flst else None,
        "TRTA": None,
        "TRTSDT": None,
        "TRTSTOP": None,
        "SAFFL": "N",
    }
    if not periods:
        return row
    stops = [e.stop_date for e in periods]
    row.update(
        TRTA=" + ".join(dict.fromkeys(e.drug for e in periods)),
        TRTSDT=max(periods[0].start_date, p.allocation.randomized_on),
        TRTSTOP=None if None in stops else max(s for s in stops if s is not None),
        SAFFL="Y",
    )
    return row


def _samples(p: Any, samples: list[Biosample], rt_end: dt.date | None) -> list[dict[str, Any]]:
    """The ctDNA samples collected, and the date the first follow-up sample is due (four
    weeks after the end of RT, or after randomization without RT)."""
    due = (rt_end or p.allocation.randomized_on) + dt.timedelta(days=28)
    return [
        {
            "USUBJID": p.screening_number,
            "SITEID": p.site.code,
            "TIMEPOINT": s.time_point,
            "COLLECTED_ON": s.collected_on,
            "FIRST_FU_DUE": due,
        }
        for s in samples
        if s.kind == "ctdna" and s.collected_on is not None  # not one recorded as missing
    ] or [
        {
            "USUBJID": p.screening_number,
            "SITEID": p.site.code,
            "TIMEPOINT": None,
            "COLLECTED_ON": None,
            "FIRST_FU_DUE": due,
        }
    ]


def extract(actor: Staff, *, data_cutoff: dt.date) -> DatabaseExtract:
    """Read every randomized patient ``actor`` may see (see the module docstring).

    A cut-off after today (the trial's local date) is refused: follow-up would run to a
    day that has not come, and the report's time axes with it."""
    require_role(actor, READERS, "exporting the analysis data")
    if data_cutoff > timezone.localdate():
        raise InputError("data_cutoff", f"{data_cutoff.isoformat()} is in the future")
    config = current_config()
    everyone = visible_patients(actor).select_related("site", "allocation")
    screenings = {
        s.patient_id: s
        for s in Screening.objects.filter(patient__in=everyone).order_by("version", "id")
    }  # the newest version of each is in force
    patients = [p for p in everyone.order_by("screening_number") if hasattr(p, "allocation")]
    ids = [p.id for p in patients]
    visits = _by_patient(Visit.objects.filter(patient_id__in=ids).order_by("number"))
    measures = _by_patient(
        LesionMeasurement.objects.filter(lesion__patient_id__in=ids).select_related(
            "lesion", "visit"
        ),
        "visit_id",
    )
    aes = _by_patient(AdverseEvent.objects.filter(patient_id__in=ids).order_by("onset_date", "id"))
    exposures = _by_patient(Exposure.objects.filter(patient_id__in=ids))
    samples = _by_patient(Biosample.objects.filter(patient_id__in=ids))
    deaths = {d.patient_id: d for d in Death.objects.filter(patient_id__in=ids)}
    withdrawals = {w.patient_id: w for w in Withdrawal.objects.filter(patient_id__in=ids)}
    therapies = _by_patient(NewAnticancerTherapy.objects.filter(patient_id__in=ids))
    rt_courses = _by_patient(RadiotherapyCourse.objects.filter(patient_id__in=ids))
    records, subjects, visit_log, ctdna = [], [], [], []
    for p in patients:
        pv = visits.get(p.id, [])
        base = next((v for v in pv if v.number == 0), None)
        done = [v for v in pv if v.number > 0 and v.status == "done"]
        death, withdrawal = deaths.get(p.id), withdrawals.get(p.id)
        nat = min((t.start_date for t in therapies.get(p.id, [])), default=None)
        last_alive = (
            death.death_date
            if death
            else withdrawal.last_known_alive
            if withdrawal
            else data_cutoff
        )
        withdrawn = (
            None
            if withdrawal is None
            else EndpointWithdrawal(
                date=withdrawal.effective_date,
                reason="lost-to-follow-up" if withdrawal.kind == "lost" else "withdrew",
            )
        )
        try:
            record = PatientRecord(
                subject_id=p.screening_number,
                arm=p.allocation.arm,
                strata={k: v for k, v in p.stratification.items() if k != SITE_FACTOR},
                randomization_date=p.allocation.randomized_on,
                baseline_date=(base.visit_date or p.allocation.randomized_on) if base else None,
                baseline=baseline_lesions(measures.get(base.id, [])) if base else (),
                assessments=tuple(assessment_of(v, measures.get(v.id, [])) for v in done),
                death_date=death.death_date if death else None,
                last_known_alive=last_alive,
                new_therapy_date=nat,
                withdrawal=withdrawn,
                adverse_events=tuple(_adverse_event(a) for a in aes.get(p.id, [])),
            )
        except ValidationError as exc:
            raise _refused(p.screening_number, exc) from None
        records.append(record)
        subjects.append(_subject(p, screenings.get(p.id), exposures.get(p.id, [])))
        visit_log += [
            {
                "USUBJID": p.screening_number,
                "SITEID": p.site.code,
                "VISITNUM": v.number,
                "STATUS": v.status,
            }
            for v in pv
            if v.number > 0 and v.status in ("done", "missed")
        ]
        rt_end = max((c.end_date or c.start_date for c in rt_courses.get(p.id, [])), default=None)
        ctdna += _samples(p, samples.get(p.id, []), rt_end)
    return DatabaseExtract(
        config.protocol_id,
        config.protocol_version,
        data_cutoff,
        tuple(records),
        tuple(subjects),
        tuple(_screening_log(everyone, screenings)),
        tuple(visit_log),
        tuple(ctdna),
    )


def _subject(p: Any, screening: Screening | None, exposures: list[Exposure]) -> dict[str, Any]:
    values: dict[str, Any] = dict(screening.facts) if screening else {}
    if screening is not None and not values:  # rows stored before the facts were kept
        for v in screening.verdicts:
            values.update(v.get("values", {}))
    row: dict[str, Any] = {
        "USUBJID": p.screening_number,
        "SITEID": p.site.code,
        "RANDNO": p.randomization_number,
        "SEX": p.sex if p.sex in ("F", "M") else None,
    }
    for column, fact in BASELINE_FACTS.items():
        value = values.get(fact)
        row[column] = value if isinstance(value, int | float | str) else None
    age = row["AGE"]
    row["AGEGR1"] = None if age is None else ("<65" if age < 65 else ">=65")
    row.update(_treatment(p, exposures))
    return row


def _screening_log(patients: Any, screenings: dict[int, Screening]) -> list[dict[str, Any]]:
    out = []
    for p in patients.order_by("screening_number"):
        s = screenings.get(p.id)
        if s is None:
            continue
        against = [v["id"] for v in s.verdicts if v.get("in_favour") is False]
        randomized = hasattr(p, "allocation")
        out.append(
            {
                "SCRID": p.screening_number,
                "SITEID": p.site.code,
                "ELIGFL": "Y" if s.eligible else "N",
                "FAILCRIT": against[0] if against else None,
                "RANDFL": "Y" if randomized else "N",
                "USUBJID": p.screening_number if randomized else None,
            }
        )
    return out
