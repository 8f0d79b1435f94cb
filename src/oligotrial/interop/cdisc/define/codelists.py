"""The codelists define.xml lists for the SDTM variables, from the terminology module.

CDISC terms carry their NCI code as an ``nci:ExtCodeID`` alias; sponsor terms have none.
AEDECOD and AEBODSYS point at an external dictionary: CTCAE v5.0 (its terms and the MedDRA
system organ classes CTCAE assigns them); the trial does not code with MedDRA itself,
which needs a licence.
"""

from __future__ import annotations

from dataclasses import dataclass

from oligotrial.interop.cdisc.sdtm import terminology as ct


@dataclass(frozen=True)
class Codelist:
    """A codelist: OID, name, terms (value, decode, NCI code), NCI code of the list, the
    external dictionary it stands for, and the data type of its coded values."""

    oid: str
    name: str
    terms: tuple[ct.Term, ...]
    code: str = ""
    external: tuple[str, str] | None = None  # (dictionary, version)
    data_type: str = "text"


def _terms(values: object) -> tuple[ct.Term, ...]:
    return tuple(dict.fromkeys(values))  # type: ignore[call-overload]


CTCAE_NOTE = (
    "Coded with CTCAE v5.0: AEDECOD is the CTCAE term and AEBODSYS its system organ class "
    "(the MedDRA SOC name CTCAE gives), AELLTCD the MedDRA code CTCAE lists for the term. "
    "MedDRA itself needs a licence and is not used to code this trial."
)

CODELISTS: dict[str, Codelist] = {
    "SEX": Codelist("CL.SEX", "Sex", _terms(ct.SEX.values()), "C66731"),
    "NY": Codelist("CL.NY", "No Yes Response", _terms(ct.NY.values()), "C66742"),
    "AGEU": Codelist("CL.AGEU", "Age Unit", (ct.UNITS["YEARS"],), "C66781"),
    "LBTESTCD": Codelist(
        "CL.LBTESTCD", "Laboratory Test Code", _terms(ct.LAB_TESTS.values()), "C65047"
    ),
    "UNIT": Codelist(
        "CL.UNIT", "Unit", _terms(ct.UNITS[u] for u in ct.UNITS if u != "YEARS"), "C71620"
    ),
    "OUT": Codelist("CL.OUT", "Outcome of Event", _terms(ct.AE_OUTCOME.values()), "C66768"),
    "NCOMPLT": Codelist(
        "CL.NCOMPLT",
        "Completion/Reason for Non-Completion",
        (ct.DEATH, ct.LOST, ct.WITHDREW, ct.SCREEN_FAILURE),
        "C66727",
    ),
    "TUTESTCD": Codelist(
        "CL.TUTESTCD", "Tumor Identification Test Code", (ct.TUMOUR_ID,), "C96784"
    ),
    "TRTESTCD": Codelist(
        "CL.TRTESTCD",
        "Tumor or Lesion Properties Test Code",
        (ct.LONGEST_DIAMETER, ct.SHORT_AXIS, ct.TUMOUR_STATE, ct.SUM_DIAMETERS),
        "C96779",
    ),
    "RSTESTCD": Codelist(
        "CL.RSTESTCD",
        "Oncology Response Assessment Test Code",
        (
            ct.TARGET_RESPONSE,
            ct.NON_TARGET_RESPONSE,
            ct.NEW_LESIONS,
            ct.OVERALL_RESPONSE,
            ct.BEST_RESPONSE,
        ),
        "C96782",
    ),
    "EPOCH": Codelist("CL.EPOCH", "Epoch", _terms(ct.EPOCHS.values()), "C99079"),
    "DDTESTCD": Codelist(
        "CL.DDTESTCD", "Death Details Test Code", (ct.PRIMARY_CAUSE_OF_DEATH,), "C116108"
    ),
    "COUNTRY": Codelist("CL.COUNTRY", "Country", (), "C66786"),
    "CAUSALITY": Codelist(
        "CL.AEREL",
        "Causality (sponsor)",
        tuple(ct.Term(v, v.title()) for v in dict.fromkeys(ct.CAUSALITY.values())),
    ),
    "CTCAE": Codelist("CL.CTCAE", "CTCAE v5.0 Term", (), external=("CTCAE", "5.0")),
    "CTCAESOC": Codelist(
        "CL.CTCAESOC", "CTCAE v5.0 System Organ Class", (), external=("CTCAE", "5.0")
    ),
}

#: variable name (any domain) -> codelist key
VARIABLE_CODELIST = {
    "SEX": "SEX",
    "AGEU": "AGEU",
    "DTHFL": "NY",
    **dict.fromkeys(
        ("AESER", "AESCONG", "AESDISAB", "AESDTH", "AESHOSP", "AESLIFE", "AESMIE"), "NY"
    ),
    "SVOCCUR": "NY",
    "SVPRESP": "NY",
    "MHPRESP": "NY",
    "MHOCCUR": "NY",
    "LBTESTCD": "LBTESTCD",
    "LBORRESU": "UNIT",
    "LBSTRESU": "UNIT",
    "TRORRESU": "UNIT",
    "TRSTRESU": "UNIT",
    "PRDOSU": "UNIT",
    "AEOUT": "OUT",
    "TUTESTCD": "TUTESTCD",
    "TRTESTCD": "TRTESTCD",
    "RSTESTCD": "RSTESTCD",
    "EPOCH": "EPOCH",
    "DDTESTCD": "DDTESTCD",
    "COUNTRY": "COUNTRY",
    "AEREL": "CAUSALITY",
    "AEDECOD": "CTCAE",
    "AEBODSYS": "CTCAESOC",
}
