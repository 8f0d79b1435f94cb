"""TU (tumour identification), TR (tumour results) and RS (disease response) from the
lesions and their measurements (SDTMIG 3.4, 6.3.13 and 6.3.14; oncology TU/TR/RS).

TU: one record per lesion (TULNKID = the lesion code) at the visit it was first measured;
SUPPTU keeps the trial's lesion facts (nodal, oligoprogressive, irradiated). TR: per
measurement, the diameter as recorded (LDIAM; SAXIS for a lymph node; TRSTAT "NOT DONE"
with TRREASND for a target not evaluated or without a diameter; none for a lesion recorded
absent or too small, whose state says so: no 0 or 5 mm is invented), the tumour state when
not simply present, and the sum of diameters per visit from the response engine. RS: per
visit the target, non-target, new-lesion and overall responses the response engine
computes (criteria from the protocol file), and the best overall response. Nothing is computed
here: a patient the engine refuses is named in the listing and has no RS records.
--SEQ: TU by date then lesion code; TR by date, lesion, test; RS by date, test. EPOCH
from each record's date (:mod:`.epochs`).
"""

from __future__ import annotations

from typing import Any

from oligotrial.edc.export import assessment_of, baseline_lesions
from oligotrial.errors import InputError
from oligotrial.interop.cdisc.dataset import Dataset, VariableType, variables
from oligotrial.interop.cdisc.sdtm import terminology as ct
from oligotrial.interop.cdisc.sdtm.common import Listing, domain, dtc, numbered, sort_key, study_day
from oligotrial.interop.cdisc.sdtm.epochs import epoch
from oligotrial.interop.cdisc.sdtm.source import Subject
from oligotrial.interop.cdisc.sdtm.supp import supp
from oligotrial.interop.cdisc.sdtm.visit_names import visit_name
from oligotrial.protocol import Protocol
from oligotrial.response import ResponseSettings, TumourRecord, best_overall_response, evaluate

_ID = (
    ("STUDYID", "Study Identifier"),
    ("DOMAIN", "Domain Abbreviation"),
    ("USUBJID", "Unique Subject Identifier"),
)
_VISIT: tuple[tuple[str, str, VariableType], tuple[str, str]] = (
    ("VISITNUM", "Visit Number", "float"),
    ("VISIT", "Visit Name"),
)
TU_VARS = variables(
    *_ID,
    ("TUSEQ", "Sequence Number", "integer"),
    ("TULNKID", "Link ID"),
    ("TUTESTCD", "Tumor/Lesion ID Short Name"),
    ("TUTEST", "Tumor/Lesion ID Test Name"),
    ("TUORRES", "Tumor/Lesion ID Result"),
    ("TUSTRESC", "Tumor/Lesion ID Result Std. Format"),
    ("TULOC", "Location of the Tumor/Lesion"),
    ("TUMETHOD", "Method of Identification"),
    ("TUEVAL", "Evaluator"),
    *_VISIT,
    ("EPOCH", "Epoch"),
    ("TUDTC", "Date/Time of Tumor/Lesion Identification"),
    ("TUDY", "Study Day of Tumor/Lesion Identification", "integer"),
)
TR_VARS = variables(
    *_ID,
    ("TRSEQ", "Sequence Number", "integer"),
    ("TRGRPID", "Group ID"),
    ("TRLNKID", "Link ID"),
    ("TRTESTCD", "Tumor/Lesion Assessment Short Name"),
    ("TRTEST", "Tumor/Lesion Assessment Test Name"),
    ("TRORRES", "Result or Finding in Original Units"),
    ("TRORRESU", "Original Units"),
    ("TRSTRESC", "Character Result/Finding in Std Format"),
    ("TRSTRESN", "Numeric Result/Finding in Standard Units", "float"),
    ("TRSTRESU", "Standard Units"),
    ("TRSTAT", "Completion Status"),
    ("TRREASND", "Reason Not Done"),
    ("TRMETHOD", "Method Used to Identify the Tumor/Lesion"),
    ("TREVAL", "Evaluator"),
    *_VISIT,
    ("EPOCH", "Epoch"),
    ("TRDTC", "Date/Time of Tumor/Lesion Measurement"),
    ("TRDY", "Study Day of Tumor/Lesion Measurement", "integer"),
)
RS_VARS = variables(
    *_ID,
    ("RSSEQ", "Sequence Number", "integer"),
    ("RSTESTCD", "Assessment Short Name"),
    ("RSTEST", "Assessment Name"),
    ("RSCAT", "Category for Assessment"),
    ("RSORRES", "Result or Finding in Original Units"),
    ("RSSTRESC", "Character Result/Finding in Std Format"),
    ("RSEVAL", "Evaluator"),
    *_VISIT,
    ("EPOCH", "Epoch"),
    ("RSDTC", "Date/Time of Assessment"),
    ("RSDY", "Study Day of Assessment", "integer"),
)
TU_QUALIFIERS = {
    "TUNODAL": ("Lymph Node Lesion", "CRF"),
    "TUOLIGO": ("Oligoprogressive Lesion", "CRF"),
    "TUPRVRT": ("Previously Irradiated", "CRF"),
    "TUPRGRT": ("Progressed After Radiotherapy", "CRF"),
}
EVALUATOR = "INVESTIGATOR"
_NEW_LESIONS = {"no": "N", "equivocal": "EQUIVOCAL", "yes": "Y"}


#: TRREASND of a TRSTAT "NOT DONE" record (FDA business rule FB4202): what the database
#: says of the measurement; it records no free-text reason
_NOT_DONE = {
    "not_evaluated": "TARGET LESION NOT EVALUATED AT THIS ASSESSMENT",
    "present": "DIAMETER NOT RECORDED FOR A LESION PRESENT",
}


def _reason_not_done(m: Any) -> str:
    return _NOT_DONE.get(m.status, "DIAMETER NOT RECORDED")


def _yn(value: bool | None) -> str | None:
    return None if value is None else ct.NY[bool(value)].value


def tu(subjects: list[Subject], protocol: Protocol, listing: Listing) -> tuple[Dataset, Dataset]:
    rows: list[dict[str, Any]] = []
    for s in subjects:
        first: dict[int, Any] = {}
        for measured in sorted(s.measurements, key=lambda m: (m.measured_on, m.id)):
            first.setdefault(measured.lesion.id, measured)
        for lesion in s.lesions:
            m = first.get(lesion.id)
            if m is None:
                listing.add(
                    "TU", s.usubjid, f"lesion {lesion.code}", "measurement", "no measurement"
                )
            role = ct.TUMOUR_ROLE[lesion.role]
            rows.append(
                {
                    "STUDYID": protocol.id,
                    "USUBJID": s.usubjid,
                    "TULNKID": lesion.code,
                    "TUTESTCD": ct.TUMOUR_ID.value,
                    "TUTEST": ct.TUMOUR_ID.decode,
                    "TUORRES": role,
                    "TUSTRESC": role,
                    "TULOC": lesion.organ.upper(),
                    "TUMETHOD": m.modality.upper() if m else None,
                    "TUEVAL": EVALUATOR,
                    "VISITNUM": m.visit.number if m else None,
                    "VISIT": visit_name(m.visit.number, protocol) if m else None,
                    "EPOCH": epoch(s, m.measured_on) if m else None,
                    "TUDTC": dtc(m.measured_on) if m else None,
                    "TUDY": study_day(m.measured_on, s.randomized_on) if m else None,
                    "TUNODAL": _yn(lesion.nodal),
                    "TUOLIGO": _yn(lesion.oligoprogressive),
                    "TUPRVRT": _yn(lesion.previously_irradiated),
                    "TUPRGRT": _yn(lesion.progressed_after_rt),
                }
            )
    rows = numbered(rows, "TU", lambda r: sort_key(r["TUDTC"], r["TULNKID"]))
    parent = domain(
        "TU",
        "Tumor/Lesion Identification",
        TU_VARS,
        rows,
        ("STUDYID", "USUBJID", "TULNKID"),
        "One record per identified tumor per subject",
    )
    return parent, supp(parent, TU_QUALIFIERS, rows)


def _tr_row(
    s: Subject,
    protocol: Protocol,
    m: Any,
    test: ct.Term,
    result: str | None,
    number: float | None,
    unit: str | None,
) -> dict[str, Any]:
    visit = m.visit
    return {
        "STUDYID": protocol.id,
        "USUBJID": s.usubjid,
        "TRGRPID": ct.TUMOUR_ROLE[m.lesion.role],
        "TRLNKID": m.lesion.code,
        "TRTESTCD": test.value,
        "TRTEST": test.decode,
        "TRORRES": result,
        "TRORRESU": unit if result is not None else None,
        "TRSTRESC": result,
        "TRSTRESN": number,
        "TRSTRESU": unit if number is not None else None,
        "TRSTAT": "NOT DONE" if result is None else None,
        "TRREASND": _reason_not_done(m) if result is None else None,
        "TRMETHOD": m.modality.upper(),
        "TREVAL": EVALUATOR,
        "VISITNUM": visit.number,
        "VISIT": visit_name(visit.number, protocol),
        "EPOCH": epoch(s, m.measured_on),
        "TRDTC": dtc(m.measured_on),
        "TRDY": study_day(m.measured_on, s.randomized_on),
    }


def tr(
    subjects: list[Subject],
    protocol: Protocol,
    listing: Listing,
    sums: dict[tuple[str, int], float],
) -> Dataset:
    """TR; ``sums`` are the engine's sums of target diameters by (subject, visit number)."""
    rows: list[dict[str, Any]] = []
    mm = ct.UNITS["mm"].value
    for s in subjects:
        visits = {}
        for m in s.measurements:
            lesion = m.lesion
            visits[m.visit.number] = m
            measured = m.diameter_mm is not None
            if measured or (lesion.role == "target" and m.status in ("present", "not_evaluated")):
                test = ct.SHORT_AXIS if lesion.nodal else ct.LONGEST_DIAMETER
                size = m.diameter_mm
                if size is None and m.status == "present":
                    listing.add(
                        "TR",
                        s.usubjid,
                        f"lesion {lesion.code} visit {m.visit.number}",
                        "diameter_mm",
                        "missing for a lesion present",
                    )
                rows.append(
                    _tr_row(s, protocol, m, test, None if size is None else f"{size:g}", size, mm)
                )
            if lesion.role != "target" or m.status != "present":
                state = ct.TUMOUR_STATE_RESULT[m.status]
                rows.append(_tr_row(s, protocol, m, ct.TUMOUR_STATE, state, None, None))
        for number, m in visits.items():
            total = sums.get((s.usubjid, number))
            if total is None:
                continue
            row = _tr_row(s, protocol, m, ct.SUM_DIAMETERS, f"{total:g}", total, mm)
            row.update(TRGRPID="TARGET", TRLNKID=None, TRMETHOD=None)
            rows.append(row)
    rows = numbered(rows, "TR", lambda r: sort_key(r["TRDTC"], r["TRLNKID"] or "~", r["TRTESTCD"]))
    return domain(
        "TR",
        "Tumor/Lesion Results",
        TR_VARS,
        rows,
        ("STUDYID", "USUBJID", "TRTESTCD", "TRLNKID", "VISITNUM"),
        "One record per tumor measurement/assessment per visit per subject",
    )


def rs(
    subjects: list[Subject], protocol: Protocol, listing: Listing
) -> tuple[Dataset, dict[tuple[str, int], float]]:
    """RS and the sums of target diameters (for TR) by (subject, visit number)."""
    settings = ResponseSettings.from_protocol(protocol.response)
    category = (
        str(protocol.response.get("criteria", "recist1.1")).upper().replace("RECIST1", "RECIST 1")
    )
    rows: list[dict[str, Any]] = []
    sums: dict[tuple[str, int], float] = {}
    for s in subjects:
        ref = s.randomized_on
        by_visit: dict[int, list[Any]] = {}
        for m in s.measurements:
            by_visit.setdefault(m.visit_id, []).append(m)
        base = next((v for v in s.visits if v.number == 0), None)
        if ref is None or base is None or not by_visit.get(base.id):
            continue
        done = [v for v in s.visits if v.number > 0 and v.status == "done" and v.visit_date]
        try:
            record = TumourRecord(
                randomization_date=ref,
                baseline_date=base.visit_date or ref,
                baseline=baseline_lesions(by_visit[base.id]),
                assessments=tuple(assessment_of(v, by_visit.get(v.id, [])) for v in done),
            )
            result = evaluate(record, settings)
            best = best_overall_response(result, settings)
        except (InputError, ValueError) as exc:
            listing.add("RS", s.usubjid, "tumour assessments", "response", str(exc).splitlines()[0])
            continue
        if result.baseline_sum_mm is not None:
            sums[(s.usubjid, 0)] = result.baseline_sum_mm
        number_of = {v.visit_date: v.number for v in done}
        for tp in result.time_points:
            number = number_of[tp.date]
            if tp.sum_mm is not None:
                sums[(s.usubjid, number)] = tp.sum_mm
            tests = (
                (ct.TARGET_RESPONSE, tp.target),
                (ct.NON_TARGET_RESPONSE, tp.non_target),
                (ct.NEW_LESIONS, _NEW_LESIONS[tp.new_lesions]),
                (ct.OVERALL_RESPONSE, tp.overall),
            )
            for test, value in tests:
                rows.append(_rs_row(s, protocol, category, test, value, number, tp.date))
        best_row = _rs_row(
            s,
            protocol,
            category,
            ct.BEST_RESPONSE,
            best.response,
            None,
            best.date,
        )
        rows.append(best_row)
    rows = numbered(
        rows, "RS", lambda r: sort_key(r["RSDTC"], r["RSTESTCD"] == "BESTRESP", r["RSTESTCD"])
    )
    return domain(
        "RS",
        "Disease Response and Clin Classification",
        RS_VARS,
        rows,
        ("STUDYID", "USUBJID", "RSTESTCD", "VISITNUM"),
        "One record per response assessment per visit per subject",
    ), sums


def _rs_row(
    s: Subject,
    protocol: Protocol,
    category: str,
    test: ct.Term,
    value: str,
    number: int | None,
    day: Any,
) -> dict[str, Any]:
    return {
        "STUDYID": protocol.id,
        "USUBJID": s.usubjid,
        "RSTESTCD": test.value,
        "RSTEST": test.decode,
        "RSCAT": category,
        "RSORRES": value,
        "RSSTRESC": value,
        "RSEVAL": EVALUATOR,
        "VISITNUM": number,
        "VISIT": visit_name(number, protocol) if number is not None else None,
        "EPOCH": epoch(s, day),
        "RSDTC": dtc(day),
        "RSDY": study_day(day, s.randomized_on),
    }
