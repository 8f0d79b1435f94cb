"""SDTM (SDTMIG 3.4) from the trial database and the trial design domains from the protocol.

``sdtm_domains(actor)`` reads a live database (read-only); ``trial_design_domains(protocol)``
needs no database. Conventions (--SEQ order, --DY, dates) are in :mod:`.common` and
``docs/cdisc.md``. The design module is imported without Django; the database modules are
imported on use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from oligotrial.interop.cdisc.sdtm.design import trial_design_domains
from oligotrial.interop.cdisc.sdtm.links import source_seq

if TYPE_CHECKING:
    from oligotrial.interop.cdisc.sdtm.export import (
        SdtmExport,
        sdtm_domains,
        sdtm_export,
        write_sdtm,
    )

__all__ = [
    "SdtmExport",
    "sdtm_domains",
    "sdtm_export",
    "source_seq",
    "trial_design_domains",
    "write_sdtm",
]


def __getattr__(name: str) -> Any:
    if name in ("SdtmExport", "sdtm_domains", "sdtm_export", "write_sdtm"):
        from oligotrial.interop.cdisc.sdtm import export

        return getattr(export, name)
    raise AttributeError(name)
