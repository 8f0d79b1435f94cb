"""A service's refusal shown at the form field it names, in the user's language: messages
without variable parts through the catalogue, the common ones with dates and ranges by their
pattern; any other in the service's own words."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django import forms
from django.utils.translation import gettext, gettext_noop

from oligotrial.edc.web.frozen_words import frozen_text
from oligotrial.errors import InputError, OligotrialError

#: services' messages without variable parts, in the catalogue so that they are translated
SERVICE_MESSAGES = (
    gettext_noop("the new value equals the recorded one"),
    gettext_noop("is required"),
    gettext_noop("a value is required"),
    gettext_noop("grade 5 and a fatal outcome go together"),
    gettext_noop("a fatal event (grade 5) is serious; tick serious"),
    gettext_noop("a fatal event (grade 5) results in death; tick it"),
    gettext_noop("only a fatal event (grade 5, outcome fatal) results in death"),
    gettext_noop("a seriousness criterion is ticked, so the event is serious; tick serious"),
    gettext_noop(
        "a serious event needs at least one seriousness criterion (ICH E2A); tick those it meets"
    ),
    gettext_noop("adverse events are recorded after consent; none is"),
    gettext_noop("the reference range is inverted"),
    gettext_noop("a visit that took place needs its date"),
    gettext_noop("a dated visit is done; set the status to done"),
    # edit checks' query messages
    gettext_noop("the AE is recovered but has no resolution date"),
    gettext_noop("the RT course has no end date"),
    # the names of the dates the services compare
    gettext_noop("the consent date"),
    gettext_noop("the randomization date"),
    gettext_noop("the first adverse event's onset"),
    gettext_noop("birth_date"),
    gettext_noop("onset_date"),
    gettext_noop("signed_on"),
)
_DATE = r"(\d{4}-\d{2}-\d{2})"


def _before(m: re.Match[str]) -> str:
    return gettext("%(date)s is before %(what)s %(other)s") % {
        "date": m[1],
        "what": gettext(m[2]),
        "other": m[3],
    }


def _after_death(m: re.Match[str]) -> str:
    return gettext("%(date)s is after the recorded death on %(death)s") % {
        "date": m[1],
        "death": m[2],
    }


def _future(m: re.Match[str]) -> str:
    return gettext("%(date)s is in the future") % {"date": m[1]}


def _range(m: re.Match[str]) -> str:
    return gettext("%(value)s is outside the plausible range %(range)s") % {
        "value": m[1],
        "range": m[2],
    }


def _not_a_term(m: re.Match[str]) -> str:
    return gettext("“%(term)s” is not a CTCAE v5.0 term; pick a term from the list.") % {
        "term": m[1]
    }


def _no_such_grade(m: re.Match[str]) -> str:
    return gettext("CTCAE v5.0 defines no grade %(grade)s for %(term)s (grades %(allowed)s).") % {
        "grade": m[1],
        "term": m[2],
        "allowed": m[3],
    }


def _out_of_window(m: re.Match[str]) -> str:
    return gettext(
        "visit %(number)s on %(date)s is %(gap)s days from its due date %(due)s "
        "(window ±%(window)s)"
    ) % {"number": m[1], "date": m[2], "gap": m[3], "due": m[4], "window": m[5]}


PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(
            rf"^visit (\d+) on {_DATE} is (\d+) days from its due date {_DATE} \(window ±(\d+)\)$"
        ),
        _out_of_window,
    ),
    (re.compile(rf"^{_DATE} is before (.+) {_DATE}$"), _before),
    (re.compile(rf"^{_DATE} is after the recorded death on {_DATE}$"), _after_death),
    (re.compile(rf"^{_DATE} is in the future$"), _future),
    (re.compile(r"^(.+?) is outside the plausible range (.+)$"), _range),
    (re.compile(r"^'(.*)' is not a CTCAE v5\.0 term; pick a term from the list$"), _not_a_term),
    (re.compile(r"^CTCAE v5\.0 defines no grade (\d+) for (.+) \(grades (.+)\)$"), _no_such_grade),
)


def translated(problem: str) -> str:
    """``problem`` in the active language where the catalogue or a pattern has it."""
    frozen = frozen_text(problem)
    if frozen is not None:
        return frozen
    for pattern, render in PATTERNS:
        found = pattern.match(problem)
        if found:
            return render(found)
    return gettext(problem)


def add_service_error(
    form: forms.Form,
    exc: OligotrialError,
    fields: Iterable[str],
    rename: dict[str, str] | None = None,
) -> None:
    """Put ``exc``'s message on the form field it names (a dotted path's last part, or the
    name in ``rename``), else above the form."""
    if isinstance(exc, InputError):
        name = exc.field.rsplit(".", 1)[-1]
        name = (rename or {}).get(name, name)
        target = name if name in set(fields) and name in form.fields else None
        form.add_error(target, translated(exc.problem))
    else:
        form.add_error(None, gettext(str(exc)))
