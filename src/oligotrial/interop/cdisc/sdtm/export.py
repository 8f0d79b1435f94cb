"""The SDTM domains of a live database, the listing of what is missing, and the files.

:func:`sdtm_export` reads the database once (read-only, :mod:`.source`) and builds every
subject-level domain with its SUPPQUAL; :func:`write_sdtm` writes each domain as XPT v5 and
Dataset-JSON 1.1 beside it, plus ``missing.txt``: the records and fields the database does
not hold (an incomplete database still gives every data set, with those values null).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from oligotrial.edc.models import Staff
from oligotrial.interop.cdisc.dataset import Dataset, write_dataset_json, write_xpt
from oligotrial.interop.cdisc.sdtm import (
    deaths,
    events,
    findings,
    interventions,
    oncology,
    subjects,
)
from oligotrial.interop.cdisc.sdtm.common import Listing, MissingItem
from oligotrial.interop.cdisc.sdtm.design import missing_parameters, trial_design_domains
from oligotrial.interop.cdisc.sdtm.source import read_subjects
from oligotrial.protocol import Protocol, load_protocol

MISSING_LISTING = "missing.txt"


@dataclass(frozen=True)
class SdtmExport:
    """The domains (subject-level, then trial design) and the listing of missing data."""

    domains: tuple[Dataset, ...]
    missing: tuple[str, ...]
    items: tuple[MissingItem, ...] = ()  # the same listing, field by field


def sdtm_export(actor: Staff, protocol: Protocol | None = None) -> SdtmExport:
    """Every SDTM domain of the database ``actor`` may read, and what is missing."""
    protocol = protocol or load_protocol()
    people = read_subjects(actor)
    listing = Listing()
    pr, supppr = interventions.pr(people, protocol, listing)
    ae, suppae = events.ae(people, protocol, listing)
    tu, supptu = oncology.tu(people, protocol, listing)
    rs, sums = oncology.rs(people, protocol, listing)
    found = [
        subjects.dm(people, protocol, listing),
        subjects.ds(people, protocol, listing),
        deaths.dd(people, protocol, listing),
        subjects.sv(people, protocol, listing),
        interventions.ex(people, protocol, listing),
        pr,
        supppr,
        interventions.cm(people, protocol, listing),
        ae,
        suppae,
        events.mh(people, protocol, listing),
        findings.lb(people, protocol, listing),
        tu,
        supptu,
        oncology.tr(people, protocol, listing, sums),
        rs,
        *trial_design_domains(protocol),
    ]
    for code, name in missing_parameters(protocol):
        listing.add("TS", "", "protocol file", code, f"({name}) is not in the protocol file")
    return SdtmExport(tuple(found), tuple(listing.lines()), tuple(listing.items))


def sdtm_domains(actor: Staff, protocol: Protocol | None = None) -> list[Dataset]:
    """Every SDTM domain of the database ``actor`` may read (see :func:`sdtm_export`)."""
    return list(sdtm_export(actor, protocol).domains)


def write_sdtm(
    export: SdtmExport, folder: Path, *, study_oid: str, source_version: str
) -> list[Path]:
    """Write each domain (XPT and Dataset-JSON) and the listing of missing data."""
    created = dt.datetime.now(dt.UTC)
    paths: list[Path] = []
    for dataset in export.domains:
        paths.append(write_xpt(dataset, folder))
        paths.append(
            write_dataset_json(
                dataset, folder, study_oid=study_oid, created=created, source_version=source_version
            )
        )
    listing = folder / MISSING_LISTING
    listing.write_text("".join(f"{line}\n" for line in export.missing), encoding="utf-8")
    paths.append(listing)
    return paths
