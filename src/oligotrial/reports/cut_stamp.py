"""What a data cut's report prints about the cut, and the cut's manifest of file hashes.

A cut folder holds ``analysis/`` (the analysis data sets), ``protocol.json`` (the protocol
the data were collected under), the reports and ``manifest.json``: the cut's id, cut-off,
the audit chain head it was read at and the SHA-256 of every other file. The reports print
the stamp (:class:`CutStamp`): the hashes of the files they were derived from.
Pure: no database; ``oligotrial cut verify`` needs only the folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from oligotrial.errors import InputError

MANIFEST = "manifest.json"
DATA_FOLDER = "analysis"
PROTOCOL_FILE = "protocol.json"
POOLED_REPORT = "report-pooled.html"
DSMB_REPORT = "report-dsmb.html"
REPORTS = (POOLED_REPORT, DSMB_REPORT)
_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def hash_files(folder: Path, names: list[str] | None = None) -> dict[str, str]:
    """SHA-256 of the files under ``folder`` (relative POSIX paths), the manifest excepted."""
    if names is None:
        names = sorted(
            p.relative_to(folder).as_posix()
            for p in folder.rglob("*")
            if p.is_file() and p.name != MANIFEST
        )
    return {name: sha256_file(folder / name) for name in names}


@dataclass(frozen=True)
class CutStamp:
    """The proof a report prints: which cut, which database state, which files."""

    cut_id: int
    cutoff: dt.date
    made_at: dt.datetime  # UTC; also the reports' "generated" time
    made_by: str
    chain_id: str
    chain_seq: int
    chain_head: str
    protocol_id: str
    protocol_version: str
    label: str = ""
    #: the files the reports were derived from (data sets and protocol) -> SHA-256
    sources: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["cutoff"] = self.cutoff.isoformat()
        out["made_at"] = self.made_at.astimezone(dt.UTC).isoformat()
        out["sources"] = dict(sorted(self.sources.items()))
        return out

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> CutStamp:
        try:
            return cls(
                cut_id=int(raw["cut_id"]),
                cutoff=dt.date.fromisoformat(str(raw["cutoff"])),
                made_at=dt.datetime.fromisoformat(str(raw["made_at"])),
                made_by=str(raw["made_by"]),
                chain_id=str(raw["chain_id"]),
                chain_seq=int(raw["chain_seq"]),
                chain_head=str(raw["chain_head"]),
                protocol_id=str(raw["protocol_id"]),
                protocol_version=str(raw["protocol_version"]),
                label=str(raw.get("label", "")),
                sources={str(k): str(v) for k, v in dict(raw["sources"]).items()},
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(MANIFEST, f"the cut's stamp is unreadable ({exc})") from None


def write_manifest(folder: Path, stamp: CutStamp, files: Mapping[str, str]) -> Path:
    """``manifest.json``: the stamp and the SHA-256 of every file of the cut."""
    path = folder / MANIFEST
    body = {"stamp": stamp.to_json(), "files": dict(sorted(files.items()))}
    path.write_text(json.dumps(body, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read_manifest(folder: Path) -> tuple[CutStamp, dict[str, str]]:
    path = folder / MANIFEST
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        files = {str(k): str(v) for k, v in dict(raw["files"]).items()}
        stamp = raw["stamp"]
    except FileNotFoundError:
        raise InputError("DIR", f"{folder} holds no {MANIFEST}; is it a data cut?") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(MANIFEST, f"unreadable ({exc})") from None
    return CutStamp.from_json(stamp), files
