"""Best overall response (RECIST 1.1 §4.4), unconfirmed and confirmed.

Only time points up to and including the first PD and on or before the start of a new
anticancer therapy count. Unconfirmed (the default for this randomized trial): the best
time-point response; SD (or non-CR/non-PD) counts only at a visit ≥ ``sd_min_days`` after
randomization, otherwise the patient is PD if progression follows, else NE.

Confirmed (sensitivity analysis; the situations of admiralonco's ``derive_param_confirmed_bor``):
a CR needs another CR ≥ ``confirmation_min_days`` later with only CR or NE between; a PR
needs a CR or PR that late with only CR, PR or NE between and no PR after a CR; at most
``confirmation_max_ne`` NE visits in between. An unconfirmed CR/PR falls back to SD when the
visit is late enough for SD.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from oligotrial.response.settings import ResponseSettings
from oligotrial.response.timepoint import OverallResponse, ResponseResult, TimePoint


@dataclass(frozen=True)
class BestResponse:
    """Best overall response of one patient."""

    response: OverallResponse
    date: dt.date | None  # date of the visit that determines the best response
    first_response_date: dt.date | None  # first (confirmed, if asked) CR/PR
    progression_date: dt.date | None  # first PD among the visits considered
    confirmed: bool
    reason: str


def eligible_points(
    time_points: Sequence[TimePoint], new_therapy_date: dt.date | None
) -> list[TimePoint]:
    """Visits up to the first PD and on or before the start of new anticancer therapy."""
    kept: list[TimePoint] = []
    for tp in time_points:
        if new_therapy_date is not None and tp.date > new_therapy_date:
            break
        kept.append(tp)
        if tp.overall == "PD":
            break
    return kept


def best_overall_response(
    result: ResponseResult,
    settings: ResponseSettings | None = None,
    *,
    confirmed: bool | None = None,
    new_therapy_date: dt.date | None = None,
) -> BestResponse:
    """Best overall response; ``confirmed`` defaults to the protocol's setting."""
    settings = settings or ResponseSettings()
    confirm = settings.confirmation_required if confirmed is None else confirmed
    points = eligible_points(result.time_points, new_therapy_date)
    pd_date = next((tp.date for tp in points if tp.overall == "PD"), None)
    if not points:
        return BestResponse("NE", None, None, None, confirm, "NE: no post-baseline assessment")
    if confirm:
        confirmed_points = [
            (tp, partner)
            for i, tp in enumerate(points)
            if tp.overall in ("CR", "PR") and (partner := _confirmation(points, i, settings))
        ]
        responses = [tp for tp, _ in confirmed_points]
    else:
        responses = [tp for tp in points if tp.overall in ("CR", "PR")]
    if responses:
        best = min(responses, key=lambda tp: (tp.overall != "CR", tp.date))
        first = responses[0].date
        if confirm:
            partner = next(p for tp, p in confirmed_points if tp is best)
            gap = (partner.date - best.date).days
            why = (
                f"{best.overall} on {best.date.isoformat()} confirmed by {partner.overall} on "
                f"{partner.date.isoformat()} ({gap} days ≥ {settings.confirmation_min_days})"
            )
        else:
            why = f"first on {best.date.isoformat()} (unconfirmed)"
        if first != best.date:
            why += f"; response since {first.isoformat()}"
        return BestResponse(
            best.overall, best.date, first, pd_date, confirm, f"{best.overall}: {why}"
        )
    return _stable_or_worse(points, result.randomization_date, settings, pd_date, confirm)


def _stable_or_worse(
    points: list[TimePoint],
    randomized: dt.date,
    settings: ResponseSettings,
    pd_date: dt.date | None,
    confirm: bool,
) -> BestResponse:
    for tp in points:
        if tp.overall in ("CR", "PR", "SD", "NON-CR/NON-PD") and tp.day >= settings.sd_min_days:
            label: OverallResponse = "NON-CR/NON-PD" if tp.overall == "NON-CR/NON-PD" else "SD"
            extra = f" ({tp.overall} not confirmed)" if tp.overall in ("CR", "PR") else ""
            return BestResponse(
                label,
                tp.date,
                None,
                pd_date,
                confirm,
                f"{label}: {tp.overall} on day {tp.day} ≥ {settings.sd_min_days} days"
                f" after randomization{extra}",
            )
    if pd_date is not None:
        early = [tp for tp in points if tp.overall in ("CR", "PR", "SD", "NON-CR/NON-PD")]
        why = "PD: progression on " + pd_date.isoformat()
        if early:
            why += (
                f"; earlier {early[0].overall} on day {early[0].day} < {settings.sd_min_days} days"
            )
        return BestResponse("PD", pd_date, None, pd_date, confirm, why)
    first = points[0]
    if first.overall != "NE":
        return BestResponse(
            "NE",
            first.date,
            None,
            None,
            confirm,
            f"NE: {first.overall} on day {first.day} < {settings.sd_min_days} days"
            " and no later evaluable visit",
        )
    return BestResponse("NE", first.date, None, None, confirm, "NE: no evaluable visit")


def _confirmation(points: list[TimePoint], i: int, settings: ResponseSettings) -> TimePoint | None:
    start = points[i]
    allowed_between = {"CR", "NE"} if start.overall == "CR" else {"CR", "PR", "NE"}
    allowed_end = {"CR"} if start.overall == "CR" else {"CR", "PR"}
    seen_cr = start.overall == "CR"
    ne_count = 0
    for later in points[i + 1 :]:
        if seen_cr and later.overall == "PR":
            return None
        if (
            later.date - start.date
        ).days >= settings.confirmation_min_days and later.overall in allowed_end:
            return later
        if later.overall not in allowed_between:
            return None
        if later.overall == "NE":
            ne_count += 1
            if ne_count > settings.confirmation_max_ne:
                return None
        seen_cr = seen_cr or later.overall == "CR"
    return None
