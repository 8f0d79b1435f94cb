"""The services' and the record model's messages in the user's language.

The domain speaks English (the CLI and the API show it as it is); here its usual sentences
are matched and said again in the active language, with their values kept. A sentence no
pattern knows is shown in the active language's frame with the original words inside, so
nothing is ever hidden.
"""

from __future__ import annotations

import re

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oligotrial.edc.web.screening.labels import path_label

_PATTERNS: tuple[tuple[re.Pattern[str], Promise], ...] = tuple(
    (re.compile(pattern), template)
    for pattern, template in (
        (r"^required field is missing$", gettext_lazy("is required")),
        (r"^is required$", gettext_lazy("is required")),
        (r"^a whole number is required", gettext_lazy("a whole number is required")),
        (r"^a finite number is required$", gettext_lazy("a number is required")),
        (r"^a date is required as YYYY-MM-DD$", gettext_lazy("a date is required (YYYY-MM-DD)")),
        (r"^answer yes or no$", gettext_lazy("answer yes or no")),
        (
            r"^(?P<day>\S+) is in the future \(after (?P<today>\S+)\)$",
            gettext_lazy("%(day)s is in the future (after %(today)s)"),
        ),
        (
            r"^(?P<day>\S+) is before (?P<other>[\w.]+) \((?P<when>\S+)\)$",
            gettext_lazy("%(day)s is before %(other)s (%(when)s)"),
        ),
        (
            r"^Input should be greater than or equal to (?P<n>[-\d.]+)",
            gettext_lazy("must be at least %(n)s"),
        ),
        (
            r"^Input should be less than or equal to (?P<n>[-\d.]+)",
            gettext_lazy("must be at most %(n)s"),
        ),
        (r"^Input should be greater than (?P<n>[-\d.]+)", gettext_lazy("must be above %(n)s")),
        (
            r"^(?:\w+ )?must be greater than 0, got (?P<got>\S+)$",
            gettext_lazy("must be greater than 0 (got %(got)s)"),
        ),
        (
            r"^must be a finite number 0 or more, got (?P<got>\S+)$",
            gettext_lazy("must be 0 or more (got %(got)s)"),
        ),
        (r"^Input should be ", gettext_lazy("this choice is not one of the list")),
        (r"^is (?P<n>\d+) characters long; at most (?P<m>\d+)$", gettext_lazy("too long")),
        (
            r"^no patient '(?P<n>[^']*)' at your site\(s\)$",
            gettext_lazy("no patient %(n)s at your site"),
        ),
        (
            r"^patient (?P<n>\S+) is (?P<s>\w+); screening is closed",
            gettext_lazy("patient %(n)s is no longer in screening; correct the stored record"),
        ),
        (
            r"^short_axis_mm: .* is longer than longest_diameter_mm",
            gettext_lazy("the short axis is longer than the longest diameter"),
        ),
        (r"^lower_limit is above upper_limit$", gettext_lazy("the lower limit is above the upper")),
        (
            r"^no signed informed consent is recorded$",
            gettext_lazy("no signed consent is recorded"),
        ),
        (
            r"^consent is dated (?P<d>\S+), after the randomization date$",
            gettext_lazy("consent is dated %(d)s, after the randomization date"),
        ),
        (
            r"^no screening \(eligibility evaluation\) is recorded$",
            gettext_lazy("no screening record is stored"),
        ),
        (
            r"^the screening is dated after the randomization date$",
            gettext_lazy("the screening is dated after the randomization date"),
        ),
        (
            r"^stratification factor (?P<f>\S+) is not recorded$",
            gettext_lazy("stratification factor %(f)s is not known"),
        ),
    )
)


_MORE = re.compile(r" \(and (\d+) more problem\(s\)\)$")


_LATEST = re.compile(r"^the latest screening is (?P<what>.*)$")
_AGAINST = re.compile(r"not eligible by (?P<ids>[IE]\d+(?:, [IE]\d+)*)")
_UNKNOWN = re.compile(r"(?P<id>[IE]\d+) \(missing (?P<paths>[^)]*)\)")


def _latest(what: str) -> str:
    """Why the stored record does not allow randomization, criterion by criterion, the
    missing data named as the form names them."""
    parts = []
    against = _AGAINST.search(what)
    if against:
        parts.append(_("not eligible by %(ids)s") % {"ids": against.group("ids")})
    for unknown in _UNKNOWN.finditer(what):
        paths = ", ".join(path_label(p.strip()) for p in unknown.group("paths").split(","))
        parts.append(
            _("%(id)s cannot tell (missing %(paths)s)") % {**unknown.groupdict(), "paths": paths}
        )
    return _("the stored screening record does not allow it: %(why)s") % {"why": "; ".join(parts)}


def problem_text(problem: str) -> str:
    """``problem`` in the active language."""
    latest = _LATEST.match(problem)
    if latest:
        return _latest(latest.group("what"))
    more = _MORE.search(problem)
    if more:
        extra = _("(and %(n)s more)") % {"n": more.group(1)}
        return f"{problem_text(problem[: more.start()])} {extra}"
    for pattern, template in _PATTERNS:
        match = pattern.match(problem)
        if match:
            return str(template) % match.groupdict() if match.groupdict() else str(template)
    return _("not accepted: %(detail)s") % {"detail": problem}


def error_text(field: str, problem: str) -> str:
    """A whole message: the field in words, then the problem."""
    where = path_label(field) if field else ""
    text = problem_text(problem)
    return f"{where}: {text}" if where else text
