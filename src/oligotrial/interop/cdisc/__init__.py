"""CDISC out: SDTM domains, ADaM data sets, define.xml, ODM and Dataset-JSON."""

from oligotrial.interop.cdisc.dataset import (
    Dataset,
    Variable,
    dataset_json,
    variables,
    write_dataset_json,
    write_xpt,
)

__all__ = ["Dataset", "Variable", "dataset_json", "variables", "write_dataset_json", "write_xpt"]
