"""Required variables per domain (SDTMIG 3.4, Core = "Req"): never null, always present.

The tests check each exported domain against this table; define.xml marks these
``Mandatory="Yes"``.
"""

from __future__ import annotations

_ID = ("STUDYID", "DOMAIN", "USUBJID")

REQUIRED: dict[str, tuple[str, ...]] = {
    "DM": ("STUDYID", "DOMAIN", "USUBJID", "SUBJID", "SITEID", "SEX", "COUNTRY"),
    "DS": (*_ID, "DSSEQ", "DSTERM", "DSDECOD"),
    "DD": (*_ID, "DDSEQ", "DDTESTCD", "DDTEST"),
    "SV": (*_ID, "VISITNUM"),
    "EX": (*_ID, "EXSEQ", "EXTRT"),
    "PR": (*_ID, "PRSEQ", "PRTRT"),
    "CM": (*_ID, "CMSEQ", "CMTRT"),
    "AE": (*_ID, "AESEQ", "AETERM", "AEDECOD"),
    "MH": (*_ID, "MHSEQ", "MHTERM"),
    "LB": (*_ID, "LBSEQ", "LBTESTCD", "LBTEST"),
    "TU": (*_ID, "TUSEQ", "TULNKID", "TUTESTCD", "TUTEST", "TUORRES"),
    "TR": (*_ID, "TRSEQ", "TRTESTCD", "TRTEST"),
    "RS": (*_ID, "RSSEQ", "RSTESTCD", "RSTEST"),
    "TA": ("STUDYID", "DOMAIN", "ARMCD", "ARM", "TAETORD", "ETCD"),
    "TE": ("STUDYID", "DOMAIN", "ETCD", "ELEMENT", "TESTRL"),
    "TV": ("STUDYID", "DOMAIN", "VISITNUM"),
    "TI": ("STUDYID", "DOMAIN", "IETESTCD", "IETEST", "IECAT"),
    "TS": ("STUDYID", "DOMAIN", "TSSEQ", "TSPARMCD", "TSPARM"),
    "SUPPAE": ("STUDYID", "RDOMAIN", "USUBJID", "QNAM", "QLABEL", "QVAL", "QORIG"),
    "SUPPTU": ("STUDYID", "RDOMAIN", "USUBJID", "QNAM", "QLABEL", "QVAL", "QORIG"),
}
