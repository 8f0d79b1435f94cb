"""The laboratory's results file: each bad line reported by number and field, the others read."""

from __future__ import annotations

import pytest

from oligotrial.errors import InputError
from oligotrial.exploratory import read_results

HEADER = "sample_id,ctdna_detected,mean_vaf,max_vaf,tumour_fraction,unit,mutations\n"


def test_percent_and_fraction_units_give_percent() -> None:
    good, problems = read_results(
        HEADER
        + "A-CT1,yes,1.5,3,6,%,TP53 p.R249S 3; TERT c.-124C>T 0.5\n"
        + "A-CT2,Detected,0.01,0.02,0.04,fraction,ctnnb1 p.S45P 0.02\n"
        + "A-BX1,,,,,%,TP53 p.R249S 30\n"
    )
    assert problems == []
    assert [g.max_vaf_percent for g in good] == [3.0, 2.0, None]
    assert good[1].mutations[0].gene == "CTNNB1" and good[1].mutations[0].vaf_percent == 2.0
    assert good[2].ctdna_detected is None and good[0].ctdna_detected is True


@pytest.mark.parametrize(
    ("line", "field", "words"),
    [
        ("B,yes,1,101,2,%,", "max_vaf", "impossible"),
        ("B,yes,-0.1,1,2,%,", "mean_vaf", "impossible"),
        ("B,yes,0.01,0.02,1.2,fraction,", "tumour_fraction", "impossible"),
        ("B,yes,1,2,3,ppm,", "unit", "not a unit"),
        ("B,maybe,1,2,3,%,", "ctdna_detected", "yes or no"),
        ("B,no,0,2,3,%,", "ctdna_detected", "VAF above zero"),
        ("B,yes,3,2,3,%,", "max_vaf", "below the mean"),
        ("B,yes,1,two,3,%,", "max_vaf", "not a number"),
        ("B,yes,1,2,3,%,TP53 p.R249S", "mutations", "GENE HGVS VAF"),
        ("B,yes,1,2,3,%,TP53 p.R249S 140", "mutations (entry 1)", "impossible"),
        (",yes,1,2,3,%,", "sample_id", "empty"),
        ("B,yes,1,2", "line", "number of fields"),
    ],
)
def test_a_bad_line_is_reported_and_the_next_still_read(line: str, field: str, words: str) -> None:
    good, problems = read_results(HEADER + line + "\nC,no,0,0,0,%,\n")
    assert [g.sample_id for g in good] == ["C"]
    assert len(problems) == 1 and problems[0].line == 2 and problems[0].field == field
    assert words in problems[0].message


def test_a_duplicate_keeps_the_first_line() -> None:
    good, problems = read_results(HEADER + "A,no,,,,%,\nA,yes,1,2,3,%,\n")
    assert [g.line for g in good] == [2]
    assert str(problems[0]) == "line 3 (A): sample_id: duplicate of line 2"


def test_a_file_without_the_columns_is_refused() -> None:
    with pytest.raises(InputError, match="mean_vaf"):
        read_results("sample_id,max_vaf\nA,1\n")
