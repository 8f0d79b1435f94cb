"""The RECIST engine's reasons read in Chinese: every clause the engine writes is known,
its numbers and lesion codes kept; a clause no pattern knows is shown as written."""

from __future__ import annotations

import re

import pytest

REASONS = [
    "PR: sum 35 mm ≤ 0.7 × baseline 70 mm (-50.0%); non-target NT1 present",
    "PD: sum 84 mm ≥ 1.2 × nadir 70 mm and +14 mm; non-target NT1 present",
    "PD: sum 90 mm (partial: T2 not assessed) ≥ 1.2 × nadir 70 mm and +20 mm",
    "NE: T2, T3 not assessed; assessed sum 20 mm does not show PD",
    "SD: sum 60 mm, -14.3% from baseline, +5 mm vs nadir 55 mm: neither PR nor PD; "
    "non-target NT1 not assessed",
    "CR: all non-nodal targets gone, every nodal target < 10 mm short axis; "
    "all non-target lesions absent",
    "PR: targets CR but non-target NT1 present; new lesion N1 equivocal",
    "PD: unequivocal progression of non-target NT2",
    "PD: unequivocal new lesion N1, N2",
    "NON-CR/NON-PD: non-target NT1 present (non-target disease only); "
    "new node N3 short axis 8 mm < 10 mm",
    "PD: new lesion N1 first seen here as equivocal, confirmed on 2026-09-01 "
    "(was PR: sum 35 mm ≤ 0.7 × baseline 70 mm (-50.0%); new lesion N1 equivocal)",
    "SD: no enhancing tumour in any target; no non-target lesions at baseline",
    "visit date is not after the baseline scan (2026-11-29)",
]


@pytest.mark.parametrize("reason", REASONS)
def test_each_clause_is_said_in_chinese_with_its_values(reason: str) -> None:
    from django.utils import translation

    from oligotrial.edc.web.visits.response_words import reason_words

    with translation.override("zh-hans"):
        said = reason_words(reason)
    words = re.sub(r"\b(CR|PR|SD|PD|NE|NON-CR/NON-PD|mm|[A-Z]+\d+)\b", "", said)
    assert not re.search(r"[a-z]{3,}", words), said  # no English word is left
    for value in re.findall(r"\b[A-Z]+\d+\b|[-+]?\d+(?:\.\d+)?", reason):
        assert value in said, (value, said)


def test_english_is_unchanged_and_an_unknown_clause_is_kept() -> None:
    from django.utils import translation

    from oligotrial.edc.web.visits.response_words import reason_words

    with translation.override("en"):
        assert reason_words(REASONS[0]) == REASONS[0]
        assert reason_words(REASONS[10]) != ""  # nested reason: still one sentence
    with translation.override("zh-hans"):
        said = reason_words("PR: sum 35 mm ≤ 0.7 × baseline 70 mm (-50.0%); a clause to come")
    assert said == "PR: 径线总和 35 mm ≤ 0.7 × 基线 70 mm（-50.0%）；a clause to come"


def test_a_frozen_data_refusal_in_chinese_keeps_what_when_who_and_why() -> None:
    from django.utils import translation

    from oligotrial.edc.web.frozen_words import frozen_text

    said = (
        "lab 12 of patient S01-001 is frozen (since 2026-12-01 08:30 UTC by dm: SDV done; "
        "values final); no change is possible until a data manager unfreezes it"
    )
    with translation.override("zh-hans"):
        assert frozen_text(said) == (
            "患者 S01-001 的记录 lab 12 已冻结（自 2026-12-01 08:30 UTC 起，由 dm 冻结："
            "SDV done; values final）；数据管理员解冻前不能修改"
        )
        assert frozen_text("the database is locked") is None


def test_an_out_of_window_query_reads_in_chinese() -> None:
    from django.utils import translation

    from oligotrial.edc.web.history.messages import translated

    with translation.override("zh-hans"):
        said = translated(
            "visit 1 on 2026-12-06 is 56 days from its due date 2027-01-31 (window ±7)"
        )
        assert said == "访视 1 于 2026-12-06 进行，距预定日期 2027-01-31 56 天（窗口 ±7 天）"
        assert translation.gettext("History") == "修改历史"  # a value's history, not 病史
