"""Checking a data cut folder: every file against its recorded SHA-256, every number of the
reports against a re-derivation from the cut's own files.

The reports are derived again (:func:`~.cut_reports.render_cut_reports`, the path that made
them) and compared with the stored ones as text, figures left out (they are drawn from the
same numbers): each line that differs is named with its stored and its re-derived text, so
an altered data set shows as the numbers it changes.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from oligotrial.errors import OligotrialError
from oligotrial.reports.cut_stamp import REPORTS, CutStamp, hash_files, read_manifest

_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_STYLE = re.compile(r"<style\b.*?</style>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Difference:
    report: str
    stored: str  # the report's text ("" when the line is new)
    derived: str  # the text derived again from the files ("" when the line is gone)


@dataclass(frozen=True)
class CutCheck:
    stamp: CutStamp
    files: int
    altered: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # re-derivation impossible, and why

    @property
    def ok(self) -> bool:
        return not (
            self.altered or self.missing or self.unexpected or self.differences or self.problems
        )


def report_lines(text: str) -> list[str]:
    """The visible text of a report, one line per table cell or paragraph, figures left out."""
    bare = _TAG.sub("\n", _STYLE.sub("", _IMAGE.sub("", text)))
    lines = (" ".join(html.unescape(line).split()) for line in bare.splitlines())
    return [line for line in lines if line]


def compare_reports(name: str, stored: str, derived: str) -> list[Difference]:
    old, new = report_lines(stored), report_lines(derived)
    out: list[Difference] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        a, b = old[i1:i2], new[j1:j2]
        for k in range(max(len(a), len(b))):
            out.append(Difference(name, a[k] if k < len(a) else "", b[k] if k < len(b) else ""))
    return out


def verify_cut(folder: Path) -> CutCheck:
    """Re-hash every file of the cut in ``folder`` and re-derive its reports."""
    stamp, recorded = read_manifest(folder)
    present = hash_files(folder)
    check = CutCheck(stamp, len(recorded))
    for name, digest in sorted(recorded.items()):
        if name not in present:
            check.missing.append(name)
        elif present[name] != digest:
            check.altered.append(name)
    check.unexpected.extend(sorted(set(present) - set(recorded)))
    for name, digest in stamp.sources.items():
        if recorded.get(name) != digest:
            check.problems.append(f"manifest: {name} is not the file the reports were made from")
    try:
        from oligotrial.reports.cut_reports import render_cut_reports

        derived = render_cut_reports(folder, stamp)
    except OligotrialError as exc:
        check.problems.append(f"the reports cannot be derived again: {exc}")
        return check
    for name in REPORTS:
        path = folder / name
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            check.differences.extend(compare_reports(name, text, derived[name]))
    return check
