"""Write a pre-screening: per site a ranked candidate list and the excluded patients (CSV
and HTML), and for the whole export the problems, unknown codes and a summary.

``OUT/<site>/candidates.csv``: candidates, no criterion failed, fewest record fields left
to check first, with the EHR resource behind each field; ``OUT/<site>/excluded.csv``: the
others with the criteria that rule them out; ``OUT/<site>/index.html``: both tables;
``OUT/problems.csv`` (file, line, problem), ``OUT/unknown-codes.csv``, ``OUT/summary.json``,
``OUT/index.html``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
from jinja2 import Environment, PackageLoader, select_autoescape

from oligotrial.interop.fhir.labels import labels
from oligotrial.interop.fhir.prescreen import PatientResult, Prescreen
from oligotrial.protocol import Protocol

_CANDIDATE_COLUMNS = (
    "rank",
    "patient_id",
    "overall",
    "criteria_open",
    "fields_to_check",
    "to_check",
    "from_ehr",
)
_EXCLUDED_COLUMNS = ("patient_id", "failed", "reasons", "from_ehr")


def _sources(r: PatientResult) -> str:
    return "; ".join(
        f"{path}={','.join(s.ref for s in sources)}"
        for path, sources in sorted(r.provenance.items())
    )


def _reasons(r: PatientResult, names: dict[str, str]) -> tuple[str, str]:
    if r.result is None:
        return "", r.reason
    failed = r.result.failed
    return " ".join(failed), "; ".join(f"{k} {names.get(k, '')}".strip() for k in failed)


def candidate_rows(p: Prescreen, site: str) -> list[dict[str, Any]]:
    return [
        {
            "rank": i,
            "patient_id": r.patient_id,
            "overall": r.result.overall if r.result else "",
            "criteria_open": " ".join(
                c.id for c in (r.result.criteria if r.result else ()) if c.status == "cannot_tell"
            ),
            "fields_to_check": len(r.to_check),
            "to_check": "; ".join(r.to_check),
            "from_ehr": _sources(r),
        }
        for i, r in enumerate(p.candidates(site), start=1)
    ]


def excluded_rows(p: Prescreen, site: str, names: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for r in p.excluded(site):
        failed, reasons = _reasons(r, names)
        rows.append(
            {
                "patient_id": r.patient_id,
                "failed": failed,
                "reasons": reasons,
                "from_ehr": _sources(r),
            }
        )
    return rows


def _csv(rows: list[dict[str, Any]], columns: tuple[str, ...], path: Path) -> None:
    frame = (
        pl.DataFrame(rows, schema=list(columns))
        if rows
        else pl.DataFrame({c: [] for c in columns}, schema={c: pl.String for c in columns})
    )
    frame.write_csv(path)


def summary(p: Prescreen) -> dict[str, Any]:
    export = p.export
    return {
        "screening_date": str(p.screening_date),
        "patients": len(export.patients),
        "resources_read": dict(sorted(export.resources.items())),
        "resource_types_not_read": dict(sorted(export.not_read.items())),
        "hcc_population": len(p.results),
        "candidates": sum(r.candidate for r in p.results),
        "excluded": sum(not r.candidate for r in p.results),
        "problems": len(export.problems) + len(p.problems),
        "unknown_codes": sum(export.unknown_codes.values()),
        "sites": {
            s: {"candidates": len(p.candidates(s)), "excluded": len(p.excluded(s))} for s in p.sites
        },
    }


def write_prescreen(
    p: Prescreen, protocol: Protocol, out: Path, language: str = "en"
) -> dict[str, Any]:
    """Write every output file into ``out`` (created); return the summary. The pages and
    the criteria's names in ``excluded.csv`` are in ``language`` (``en``, ``zh-hans``)."""
    t = labels(language)
    out.mkdir(parents=True, exist_ok=True)
    names = {k.id: k.names.get(language) or k.names.get("en", "") for k in protocol.criteria}
    env = Environment(
        loader=PackageLoader("oligotrial.interop.fhir", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    page = env.get_template("prescreen_site.html")
    for site in p.sites:
        folder = out / site.replace("/", "_")
        folder.mkdir(exist_ok=True)
        candidates, excluded = candidate_rows(p, site), excluded_rows(p, site, names)
        _csv(candidates, _CANDIDATE_COLUMNS, folder / "candidates.csv")
        _csv(excluded, _EXCLUDED_COLUMNS, folder / "excluded.csv")
        html = page.render(
            t=t,
            lang=language,
            site=site,
            protocol=protocol,
            day=p.screening_date,
            candidates=candidates,
            excluded=excluded,
        )
        (folder / "index.html").write_text(html, encoding="utf-8")
    problems = [
        {"file": x.file, "line": x.line, "problem": x.problem}
        for x in sorted(p.export.problems + p.problems, key=lambda x: (x.file, x.line))
    ]
    pl.DataFrame(
        problems, schema={"file": pl.String, "line": pl.Int64, "problem": pl.String}
    ).write_csv(out / "problems.csv")
    unknown = [
        {"resource": k, "system": s, "code": c, "count": n}
        for (k, s, c), n in sorted(p.export.unknown_codes.items(), key=lambda kv: (-kv[1], kv[0]))
    ]  # ties in code order, so that a partitioned run writes the same file
    pl.DataFrame(
        unknown,
        schema={"resource": pl.String, "system": pl.String, "code": pl.String, "count": pl.Int64},
    ).write_csv(out / "unknown-codes.csv")
    info = summary(p)
    (out / "summary.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
    index = env.get_template("prescreen_index.html")
    (out / "index.html").write_text(
        index.render(
            t=t,
            lang=language,
            info=info,
            protocol=protocol,
            problems=problems[:200],
            unknown=unknown[:50],
        ),
        encoding="utf-8",
    )
    return info
