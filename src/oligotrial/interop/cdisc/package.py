"""The CDISC package: every data set as SAS transport v5 and Dataset-JSON 1.1, with a
manifest of SHA-256 hashes and a listing of what could not be written.

Layout: ``sdtm/<domain>.xpt|.json`` and ``adam/<name>.xpt|.json`` (ADaM data sets are
named AD..., ADaM IG 1.3 section 2.6), other documents such as ``odm/clinical-data.xml``,
``manifest.json`` (study, creation time, and per file its path, size, SHA-256 and record
count), ``SHA256SUMS`` (the same hashes, checked with ``sha256sum -c SHA256SUMS``) and
``problems.csv`` (data set, subject, variable, problem). A data set with a structural
problem is not written and is listed; a required value that is missing is listed and the
rest is still written.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from oligotrial.interop.cdisc.dataset import Dataset, write_dataset_json, write_xpt

MANIFEST, SUMS, PROBLEMS = "manifest.json", "SHA256SUMS", "problems.csv"


@dataclass(frozen=True)
class Problem:
    """One listed problem: the data set, the subject (if one), the variable and what."""

    dataset: str
    usubjid: str
    variable: str
    problem: str


@dataclass(frozen=True)
class PackageResult:
    folder: Path
    files: tuple[Path, ...]
    problems: tuple[Problem, ...]


def standard_of(dataset: Dataset) -> str:
    """``adam`` for analysis data sets (names AD...), else ``sdtm``."""
    return "adam" if dataset.name.upper().startswith("AD") else "sdtm"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def missing_required(dataset: Dataset, required: Mapping[str, Sequence[str]]) -> list[Problem]:
    """Rows whose required variables (``required[name]``) are null, one problem each."""
    out: list[Problem] = []
    frame = dataset.frame
    for variable in required.get(dataset.name, ()):
        if variable not in frame.columns:
            out.append(Problem(dataset.name, "", variable, "required variable is absent"))
            continue
        empty = frame[variable].isna() | (frame[variable].astype(str) == "")
        for usubjid in frame.loc[empty, "USUBJID"] if "USUBJID" in frame else ():
            out.append(Problem(dataset.name, str(usubjid), variable, "value is missing"))
    return out


def write_package(
    out: Path,
    datasets: Iterable[Dataset],
    *,
    study_oid: str,
    source_version: str,
    required: Mapping[str, Sequence[str]] | None = None,
    documents: Mapping[str, bytes] | None = None,
    problems: Sequence[Problem] = (),
    created: dt.datetime | None = None,
) -> PackageResult:
    """Write every data set that is conformant and every document (relative path -> bytes,
    e.g. ``odm/clinical-data.xml``); list the rest, any missing values and ``problems``."""
    created = created or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    entries: list[dict[str, object]] = []
    listed: list[Problem] = list(problems)
    for ds in datasets:
        structural = ds.problems()
        if structural:
            listed += [Problem(ds.name, "", "", p) for p in structural]
            continue
        listed += missing_required(ds, required or {})
        folder = out / standard_of(ds)
        for path in (
            write_xpt(ds, folder),
            write_dataset_json(
                ds, folder, study_oid=study_oid, created=created, source_version=source_version
            ),
        ):
            files.append(path)
            entries.append(
                {
                    "path": path.relative_to(out).as_posix(),
                    "dataset": ds.name,
                    "label": ds.label,
                    "records": len(ds.frame),
                    "bytes": path.stat().st_size,
                    "sha256": sha256(path),
                }
            )
    for relative, content in (documents or {}).items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        files.append(path)
        entries.append(
            {"path": relative, "bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}
        )
    listing = out / PROBLEMS
    with listing.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["dataset", "usubjid", "variable", "problem"])
        writer.writerows([p.dataset, p.usubjid, p.variable, p.problem] for p in listed)
    files.append(listing)
    entries.append(
        {
            "path": PROBLEMS,
            "records": len(listed),
            "bytes": listing.stat().st_size,
            "sha256": sha256(listing),
        }
    )
    manifest = {
        "study": study_oid,
        "created": created.replace(microsecond=0).isoformat(),
        "generator": {"name": "oligotrial", "version": source_version},
        "files": entries,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    (out / SUMS).write_text(
        "".join(f"{e['sha256']}  {e['path']}\n" for e in entries), encoding="utf-8"
    )
    return PackageResult(out, (*files, out / MANIFEST, out / SUMS), tuple(listed))


def verify(out: Path) -> list[str]:
    """Files whose hash differs from the manifest (empty: the package is intact)."""
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    return [
        str(e["path"])
        for e in manifest["files"]
        if not (out / e["path"]).is_file() or sha256(out / e["path"]) != e["sha256"]
    ]
