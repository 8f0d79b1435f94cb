"""Writing define.xml, validating it against the Define-XML 2.1 schema and rendering it.

The schema (``define2-1-0.xsd`` with ODM 1.3.2 underneath) and CDISC's ``define2-1.xsl``
stylesheet ship with the ``defineutils`` package: both work offline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from oligotrial.interop.cdisc.dataset import Dataset
from oligotrial.interop.cdisc.define.build import build_define
from oligotrial.interop.cdisc.define.build_adam import build_adam_define
from oligotrial.protocol import Protocol


def write_define(
    datasets: Sequence[Dataset],
    protocol: Protocol,
    path: Path,
    *,
    created: dt.datetime | None = None,
    model: Literal["SDTM", "ADaM"] = "SDTM",
) -> Path:
    """Write define.xml for the SDTM (or, with ``model="ADaM"``, the ADaM) ``datasets``
    to ``path``."""
    build = build_adam_define if model == "ADaM" else build_define
    document = build(datasets, protocol, created=created)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.write_xml(str(path))
    return path


def schema_problems(path: Path) -> list[str]:
    """Every Define-XML 2.1 schema error of ``path`` (empty when valid), by line.

    lxml checks against defineutils' copy of the schema in about 0.01 s for the demo's
    define.xml (defineutils' own validator, built on xmlschema, takes about 6 s).
    """
    import defineutils.validate as shipped
    from lxml import etree

    xsd = Path(shipped.__file__).parent / "schema" / "cdisc-define-2.1" / "define2-1-0.xsd"
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    if schema.validate(etree.parse(str(path))):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def render_html(path: Path, html: Path) -> Path:
    """Render define.xml as HTML with CDISC's define2-1 stylesheet (lxml XSLT)."""
    import defineutils.definehtml as definehtml
    from lxml import etree

    stylesheet = Path(definehtml.__file__).with_name("define2-1.xsl")
    transform = etree.XSLT(etree.parse(str(stylesheet)))
    result = transform(etree.parse(str(path)))
    html.write_bytes(etree.tostring(result, pretty_print=True, method="html"))
    return html
