"""The codelists of the ADaM define.xml: the CDISC lists the SDTM define uses too (NY for
the flags, SEX, AGEU, NCOMPLT for DCSREAS, CTCAE for AEDECOD/AEBODSYS), and the sponsor
lists of the analysis values: PARAMCD of each BDS data set (decoded by PARAM, from the
data), CNSR (0 event, 1-5 the protocol's censoring reasons), the response terms of ADRS
AVALC and their ranks in ADRS AVAL."""

from __future__ import annotations

from oligotrial.endpoints.settings import EndpointSettings
from oligotrial.interop.cdisc.dataset import Dataset
from oligotrial.interop.cdisc.define.codelists import CODELISTS, Codelist
from oligotrial.interop.cdisc.sdtm.terminology import Term
from oligotrial.protocol import Protocol
from oligotrial.response.timepoint import RANK

RESPONSES = {
    "CR": "Complete Response",
    "PR": "Partial Response",
    "SD": "Stable Disease",
    "NON-CR/NON-PD": "Non-CR/Non-PD",
    "PD": "Progressive Disease",
    "NE": "Not Evaluable",
}
#: variable (any ADaM data set) -> key of the shared CODELISTS
SHARED = {
    "SEX": "SEX",
    "AGEU": "AGEU",
    "DCSREAS": "NCOMPLT",
    "AEDECOD": "CTCAE",
    "AEBODSYS": "CTCAESOC",
    **dict.fromkeys(("ITTFL", "SAFFL", "TRTEMFL", "DTHFL", "AESER", "AESCONG", "AESDISAB"), "NY"),
    **dict.fromkeys(("AESDTH", "AESHOSP", "AESLIFE", "AESMIE"), "NY"),
}


def paramcd(dataset: Dataset) -> Codelist | None:
    """PARAMCD of ``dataset`` decoded by its PARAM (several PARAMs joined by ' / ')."""
    frame = dataset.frame
    if "PARAMCD" not in frame.columns or frame.empty:
        return None
    terms = []
    for code in dict.fromkeys(frame["PARAMCD"]):
        params = dict.fromkeys(frame.loc[frame["PARAMCD"] == code, "PARAM"].dropna())
        terms.append(Term(str(code), " / ".join(map(str, params)) or str(code)))
    return Codelist(f"CL.{dataset.name}.PARAMCD", f"Parameter Code ({dataset.name})", tuple(terms))


def censoring(protocol: Protocol) -> Codelist:
    """CNSR: 0 an event, then the protocol's censoring reasons by code."""
    settings = EndpointSettings.from_protocol(protocol.endpoints, protocol.schedule)
    reasons = sorted(settings.censoring_reasons.items())
    terms = (Term("0", "Event"), *(Term(str(code), text) for code, text in reasons))
    return Codelist("CL.CNSR", "Censor", terms, data_type="integer")


RESPONSE = Codelist("CL.ADRS.AVALC", "Response", tuple(Term(v, RESPONSES.get(v, v)) for v in RANK))
RESPONSE_RANK = Codelist(
    "CL.ADRS.AVAL",
    "Response Rank",
    tuple(Term(str(rank + 1), v) for v, rank in RANK.items()),
    data_type="integer",
)


def codelist_of(dataset: Dataset, variable: str, protocol: Protocol) -> Codelist | None:
    """The codelist of ``variable`` in ``dataset``, if it has one."""
    if variable == "PARAMCD":
        return paramcd(dataset)
    if variable == "CNSR":
        return censoring(protocol)
    if dataset.name == "ADRS" and variable == "AVALC":
        return RESPONSE
    if dataset.name == "ADRS" and variable == "AVAL":
        return RESPONSE_RANK
    key = SHARED.get(variable)
    return None if key is None else CODELISTS[key]
