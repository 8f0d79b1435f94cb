"""CDISC controlled terminology the SDTM domains use, with NCI codes where they are known.

Sources: CDISC SDTM Controlled Terminology (NCI EVS), codelists SEX (C66731), NY (C66742),
UNIT (C71620), LBTESTCD (C65047), AGEU (C66781), NCOMPLT (C66727, disposition terms), OUT
(C66768, AE outcome), EPOCH (C99079), DDTESTCD (C116108), COUNTRY (C66786) and the
oncology test codes. Codes were checked against the published CDISC SDTM CT package
2015-12-18 (NCI EVS); a term that package does not hold (SAXIS) has no code here. Terms
without an NCI code here are written as the sponsor's term and listed in define.xml as
such. The database's own analyte names and unit spellings are mapped here, once; unit
conversion stays in :mod:`oligotrial.clinical.units`.
"""

from __future__ import annotations

from typing import NamedTuple


class Term(NamedTuple):
    """A submission value, its decode, and its NCI code ('' when not given here)."""

    value: str
    decode: str
    code: str = ""


SEX = {
    "F": Term("F", "Female", "C16576"),
    "M": Term("M", "Male", "C20197"),
    "U": Term("U", "Unknown", "C17998"),
}
NY = {True: Term("Y", "Yes", "C49488"), False: Term("N", "No", "C49487")}

#: database analyte -> LBTESTCD / LBTEST (LBTESTCD codelist C65047)
LAB_TESTS = {
    "bilirubin": Term("BILI", "Bilirubin", "C38037"),
    "albumin": Term("ALB", "Albumin", "C64431"),
    "inr": Term("INR", "Prothrombin Intl. Normalized Ratio", "C64805"),
    "afp": Term("AFP", "Alpha Fetoprotein", "C74732"),
    "hbv_dna": Term("HBVVLD", "Hepatitis B Virus Viral Load", "C92542"),
    "alt": Term("ALT", "Alanine Aminotransferase", "C64433"),
    "ast": Term("AST", "Aspartate Aminotransferase", "C64467"),
    "platelets": Term("PLAT", "Platelets", "C51951"),
    "neutrophils": Term("NEUT", "Neutrophils", "C63321"),
    "creatinine": Term("CREAT", "Creatinine", "C64547"),
}

#: unit spellings (after :func:`oligotrial.clinical.units.normalize_unit`) -> UNIT term
UNITS = {
    "mg/dL": Term("mg/dL", "Milligram per Deciliter", "C67015"),
    "g/dL": Term("g/dL", "Gram per Deciliter", "C64783"),
    "g/L": Term("g/L", "Gram per Liter", "C42576"),
    "µmol/L": Term("umol/L", "Micromole per Liter", "C48508"),
    "ng/mL": Term("ng/mL", "Nanogram per Milliliter", "C67306"),
    "IU/mL": Term("IU/mL", "International Unit per Milliliter", "C67377"),
    "U/L": Term("U/L", "Unit per Liter", "C67456"),
    "10^9/L": Term("10^9/L", "10^9 per Liter", "C67255"),
    "mm": Term("mm", "Millimeter", "C28251"),
    "Gy": Term("Gy", "Gray", "C18063"),
    "YEARS": Term("YEARS", "Years", "C29848"),
}

#: database AE outcome -> AEOUT (OUT, C66768)
AE_OUTCOME = {
    "recovered": Term("RECOVERED/RESOLVED", "Recovered/Resolved", "C49498"),
    "recovering": Term("RECOVERING/RESOLVING", "Recovering/Resolving", "C49496"),
    "not_recovered": Term("NOT RECOVERED/NOT RESOLVED", "Not Recovered/Not Resolved", "C49494"),
    "sequelae": Term(
        "RECOVERED/RESOLVED WITH SEQUELAE", "Recovered/Resolved with Sequelae", "C49495"
    ),
    "fatal": Term("FATAL", "Fatal", "C48275"),
    "unknown": Term("UNKNOWN", "Unknown", "C17998"),
}

#: database attribution -> the sponsor's causality terms (AEREL, SUPPAE.AERELn); CDISC
#: publishes no codelist for AEREL, so these carry no NCI code
CAUSALITY = {
    "unrelated": "NOT RELATED",
    "unlikely": "UNLIKELY RELATED",
    "possible": "POSSIBLY RELATED",
    "probable": "PROBABLY RELATED",
    "definite": "RELATED",
    "not_applicable": "NOT APPLICABLE",
}

#: disposition (NCOMPLT, C66727)
DEATH = Term("DEATH", "Death", "C28554")
LOST = Term("LOST TO FOLLOW-UP", "Lost To Follow-Up", "C48227")
WITHDREW = Term("WITHDRAWAL BY SUBJECT", "Withdrawal by Subject", "C49634")
SCREEN_FAILURE = Term("SCREEN FAILURE", "Screen Failure", "C49628")

#: tumour and response tests (Oncology: TU, TR, RS; SDTMIG 3.4 section 6.3.13): codelists
#: TUTESTCD (C96784), TRTESTCD (C96779) and ONCRTSCD (C96782, RSTESTCD)
TUMOUR_ID = Term("TUMIDENT", "Tumor Identification", "C94523")
TUMOUR_ROLE = {"target": "TARGET", "non_target": "NON-TARGET", "new": "NEW"}
LONGEST_DIAMETER = Term("LDIAM", "Longest Diameter", "C96684")
SHORT_AXIS = Term("SAXIS", "Short Axis")  # code not verified offline: none given
TUMOUR_STATE = Term("TUMSTATE", "Tumor State", "C96643")
SUM_DIAMETERS = Term("SUMDIAM", "Sum of Diameters", "C96631")
OVERALL_RESPONSE = Term("OVRLRESP", "Overall Response", "C96613")
TARGET_RESPONSE = Term("TRGRESP", "Target Response", "C94534")
NON_TARGET_RESPONSE = Term("NTRGRESP", "Non-target Response", "C94535")
NEW_LESIONS = Term("NEWLPROG", "New Lesion Progression", "C103420")
BEST_RESPONSE = Term("BESTRESP", "Best Overall Response", "C94536")
#: database measurement status -> TUMSTATE result
TUMOUR_STATE_RESULT = {
    "present": "PRESENT",
    "absent": "ABSENT",
    "too_small": "TOO SMALL TO MEASURE",
    "not_evaluated": "NOT EVALUABLE",
    "unequivocal_pd": "UNEQUIVOCAL",
}

#: EPOCH (C99079): the epochs of the trial design (TA), see :mod:`.epochs`
EPOCHS = {
    "screening": Term("SCREENING", "Screening", "C48262"),
    "treatment": Term("TREATMENT", "Treatment", "C101526"),
    "follow_up": Term("FOLLOW-UP", "Follow-up", "C99158"),
}
#: Death Details (DDTESTCD C116108)
PRIMARY_CAUSE_OF_DEATH = Term("PRCDTH", "Primary Cause of Death", "C99531")
