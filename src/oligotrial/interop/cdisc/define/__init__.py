"""define.xml 2.1 for the SDTM and the ADaM data sets: built with odmlib, validated against the
Define-XML 2.1 schema and rendered with CDISC's stylesheet (both shipped by defineutils)."""

from oligotrial.interop.cdisc.define.build import build_define
from oligotrial.interop.cdisc.define.build_adam import build_adam_define
from oligotrial.interop.cdisc.define.files import render_html, schema_problems, write_define

__all__ = ["build_adam_define", "build_define", "render_html", "schema_problems", "write_define"]
