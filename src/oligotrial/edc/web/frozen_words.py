"""The refusal of a change to frozen data (:func:`oligotrial.edc.services.data_guard.
frozen_message`) in the user's language, with what is frozen, when, by whom and why kept.

The pages' message translators try this first; the API shows the service's own words.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

_FROZEN = re.compile(
    r"^(?P<what>.+) is frozen \(since (?P<when>\d{4}-\d{2}-\d{2} \d{2}:\d{2}) UTC by "
    r"(?P<who>[^:]+): (?P<why>.*)\); no change is possible until a data manager unfreezes it$",
    re.S,
)
_PATIENT = re.compile(r"^patient (?P<n>\S+)$")
_VISIT = re.compile(r"^visit (?P<v>\S+) of patient (?P<n>\S+)$")
_FORM = re.compile(r"^(?P<kind>\S+) (?P<id>\S+) of patient (?P<n>\S+)$")


def _what(text: str) -> str:
    if m := _PATIENT.match(text):
        return _("patient %(n)s") % m.groupdict()
    if m := _VISIT.match(text):
        return _("visit %(v)s of patient %(n)s") % m.groupdict()
    if m := _FORM.match(text):
        return _("record %(kind)s %(id)s of patient %(n)s") % m.groupdict()
    return text


def frozen_text(problem: str) -> str | None:
    """``problem`` in the active language if it is a frozen-data refusal, else None."""
    m = _FROZEN.match(problem)
    if m is None:
        return None
    return _(
        "%(what)s is frozen (since %(when)s UTC, by %(who)s: %(why)s); no change is possible "
        "until a data manager unfreezes it"
    ) % {**m.groupdict(), "what": _what(m["what"])}
