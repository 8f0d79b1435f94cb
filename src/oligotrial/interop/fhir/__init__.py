"""FHIR R4 in: a hospital's Bulk FHIR export pre-screened by the one eligibility engine.

The mapping from FHIR codes to screening-record fields is data (``mapping.yaml``); the
bulk NDJSON is decoded with msgspec (:mod:`.reader`), each patient's evidence becomes a
partial :class:`oligotrial.eligibility.ScreeningRecord` with the source resource of every
field (:mod:`.evidence`), the resources it rests on are validated with fhir.resources
(R4B), and :func:`prescreen` screens the HCC population; :func:`write_prescreen` writes
the ranked lists.
"""

from oligotrial.interop.fhir.mapping import load_mapping
from oligotrial.interop.fhir.output import write_prescreen
from oligotrial.interop.fhir.prescreen import PatientResult, Prescreen, prescreen
from oligotrial.interop.fhir.reader import Export, Problem, read_export

__all__ = [
    "Export",
    "PatientResult",
    "Prescreen",
    "Problem",
    "load_mapping",
    "prescreen",
    "read_export",
    "write_prescreen",
]
