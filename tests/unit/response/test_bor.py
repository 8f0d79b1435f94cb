"""Best overall response, unconfirmed and confirmed.

The confirmed cases follow the situations of admiralonco's derive_param_confirmed_bor tests
(PR then CR too early, confirmation at exactly 28 vs 27 days, NE between two PRs, a PR
interrupted by SD, CR followed by PR, early SD then PD vs then lost to follow-up), rebuilt
here with our own dates and this trial's 42-day SD minimum.
"""

from __future__ import annotations

import datetime as dt

import pytest

from oligotrial.response import ResponseResult, ResponseSettings, TimePoint, best_overall_response

RAND = dt.date(2025, 1, 1)


def _result(*visits: tuple[int, str]) -> ResponseResult:
    points = tuple(
        TimePoint(
            RAND + dt.timedelta(days=day),
            day,
            None,
            None,
            None,
            None,
            None,
            "NA",
            "NA",
            "no",
            overall,
            overall,
        )  # type: ignore[arg-type]
        for day, overall in visits
    )
    return ResponseResult("recist1.1", RAND, None, (), (), points)


def _bor(
    *visits: tuple[int, str], confirmed: bool = False, **settings: object
) -> tuple[str, int | None]:
    best = best_overall_response(
        _result(*visits),
        ResponseSettings(**settings),
        confirmed=confirmed,  # type: ignore[arg-type]
    )
    return best.response, None if best.date is None else (best.date - RAND).days


# --- unconfirmed (the trial's default) ------------------------------------------------------


def test_unconfirmed_takes_the_best_before_progression() -> None:
    res = _result((56, "SD"), (112, "PR"), (168, "PD"), (224, "CR"))
    best = best_overall_response(res)
    assert (best.response, best.confirmed) == ("PR", False)
    assert best.first_response_date == RAND + dt.timedelta(days=112)
    assert best.progression_date == RAND + dt.timedelta(days=168)


def test_visits_after_new_anticancer_therapy_do_not_count() -> None:
    res = _result((56, "SD"), (112, "PR"))
    best = best_overall_response(res, new_therapy_date=RAND + dt.timedelta(days=100))
    assert best.response == "SD"
    same_day = best_overall_response(res, new_therapy_date=RAND + dt.timedelta(days=112))
    assert same_day.response == "PR"  # a scan on the day therapy starts still counts


@pytest.mark.parametrize(("day", "expected"), [(42, ("SD", 42)), (41, ("NE", 41))])
def test_sd_needs_42_days_from_randomization(day: int, expected: tuple[str, int]) -> None:
    assert _bor((day, "SD")) == expected


def test_early_sd_then_pd_is_pd() -> None:
    assert _bor((35, "SD"), (70, "PD")) == ("PD", 70)


def test_early_sd_then_lost_to_follow_up_is_ne() -> None:
    assert _bor((35, "SD")) == ("NE", 35)


def test_non_target_only_best_is_non_cr_non_pd() -> None:
    assert _bor((56, "NON-CR/NON-PD"), (112, "PD")) == ("NON-CR/NON-PD", 56)


def test_no_assessment_is_ne() -> None:
    best = best_overall_response(_result())
    assert best.response == "NE" and best.date is None
    assert "no post-baseline assessment" in best.reason


def test_only_ne_visits() -> None:
    assert _bor((56, "NE"), (112, "NE")) == ("NE", 56)


def test_setting_switches_the_default_to_confirmed() -> None:
    res = _result((56, "PR"), (70, "PR"))
    assert best_overall_response(res).response == "PR"
    assert best_overall_response(res, ResponseSettings(confirmation_required=True)).response == "SD"


# --- confirmed (sensitivity analysis) -------------------------------------------------------


@pytest.mark.parametrize(("second", "expected"), [(84, ("PR", 56)), (83, ("SD", 56))])
def test_confirmation_at_exactly_28_days_vs_27(second: int, expected: tuple[str, int]) -> None:
    assert _bor((56, "PR"), (second, "PR"), confirmed=True) == expected


@pytest.mark.parametrize(("second", "expected"), [(84, ("CR", 56)), (83, ("SD", 56))])
def test_cr_confirmation_boundary(second: int, expected: tuple[str, int]) -> None:
    assert _bor((56, "CR"), (second, "CR"), confirmed=True) == expected


def test_pr_then_cr_too_early_is_not_confirmed() -> None:
    assert _bor((49, "PR"), (63, "CR"), confirmed=True) == ("SD", 49)


def test_pr_then_cr_too_early_then_pr_again_is_not_confirmed() -> None:
    # a PR after a CR breaks the confirmation (the CR cannot be real)
    assert _bor((49, "PR"), (63, "CR"), (105, "PR"), confirmed=True) == ("SD", 49)


def test_pr_confirmed_by_a_later_cr() -> None:
    assert _bor((56, "PR"), (84, "CR"), confirmed=True) == ("PR", 56)


def test_cr_confirmed_after_earlier_pr() -> None:
    assert _bor((56, "PR"), (84, "CR"), (112, "CR"), confirmed=True) == ("CR", 84)


def test_one_ne_between_two_prs_is_allowed() -> None:
    assert _bor((56, "PR"), (84, "NE"), (112, "PR"), confirmed=True) == ("PR", 56)


def test_two_ne_between_two_prs_are_not() -> None:
    assert _bor((56, "PR"), (70, "NE"), (84, "NE"), (112, "PR"), confirmed=True) == ("SD", 56)


def test_no_ne_allowed_when_set_to_zero() -> None:
    visits = ((56, "PR"), (84, "NE"), (112, "PR"))
    assert _bor(*visits, confirmed=True, confirmation_max_ne=0) == ("SD", 56)


def test_sd_between_two_prs_breaks_confirmation() -> None:
    assert _bor((28, "SD"), (56, "PR"), (84, "SD"), (112, "PR"), confirmed=True) == ("SD", 56)


def test_cr_with_ne_between_is_confirmed() -> None:
    assert _bor((30, "PR"), (60, "CR"), (75, "NE"), (90, "CR"), (120, "SD"), confirmed=True) == (
        "CR",
        60,
    )


def test_early_responses_then_only_ne_is_ne() -> None:
    assert _bor((4, "PR"), (14, "CR"), (59, "NE"), confirmed=True) == ("NE", 4)


def test_confirmation_must_come_before_progression() -> None:
    assert _bor((56, "PR"), (70, "PD"), (84, "PR"), confirmed=True) == ("SD", 56)


def test_pd_first_is_pd_in_both_modes() -> None:
    assert _bor((45, "PD"), (63, "SD")) == ("PD", 45)
    assert _bor((45, "PD"), (63, "SD"), confirmed=True) == ("PD", 45)


def test_reasons_say_what_confirmed_the_response() -> None:
    best = best_overall_response(_result((56, "PR"), (84, "PR")), confirmed=True)
    assert best.reason == "PR: PR on 2025-02-26 confirmed by PR on 2025-03-26 (28 days ≥ 28)"


def test_first_response_date_is_the_first_cr_or_pr() -> None:
    best = best_overall_response(_result((56, "PR"), (112, "CR"), (168, "PD")))
    assert (best.response, best.date, best.first_response_date) == (
        "CR",
        RAND + dt.timedelta(days=112),
        RAND + dt.timedelta(days=56),
    )
    assert best.reason == "CR: first on 2025-04-23 (unconfirmed); response since 2025-02-26"


def test_confirmed_first_response_date_is_the_first_confirmed_response() -> None:
    res = _result((28, "PR"), (56, "PR"), (84, "CR"), (112, "CR"))
    best = best_overall_response(res, confirmed=True)
    assert (best.response, best.date) == ("CR", RAND + dt.timedelta(days=84))
    assert best.first_response_date == RAND + dt.timedelta(days=28)
