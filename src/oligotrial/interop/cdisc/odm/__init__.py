"""CDISC ODM 1.3.2: the clinical data with its audit records, valid against the schema."""

from oligotrial.interop.cdisc.odm.document import odm_document
from oligotrial.interop.cdisc.odm.schema import schema_errors

__all__ = ["odm_document", "schema_errors"]
