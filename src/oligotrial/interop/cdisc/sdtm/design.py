"""Trial design domains TA, TE, TV, TI, TS from the protocol file (SDTMIG 3.4, section 7).

Everything comes from :class:`oligotrial.protocol.Protocol`: the arms (TA, TE), the
assessment schedule (TV; the open-ended last period is listed up to the planned accrual
plus follow-up), the criteria with their numbering and wording (TI), and the summary
parameters the file gives (TS). Parameters the file does not hold are written with
``TSVALNF = "NI"`` (no information) and named in :func:`missing_parameters`.
"""

from __future__ import annotations

import math
from typing import Any

from oligotrial.interop.cdisc.dataset import MAX_TEXT, Dataset, variables
from oligotrial.interop.cdisc.sdtm.common import domain
from oligotrial.interop.cdisc.sdtm.visit_names import visit_name
from oligotrial.protocol import Protocol
from oligotrial.protocol.schedule import scheduled_assessments

DAYS_PER_MONTH = 365.25 / 12
#: TS parameters the protocol file does not hold (TSPARMCD, TSPARM)
NOT_IN_FILE = (
    ("TPHASE", "Trial Phase Classification"),
    ("SPONSOR", "Clinical Study Sponsor"),
    ("SSTDTC", "Study Start Date"),
    ("INDIC", "Trial Disease/Condition Indication"),
    ("TBLIND", "Trial Blinding Schema"),
)
_STUDY = (("STUDYID", "Study Identifier"), ("DOMAIN", "Domain Abbreviation"))
TE_VARS = variables(
    *_STUDY,
    ("ETCD", "Element Code"),
    ("ELEMENT", "Description of Element"),
    ("TESTRL", "Rule for Start of Element"),
    ("TEENRL", "Rule for End of Element"),
)
TA_VARS = variables(
    *_STUDY,
    ("ARMCD", "Planned Arm Code"),
    ("ARM", "Description of Planned Arm"),
    ("TAETORD", "Planned Order of Element within Arm", "integer"),
    ("ETCD", "Element Code"),
    ("ELEMENT", "Description of Element"),
    ("TABRANCH", "Branch"),
    ("EPOCH", "Epoch"),
)
TV_VARS = variables(
    *_STUDY,
    ("VISITNUM", "Visit Number", "float"),
    ("VISIT", "Visit Name"),
    ("VISITDY", "Planned Study Day of Visit", "integer"),
    ("TVSTRL", "Visit Start Rule"),
    ("TVENRL", "Visit End Rule"),
)
TI_VARS = variables(
    *_STUDY,
    ("IETESTCD", "Incl/Excl Criterion Short Name"),
    ("IETEST", "Inclusion/Exclusion Criterion"),
    ("IECAT", "Inclusion/Exclusion Category"),
    ("TIVERS", "Protocol Criteria Versions"),
)
TS_VARS = variables(
    *_STUDY,
    ("TSSEQ", "Sequence Number", "integer"),
    ("TSPARMCD", "Trial Summary Parameter Short Name"),
    ("TSPARM", "Trial Summary Parameter"),
    ("TSVAL", "Parameter Value"),
    ("TSVALNF", "Parameter Null Flavor"),
    ("TSVCDREF", "Name of the Reference Terminology"),
)
SCREENING, FOLLOW_UP = "SCRN", "FU"


def _treatment_element(code: str) -> str:
    return f"TRT{code}"[:8]


def te(protocol: Protocol) -> Dataset:
    rows = [
        {
            "ETCD": SCREENING,
            "ELEMENT": "Screening",
            "TESTRL": "Informed consent signed",
            "TEENRL": "Randomization",
        },
        *(
            {
                "ETCD": _treatment_element(a.code),
                "ELEMENT": a.name,
                "TESTRL": f"Randomized to arm {a.code}",
                "TEENRL": "End of protocol treatment",
            }
            for a in protocol.arms
        ),
        {
            "ETCD": FOLLOW_UP,
            "ELEMENT": "Follow-up",
            "TESTRL": "End of protocol treatment",
            "TEENRL": "Death, withdrawal or end of the trial",
        },
    ]
    rows = [{**r, "STUDYID": protocol.id} for r in rows]
    return domain(
        "TE", "Trial Elements", TE_VARS, rows, ("STUDYID", "ETCD"), "One record per planned Element"
    )


def ta(protocol: Protocol) -> Dataset:
    rows: list[dict[str, Any]] = []
    for a in protocol.arms:
        elements = (
            (SCREENING, "Screening", f"Randomized to {a.name}", "SCREENING"),
            (_treatment_element(a.code), a.name, None, "TREATMENT"),
            (FOLLOW_UP, "Follow-up", None, "FOLLOW-UP"),
        )
        for order, (etcd, element, branch, epoch) in enumerate(elements, start=1):
            rows.append(
                {
                    "STUDYID": protocol.id,
                    "ARMCD": a.code,
                    "ARM": a.name,
                    "TAETORD": order,
                    "ETCD": etcd,
                    "ELEMENT": element,
                    "TABRANCH": branch,
                    "EPOCH": epoch,
                }
            )
    return domain(
        "TA",
        "Trial Arms",
        TA_VARS,
        rows,
        ("STUDYID", "ARMCD", "TAETORD"),
        "One record per planned Element per Arm",
    )


def tv(protocol: Protocol) -> Dataset:
    """Baseline, then every scheduled assessment up to the planned accrual + follow-up."""
    d = protocol.design
    horizon_days = math.ceil((d.accrual_months + d.follow_up_months) * DAYS_PER_MONTH)
    rows: list[dict[str, Any]] = [
        {
            "VISITNUM": 0,
            "VISIT": visit_name(0, protocol),
            "VISITDY": 1,
            "TVSTRL": "At randomization (day 1)",
            "TVENRL": None,
        }
    ]
    for sa in scheduled_assessments(protocol.schedule.assessments):
        if sa.day > horizon_days:
            break
        rows.append(
            {
                "VISITNUM": sa.number,
                "VISIT": visit_name(sa.number, protocol),
                "VISITDY": sa.day + 1,
                "TVSTRL": f"Study day {sa.day + 1} (week {sa.week:g}) minus {sa.window_days} days",
                "TVENRL": f"Study day {sa.day + 1} (week {sa.week:g}) plus {sa.window_days} days",
            }
        )
    rows = [{**r, "STUDYID": protocol.id} for r in rows]
    return domain(
        "TV",
        "Trial Visits",
        TV_VARS,
        rows,
        ("STUDYID", "VISITNUM"),
        "One record per planned Visit per Arm",
    )


def shortened(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` in at most ``limit`` UTF-8 bytes, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text.encode("utf-8")) <= limit:
        return text
    cut = text.encode("utf-8")[: limit - 3].decode("utf-8", "ignore")
    return cut.rsplit(" ", 1)[0] + "..."


def ti(protocol: Protocol) -> Dataset:
    """One row per criterion; IETEST holds at most 200 bytes (the full wording is in the
    protocol file and in define.xml's comment on TI)."""
    rows = [
        {
            "STUDYID": protocol.id,
            "IETESTCD": c.id,
            "IETEST": shortened(c.text),
            "IECAT": c.kind.upper(),
            "TIVERS": protocol.version,
        }
        for c in protocol.criteria
    ]
    long = tuple(
        f"{c.id}: {' '.join(c.text.split())}"
        for c in protocol.criteria
        if len(" ".join(c.text.split()).encode()) > MAX_TEXT
    )
    return domain(
        "TI",
        "Trial Inclusion/Exclusion Criteria",
        TI_VARS,
        rows,
        ("STUDYID", "IETESTCD"),
        "One record per I/E criterion",
        notes=long,
    )


def _ts_values(protocol: Protocol) -> list[tuple[str, str, str, str | None]]:
    """(TSPARMCD, TSPARM, TSVAL, TSVCDREF) the protocol file gives."""
    d = protocol.design
    out: list[tuple[str, str, str, str | None]] = [
        ("TITLE", "Trial Title", " ".join(protocol.title.split()), None),
        ("REGID", "Registry Identifier", protocol.id, "ClinicalTrials.gov"),
        ("RANDOM", "Trial is Randomized", "Y", None),
        (
            "RANDQT",
            "Randomization Quotient",
            f"{protocol.allocation_ratio[0] / sum(protocol.allocation_ratio):g}",
            None,
        ),
        ("NARMS", "Planned Number of Arms", str(len(protocol.arms)), None),
        ("PLANSUB", "Planned Number of Subjects", str(d.planned_subjects), None),
    ]
    out += [("STRATFCT", "Stratification Factor", f.name, None) for f in protocol.stratification]
    for key, code, name in (
        ("age_min", "AGEMIN", "Planned Minimum Age of Subjects"),
        ("age_max", "AGEMAX", "Planned Maximum Age of Subjects"),
    ):
        if key in protocol.eligibility:
            out.append((code, name, f"P{protocol.eligibility[key]}Y", "ISO 8601"))
    out.append(
        (
            "ADVERSE",
            "Adverse Event Reporting Standard",
            f"CTCAE {protocol.safety.ctcae_version}",
            None,
        )
    )
    return out


def missing_parameters(protocol: Protocol) -> tuple[tuple[str, str], ...]:
    """TS parameters the protocol file does not hold."""
    return NOT_IN_FILE


def ts(protocol: Protocol) -> Dataset:
    rows: list[dict[str, Any]] = []
    for code, name, value, ref in _ts_values(protocol):
        rows.append(
            {
                "TSPARMCD": code,
                "TSPARM": name,
                "TSVAL": shortened(value),
                "TSVALNF": None,
                "TSVCDREF": ref,
            }
        )
    for code, name in missing_parameters(protocol):
        rows.append(
            {"TSPARMCD": code, "TSPARM": name, "TSVAL": None, "TSVALNF": "NI", "TSVCDREF": None}
        )
    seq: dict[str, int] = {}
    for row in rows:
        seq[row["TSPARMCD"]] = seq.get(row["TSPARMCD"], 0) + 1
        row.update(STUDYID=protocol.id, TSSEQ=seq[row["TSPARMCD"]])
    return domain(
        "TS",
        "Trial Summary",
        TS_VARS,
        rows,
        ("STUDYID", "TSPARMCD", "TSSEQ"),
        "One record per trial summary parameter value",
    )


def trial_design_domains(protocol: Protocol) -> list[Dataset]:
    """TA, TE, TV, TI and TS of ``protocol``."""
    return [ta(protocol), te(protocol), tv(protocol), ti(protocol), ts(protocol)]
