"""A service's error shown in the user's language next to the field it names.

Services speak English with the values in the text (``2026-12-07 is in the future``); each
known wording here is matched with its values taken out, and the translated wording gets
them back. A wording not listed is shown as the service gave it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from oligotrial.edc.web.frozen_words import frozen_text
from oligotrial.errors import InputError, OligotrialError

_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[dict[str, str]], str]], ...] = tuple(
    (re.compile(pattern), render)
    for pattern, render in (
        (r"^(?P<day>\S+) is in the future$", lambda m: _("%(day)s is in the future") % m),
        (
            r"^(?P<day>\S+) is before (?P<what>.+) (?P<other>\d{4}-\d{2}-\d{2})$",
            lambda m: _("%(day)s is before %(what)s %(other)s") % {**m, "what": _what(m["what"])},
        ),
        (
            r"^(?P<value>\S+?)(?: (?P<unit>Gy|mm))? is outside the plausible range "
            r"(?P<low>\S+)–(?P<high>\S+?)(?: (?:Gy|mm))?$",
            lambda m: (
                _("%(value)s is outside the plausible range %(low)s–%(high)s")
                % {**m, "value": _with_unit(m["value"], m), "high": _with_unit(m["high"], m)}
            ),
        ),
        (r"^is required$|^a value is required$", lambda m: _("This field is required.")),
        (r"^(?P<value>\S+) is negative$", lambda m: _("%(value)s is negative") % m),
        (r"^the dose must be positive$", lambda m: _("The dose must be positive.")),
        (
            r"^this record already exists",
            lambda m: _("This record already exists; correct the existing one instead."),
        ),
        (
            r"^an absent lesion has no diameter$",
            lambda m: _("An absent lesion has no diameter."),
        ),
        (r"^entered twice in this sample$", lambda m: _("Entered twice in this sample.")),
        (r"^enter at least one result$", lambda m: _("Enter at least one result.")),
        (r"^enter at least one lesion$", lambda m: _("Enter at least one lesion.")),
        (r"^the unit of \S+ is required$", lambda m: _("The unit is required.")),
        (
            r"^unknown unit '(?P<unit>[^']*)' for \S+; allowed: (?P<allowed>.*)$",
            lambda m: _("Unknown unit %(unit)s; allowed: %(allowed)s") % m,
        ),
        (r"^\S+ cannot be negative", lambda m: _("The value cannot be negative.")),
        (
            r"^(?P<day>\S+) is after the recorded death on (?P<death>\S+)$",
            lambda m: _("%(day)s is after the recorded death on %(death)s") % m,
        ),
        (
            r"^a (?P<what>\w+) is recorded on (?P<day>\S+), after (?P<death>\S+)$",
            lambda m: _("A record is dated %(day)s, after %(death)s") % m,
        ),
        (
            r"is not a (?P<kind>\w+) time point of the protocol \((?P<points>.*)\)$",
            lambda m: _("Not a time point of the protocol (%(points)s).") % m,
        ),
        (
            r"^visit \d+ of patient \S+ is already (?P<status>\w+)",
            lambda m: _("This visit is already recorded; correct it instead."),
        ),
        (
            r"^exposure \d+ already stopped on (?P<day>\S+)$",
            lambda m: _("This treatment period already ended on %(day)s.") % m,
        ),
        (
            r"^a (?P<role>\S+) lesion cannot be added at",
            lambda m: _("This kind of lesion cannot be added at this visit."),
        ),
        (
            r"^patient \S+ is not randomized",
            lambda m: _("The patient is not randomized; no follow-up data can be entered yet."),
        ),
        (
            r"^the database is locked",
            lambda m: _("The database is locked for analysis; no change is possible."),
        ),
    )
)


def _with_unit(number: str, m: dict[str, str]) -> str:
    return f"{number} {m['unit']}" if m.get("unit") else number


_WHATS = {
    "the randomization date": lambda: _("the randomization date"),
    "the consent date": lambda: _("the consent date"),
    "28 days before randomization": lambda: _("28 days before randomization"),
}


def _what(text: str) -> str:
    known = _WHATS.get(text)
    return known() if known else text


def translated(problem: str) -> str:
    """``problem`` in the active language when its wording is known, else as given."""
    frozen = frozen_text(problem)
    if frozen is not None:
        return frozen
    for pattern, render in _PATTERNS:
        match = pattern.search(problem)
        if match:
            return render({k: v for k, v in match.groupdict().items() if v is not None})
    return problem


def field_of(exc: OligotrialError) -> str:
    """The dotted field an error names (blank for an error about the whole form)."""
    return exc.field if isinstance(exc, InputError) else ""


def message_of(exc: OligotrialError) -> str:
    """The error's problem, translated."""
    return translated(exc.problem if isinstance(exc, InputError) else str(exc))
