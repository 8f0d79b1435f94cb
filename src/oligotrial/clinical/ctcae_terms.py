"""The CTCAE v5.0 dictionary: every term with its MedDRA code, system organ class and the
grade 1-5 definitions (NCI, Common Terminology Criteria for Adverse Events v5.0, 27 November
2017; ``data/ctcae_v5.json``, converted from NCI's spreadsheet by
``scripts/ctcae_v5_json.py``).

A grade CTCAE marks "-" for a term does not exist for it (fatigue has no grade 4 or 5; hepatic
failure starts at grade 3), so an adverse event may carry only a defined grade. Terms are
matched without regard to case or surrounding space and stored in CTCAE's own spelling.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from oligotrial.errors import InputError

#: the SOC reported for a term the dictionary does not hold (never guessed)
NOT_CODED = "Not coded"
VERSION = "5.0"


@dataclass(frozen=True)
class CtcaeTerm:
    term: str
    meddra_code: int
    soc: str
    #: (grade, definition) for each grade CTCAE defines for the term, in order
    grades: tuple[tuple[int, str], ...]
    definition: str | None = None
    note: str | None = None

    @property
    def grade_numbers(self) -> tuple[int, ...]:
        return tuple(g for g, _ in self.grades)

    def definition_of(self, grade: int) -> str | None:
        return dict(self.grades).get(grade)


@cache
def dictionary() -> dict[str, CtcaeTerm]:
    """Every CTCAE v5.0 term, keyed by its lower-case spelling (read once)."""
    text = resources.files("oligotrial.clinical").joinpath("data/ctcae_v5.json").read_text("utf-8")
    data = json.loads(text)
    out: dict[str, CtcaeTerm] = {}
    for row in data["terms"]:
        grades = tuple((int(g), d) for g, d in sorted(row["grades"].items()) if d is not None)
        term = CtcaeTerm(
            row["term"], row["meddra_code"], row["soc"], grades, row["definition"], row["note"]
        )
        out[term.term.lower()] = term
    return out


def find_term(name: object) -> CtcaeTerm | None:
    """The term spelled ``name`` (any case), or None."""
    if not isinstance(name, str):
        return None
    return dictionary().get(" ".join(name.split()).lower())


def lookup(name: object, field: str = "term") -> CtcaeTerm:
    """The term spelled ``name``; InputError naming ``field`` when CTCAE v5.0 has no such term."""
    term = find_term(name)
    if term is None:
        shown = name if isinstance(name, str) else repr(name)
        raise InputError(field, f"{shown!r} is not a CTCAE v5.0 term; pick a term from the list")
    return term


def check_grade(term: CtcaeTerm, grade: int, field: str = "grade") -> None:
    """Refuse a grade CTCAE v5.0 does not define for ``term``."""
    if term.definition_of(grade) is None:
        allowed = ", ".join(str(g) for g in term.grade_numbers)
        raise InputError(
            field, f"CTCAE v5.0 defines no grade {grade} for {term.term} (grades {allowed})"
        )


def soc_of(name: str) -> str:
    """The MedDRA system organ class of a term (any case), or "Not coded"."""
    term = find_term(name)
    return term.soc if term is not None else NOT_CODED


def search(text: str, limit: int = 20) -> list[CtcaeTerm]:
    """Terms containing every word of ``text`` (any case): those starting with it first, then
    those with a word starting with it, then the rest; alphabetical within each."""
    words = text.lower().split()
    if not words:
        return []
    query = " ".join(words)

    def rank(key: str) -> tuple[int, str]:
        if key.startswith(query):
            return (0, key)
        if any(part.startswith(words[0]) for part in key.replace("-", " ").split()):
            return (1, key)
        return (2, key)

    found = [key for key in dictionary() if all(w in key for w in words)]
    return [dictionary()[key] for key in sorted(found, key=rank)[:limit]]
