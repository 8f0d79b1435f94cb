#!/usr/bin/env python3
"""Convert NCI's CTCAE v5.0 spreadsheet to ``src/oligotrial/clinical/data/ctcae_v5.json``.

Source: Common Terminology Criteria for Adverse Events (CTCAE) version 5.0, U.S. Department
of Health and Human Services, National Cancer Institute, published 27 November 2017, the
"Clean Copy" sheet of ``CTCAE_v5.0_2017-11-27.xlsx`` as distributed by NCI EVS at
https://evs.nci.nih.gov/ftp1/CTCAE/CTCAE_5.0/CTCAE_v5.0_2017-11-27.xlsx
(SHA-256 e0b04ae9e88a47d7ae27f43d3a7e38632830a61dd349521e0627fb91e1b001a3; 837 terms).

Each row becomes one term: its MedDRA code (lowest level term), MedDRA system organ class,
CTCAE term, grade 1-5 definitions (``null`` where CTCAE gives "-": the grade does not exist
for that term), definition and navigational note. Texts are kept as NCI wrote them, with
runs of white space (the sheet's non-breaking spaces included) made single spaces.

Usage: python scripts/ctcae_v5_json.py CTCAE_v5.0_2017-11-27.xlsx [OUT.json]
Needs openpyxl (a dev dependency).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

import openpyxl

SHA256 = "e0b04ae9e88a47d7ae27f43d3a7e38632830a61dd349521e0627fb91e1b001a3"
SOURCE = "https://evs.nci.nih.gov/ftp1/CTCAE/CTCAE_5.0/CTCAE_v5.0_2017-11-27.xlsx"
HEADER = ("MedDRA Code", "MedDRA SOC", "CTCAE Term")
OUT = Path(__file__).resolve().parent.parent / "src/oligotrial/clinical/data/ctcae_v5.json"


def _text(value: object) -> str | None:
    """A cell as one-line text; None for an empty cell or CTCAE's "-" (no such grade)."""
    if value is None:
        return None
    text = re.sub(r"\s+", " ", str(value)).strip()
    return None if text in {"", "-"} else text


def convert(xlsx: Path) -> dict[str, Any]:
    digest = hashlib.sha256(xlsx.read_bytes()).hexdigest()
    if digest != SHA256:
        raise SystemExit(f"{xlsx}: SHA-256 {digest}, expected NCI's file {SHA256}")
    sheet = openpyxl.load_workbook(xlsx, read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    header = [_text(c) or "" for c in rows[0]]
    if tuple(header[:3]) != HEADER or not header[3].startswith("Grade 1"):
        raise SystemExit(f"{xlsx}: unexpected columns {header}")
    terms = []
    for row in rows[1:]:
        if row[0] is None:
            continue
        term, soc = _text(row[2]), _text(row[1])
        assert term and soc, row
        terms.append(
            {
                "meddra_code": int(str(row[0])),
                "soc": soc,
                "term": term,
                "grades": {str(g): _text(row[2 + g]) for g in range(1, 6)},
                "definition": _text(row[8]),
                "note": _text(row[9]),
            }
        )
    if len({t["term"].lower() for t in terms}) != len(terms):
        raise SystemExit("a term appears twice")
    return {
        "name": "Common Terminology Criteria for Adverse Events",
        "version": "5.0",
        "published": "2017-11-27",
        "publisher": "National Cancer Institute",
        "source": SOURCE,
        "sha256": SHA256,
        "terms": terms,
    }


def main(argv: list[str]) -> None:
    if len(argv) not in (2, 3):
        raise SystemExit(__doc__)
    out = Path(argv[2]) if len(argv) == 3 else OUT
    data = convert(Path(argv[1]))
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(data['terms'])} terms -> {out}")


if __name__ == "__main__":
    main(sys.argv)
