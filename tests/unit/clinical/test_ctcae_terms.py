"""The CTCAE v5.0 dictionary (oligotrial.clinical.ctcae_terms) read from its data file."""

from __future__ import annotations

import pytest

from oligotrial.clinical import ctcae
from oligotrial.clinical.ctcae_terms import (
    NOT_CODED,
    check_grade,
    dictionary,
    lookup,
    search,
    soc_of,
)
from oligotrial.errors import InputError


def test_every_term_of_ctcae_v5_with_code_soc_and_grades() -> None:
    terms = dictionary()
    assert len(terms) == 837  # NCI's sheet, 27 November 2017
    assert len({t.soc for t in terms.values()}) == 26
    assert all(t.grades and 10_000_000 <= t.meddra_code < 11_000_000 for t in terms.values())
    anemia = lookup("anemia")
    assert (anemia.term, anemia.meddra_code, anemia.soc) == (
        "Anemia",
        10002272,
        "Blood and lymphatic system disorders",
    )
    assert anemia.grade_numbers == (1, 2, 3, 4, 5)
    assert anemia.definition_of(5) == "Death"


def test_grades_ctcae_marks_absent_do_not_exist() -> None:
    assert lookup("Fatigue").grade_numbers == (1, 2, 3)
    assert lookup("Hepatic failure").grade_numbers == (3, 4, 5)
    check_grade(lookup("Fatigue"), 3)
    with pytest.raises(InputError) as err:
        check_grade(lookup("Fatigue"), 4)
    assert err.value.field == "grade"
    assert "grades 1, 2, 3" in err.value.problem


def test_unknown_terms_are_refused_by_name() -> None:
    with pytest.raises(InputError) as err:
        lookup("Radiation-induced liver disease")
    assert err.value.field == "term"
    assert "not a CTCAE v5.0 term" in err.value.problem
    assert soc_of("Radiation-induced liver disease") == NOT_CODED
    assert lookup("  platelet COUNT decreased ").term == "Platelet count decreased"


def test_search_puts_terms_starting_with_the_text_first() -> None:
    found = [t.term for t in search("hyper")]
    assert found[0].startswith("Hyper")
    assert "Hypertension" in found or len(found) == 20
    assert [t.term for t in search("alanine amino")] == ["Alanine aminotransferase increased"]
    assert search("   ") == []
    assert len(search("a", limit=7)) == 7


@pytest.mark.parametrize("term", ["alt", "ast", "bilirubin", "platelets", "neutrophils"])
def test_the_lab_grading_terms_are_dictionary_terms(term: str) -> None:
    names = [name for name, key in ctcae._ALIASES.items() if key == term and " " in name]
    assert names
    for name in names:
        assert lookup(name).soc == "Investigations"
