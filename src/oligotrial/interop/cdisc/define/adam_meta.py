"""What define.xml says about the ADaM data sets beyond their own metadata: the ADaM class
of each data set, the origin of each variable (Predecessor for values copied from SDTM or
ADSL, Assigned, else Derived) and the computation methods in words, as the ADaM modules
(:mod:`oligotrial.interop.cdisc.adam`) and docs/cdisc.md describe them.
"""

from __future__ import annotations

#: data set -> (def:Class, def:SubClass or "", Structure); ADaM IG 1.3, Define-XML 2.1 CT
CLASSES = {
    "ADSL": ("SUBJECT LEVEL ANALYSIS DATASET", "", "One record per subject"),
    "ADTTE": ("BASIC DATA STRUCTURE", "TIME-TO-EVENT", "One record per subject per parameter"),
    "ADRS": (
        "BASIC DATA STRUCTURE",
        "",
        "One record per subject per parameter per analysis date",
    ),
    "ADTR": (
        "BASIC DATA STRUCTURE",
        "",
        "One record per subject per parameter per analysis date",
    ),
    "ADAE": ("OCCURRENCE DATA STRUCTURE", "ADVERSE EVENT", "One record per adverse event"),
}

_FROM_DM = ("STUDYID", "USUBJID", "SUBJID", "SITEID", "AGE", "AGEU", "SEX", "RACE", "ARM", "ARMCD")
_FROM_ADSL = {
    "STUDYID": "STUDYID",
    "USUBJID": "USUBJID",
    "SUBJID": "SUBJID",
    "SITEID": "SITEID",
    "TRTP": "TRT01P",
    "TRTA": "TRT01A",
    "ITTFL": "ITTFL",
    "SAFFL": "SAFFL",
}
_FROM_AE = (
    "AETERM",
    "AEDECOD",
    "AEBODSYS",
    "AETOXGR",
    "AESER",
    "AESCONG",
    "AESDISAB",
    "AESDTH",
    "AESHOSP",
    "AESLIFE",
    "AESMIE",
)
#: set by the export from the parameter it writes, not computed
ASSIGNED = frozenset({"PARAM", "PARAMCD", "PARAMN", "SRCDOM", "SRCVAR"})


def predecessor(dataset: str, variable: str) -> str | None:
    """The SDTM (or ADSL) variable a value is copied from unchanged, e.g. ``DM.AGE``."""
    if dataset == "ADSL":
        return f"DM.{variable}" if variable in _FROM_DM else None
    if dataset == "ADAE" and variable in _FROM_AE:
        return f"AE.{variable}"
    source = _FROM_ADSL.get(variable)
    return None if source is None else f"ADSL.{source}"


_DAY = "ADT - ADSL.RANDDT + 1: randomization is day 1."
_VISIT = (
    "The scheduled assessment whose window in the protocol's schedule holds ADT "
    "('WEEK 8', AVISITN the week), else 'UNSCHEDULED' (AVISITN null)."
)
_EOS = (
    "DISCONTINUED at death or withdrawal, whichever came first (EOSDT its date, DCSREAS "
    "DEATH, LOST TO FOLLOW-UP or WITHDRAWAL BY SUBJECT, codelist C66727); else ONGOING."
)
_EXTRACT = (
    "Read from the trial database as of the data cut-off: the eligibility screening record "
    "in force and the treatment records (first and last dose, regimen, reason for stopping)."
)

#: (data set or "*", variable) -> (method name, description); the OID is MT.<ds>.<variable>
METHODS: dict[tuple[str, str], tuple[str, str]] = {
    ("ADSL", "ACTARM"): (
        "Actual arm",
        "ARM once a first dose of protocol treatment is recorded (TRTSDT), else "
        "'Assigned, Not Treated' (ACTARMCD NOTTRT).",
    ),
    ("ADSL", "TRT01P"): ("Planned treatment", "ARM: the randomized arm, named in the protocol."),
    ("ADSL", "TRT01A"): ("Actual treatment", "ARM when TRTSDT is recorded, else null."),
    ("ADSL", "STRATR"): (
        "Randomization strata",
        "The stratum used at randomization for each factor other than site, in the "
        "protocol's order (STRAT1R, STRAT2R, ...); the site stratum is SITEID.",
    ),
    ("ADSL", "ITTFL"): ("Intent-to-treat flag", "Y for every randomized patient."),
    ("ADSL", "SAFFL"): ("Safety flag", "Y when TRTSDT is recorded, else N."),
    ("ADSL", "RANDDT"): ("Randomization date", "The date of randomization (DM.RFSTDTC)."),
    ("ADSL", "EOSSTT"): ("End of study", _EOS),
    ("ADSL", "DTHFL"): ("Death flag", "Y when a date of death is recorded, else null."),
    ("ADSL", "DTHDT"): ("Date of death", "DM.DTHDTC as a SAS date."),
    ("ADSL", "LSTALVDT"): (
        "Date last known alive",
        "The latest date any record of the patient shows him alive, or the date of death.",
    ),
    ("ADSL", "NACTDT"): (
        "New anticancer therapy",
        "Start date of the first new anticancer therapy after randomization (CM.CMSTDTC).",
    ),
    ("ADSL", "EXTRACT"): ("Subject record", _EXTRACT),
    ("ADTTE", "AVAL"): ("Time to event", "ADT - STARTDT + 1, in days."),
    ("ADTTE", "STARTDT"): (
        "Time origin",
        "ADSL.RANDDT for PFS and OS; the date of first response for DOR.",
    ),
    ("ADTTE", "ADT"): (
        "Event or censoring date",
        "The date of progression or death (CNSR 0), else the censoring date the protocol's "
        "rule for the CNSR code gives (CNSDTDSC); OS is censored at LSTALVDT.",
    ),
    ("ADTTE", "CNSR"): (
        "Censoring",
        "0 for an event; otherwise the protocol's censoring reason code (1-5), by the "
        "endpoint engine's rules (progression after two or more missed assessments, new "
        "anticancer therapy and withdrawal censor at the last adequate assessment before).",
    ),
    ("ADTTE", "EVNTDESC"): (
        "Event description",
        "The event ('Disease progression', 'Death') or, on censored rows, the protocol's "
        "wording of the censoring reason ('Alive at last contact' for OS).",
    ),
    ("ADTTE", "CNSDTDSC"): ("Censoring date", "On censored rows: which date ADT is."),
    ("ADTTE", "SRCSEQ"): (
        "Source record",
        "The --SEQ of the SDTM record of SRCDOM whose SRCVAR holds ADT; null when SRCDOM is "
        "ADSL or DM.",
    ),
    ("ADRS", "AVALC"): (
        "Response",
        "OVR: the overall response at the assessment; BOR (CBOR when confirmed): the best "
        "overall response; both by the response engine under the protocol's criteria.",
    ),
    ("ADRS", "AVAL"): (
        "Response rank",
        "Rank of AVALC: 1 CR, 2 PR, 3 SD, 4 NON-CR/NON-PD, 5 PD, 6 NE.",
    ),
    ("ADRS", "ADT"): ("Response date", "The scan date (OVR) or that of the best response."),
    ("ADTR", "AVAL"): (
        "Sum of diameters",
        "Sum of the target lesions' longest diameters (short axis for nodes) in mm, at an "
        "assessment where every target lesion is measured.",
    ),
    ("ADTR", "ADT"): ("Assessment date", "The scan date."),
    ("ADTR", "BASE"): ("Baseline sum", "AVAL at the baseline assessment."),
    ("ADTR", "PCHG"): ("Percent change", "100 x (AVAL - BASE) / BASE."),
    ("ADAE", "AESEQ"): ("AE sequence", "1, 2, ... within each subject in order of onset."),
    ("ADAE", "ATOXGR"): ("Analysis grade", "AETOXGR: the recorded grade, not regraded."),
    ("ADAE", "ASTDT"): ("AE start", "AE.AESTDTC as a SAS date."),
    ("ADAE", "AENDT"): ("AE end", "AE.AEENDTC as a SAS date."),
    ("ADAE", "ASTDY"): (
        "AE start day",
        "ASTDT - ADSL.RANDDT, plus 1 on or after randomization (no day 0).",
    ),
    ("ADAE", "AREL"): (
        "Causality",
        "The strongest attribution recorded (to radiotherapy, first- or second-line "
        "therapy), in upper case.",
    ),
    ("ADAE", "TRTEMFL"): (
        "Treatment emergent",
        "Y when the event starts on or after randomization, else null.",
    ),
    ("*", "ADY"): ("Analysis day", _DAY),
    ("*", "AVISIT"): ("Analysis visit", _VISIT),
}
#: variables that share another variable's method
_SAME = {
    ("ADSL", "ACTARMCD"): "ACTARM",
    ("ADSL", "EOSDT"): "EOSSTT",
    ("ADSL", "DCSREAS"): "EOSSTT",
    ("*", "AVISITN"): "AVISIT",
}


def method_key(dataset: str, variable: str) -> tuple[str, str]:
    """The METHODS key of a derived variable (the subject-record method when no other)."""
    if dataset == "ADSL" and variable.startswith("STRAT") and variable.endswith("R"):
        return "ADSL", "STRATR"
    for scope in (dataset, "*"):
        variable = _SAME.get((scope, variable), variable)
        if (scope, variable) in METHODS:
            return scope, variable
    return "ADSL", "EXTRACT"


def method_oid(key: tuple[str, str]) -> str:
    scope, variable = key
    return f"MT.{'ALL' if scope == '*' else scope}.{variable}"
