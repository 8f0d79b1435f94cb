"""Validation against the ODM 1.3.2 schema (the XSD that the defineutils package ships)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree


@cache
def odm_schema() -> etree.XMLSchema:
    import defineutils

    root = Path(defineutils.__file__).parent / "validate" / "schema" / "cdisc-odm-1.3.2"
    return etree.XMLSchema(etree.parse(str(root / "ODM1-3-2.xsd")))


def schema_errors(document: bytes) -> list[str]:
    """Every schema violation (line: message); empty when the document is valid."""
    schema = odm_schema()
    if schema.validate(etree.fromstring(document)):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
