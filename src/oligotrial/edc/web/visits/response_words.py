"""The RECIST engine's reason for a time-point response, in the user's language.

The engine (:mod:`oligotrial.response`) gives its reason in English, one clause per part
(targets, non-targets, new lesions: ``PR: sum 35 mm ≤ 0.7 × baseline 70 mm (-50.0%);
non-target NT1 present``). Each clause it writes is matched here with its numbers and
lesion codes taken out, and said again in the active language with them put back. A clause
no pattern knows is shown as the engine wrote it, so nothing is hidden. The response codes
(CR, PR, SD, PD, NE) stay as they are: they are RECIST's own terms in both languages.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

Render = Callable[[dict[str, str]], str]

_CLAUSES: tuple[tuple[re.Pattern[str], Render], ...] = tuple(
    (re.compile(f"^{pattern}$"), render)
    for pattern, render in (
        (
            r"sum (?P<s>\S+) mm ≤ 0\.7 × baseline (?P<b>\S+) mm \((?P<c>\S+)%\)",
            lambda m: _("sum %(s)s mm ≤ 0.7 × baseline %(b)s mm (%(c)s%%)") % m,
        ),
        (
            r"sum (?P<s>\S+) mm(?: \(partial: (?P<missing>.+) not assessed\))? "
            r"≥ 1\.2 × nadir (?P<n>\S+) mm(?: and \+(?P<a>\S+) mm)?",
            lambda m: _progression(m),
        ),
        (
            r"sum (?P<s>\S+) mm, (?P<c>\S+)% from baseline, (?P<d>\S+) mm vs nadir "
            r"(?P<n>\S+) mm: neither PR nor PD",
            lambda m: (
                _(
                    "sum %(s)s mm, %(c)s%% from baseline, %(d)s mm from the nadir %(n)s mm: "
                    "neither PR nor PD"
                )
                % m
            ),
        ),
        (
            r"assessed sum (?P<s>\S+) mm does not show PD",
            lambda m: _("the assessed sum %(s)s mm does not show PD") % m,
        ),
        (
            r"all non-nodal targets gone(?P<nodes>, every nodal target < 10 mm short axis)?",
            lambda m: (
                _("all non-nodal targets gone")
                + (_(", every nodal target < 10 mm short axis") if m.get("nodes") else "")
            ),
        ),
        (
            r"no enhancing tumour in any target(?P<nodes>, every nodal target < 10 mm short "
            r"axis)?",
            lambda m: (
                _("no enhancing tumour in any target")
                + (_(", every nodal target < 10 mm short axis") if m.get("nodes") else "")
            ),
        ),
        (
            r"unequivocal progression of non-target (?P<ids>.+)",
            lambda m: _("unequivocal progression of non-target %(ids)s") % m,
        ),
        (
            r"non-target (?P<ids>.+) not assessed",
            lambda m: _("non-target %(ids)s not assessed") % m,
        ),
        (r"non-target (?P<ids>.+) present", lambda m: _("non-target %(ids)s present") % m),
        (r"all non-target lesions absent", lambda m: _("all non-target lesions absent")),
        (r"no non-target lesions at baseline", lambda m: _("no non-target lesions at baseline")),
        (r"no new lesion", lambda m: _("no new lesion")),
        (r"unequivocal new lesion (?P<ids>.+)", lambda m: _("unequivocal new lesion %(ids)s") % m),
        (r"new lesion (?P<id>\S+) equivocal", lambda m: _("new lesion %(id)s equivocal") % m),
        (
            r"new node (?P<id>\S+) short axis (?P<s>\S+) mm < 10 mm",
            lambda m: _("new node %(id)s: short axis %(s)s mm < 10 mm") % m,
        ),
        (
            r"new effusion (?P<id>\S+) without positive cytology",
            lambda m: _("new effusion %(id)s without positive cytology") % m,
        ),
        (
            r"new liver lesion (?P<id>\S+) not ≥ 10 mm",
            lambda m: _("new liver lesion %(id)s not ≥ 10 mm") % m,
        ),
        (
            r"new liver lesion (?P<id>\S+) without arterial enhancement and washout",
            lambda m: _("new liver lesion %(id)s without arterial enhancement and washout") % m,
        ),
        (
            r"new lesion (?P<id>\S+) first seen here as equivocal, confirmed on (?P<d>\S+) "
            r"\(was (?P<was>.+)\)",
            lambda m: (
                _("new lesion %(id)s, equivocal here, confirmed on %(d)s (was: %(was)s)")
                % {**m, "was": reason_words(m["was"])}
            ),
        ),
        (
            r"targets CR but (?P<rest>.+)",
            lambda m: _("targets CR, but %(rest)s") % {"rest": _clause(m["rest"])},
        ),
        (
            r"(?P<rest>.+) \(non-target disease only\)",
            lambda m: _("%(rest)s (non-target disease only)") % {"rest": _clause(m["rest"])},
        ),
        (r"(?P<ids>[\w, ]+) not assessed", lambda m: _("%(ids)s not assessed") % m),
        (
            r"visit date is not after the baseline scan \((?P<d>\S+)\)",
            lambda m: _("the visit date is not after the baseline scan (%(d)s)") % m,
        ),
        (
            r"visit date is before randomization \((?P<d>\S+)\)",
            lambda m: _("the visit date is before randomization (%(d)s)") % m,
        ),
        (r"the patient is not randomized", lambda m: _("the patient is not randomized")),
        (
            r"the baseline assessment is not recorded",
            lambda m: _("the baseline assessment is not recorded"),
        ),
        (r"the scan date is required", lambda m: _("the scan date is required")),
    )
)
_CODE = re.compile(r"^(?P<code>CR|PR|SD|PD|NE|NON-CR/NON-PD): (?P<rest>.*)$", re.S)


def _progression(m: dict[str, str]) -> str:
    text = _("sum %(s)s mm ≥ 1.2 × nadir %(n)s mm") % m
    if m.get("a"):
        text += _(" and +%(a)s mm") % m
    if m.get("missing"):
        text += _(" (partial: %(missing)s not assessed)") % m
    return text


def _clause(text: str) -> str:
    for pattern, render in _CLAUSES:
        match = pattern.match(text)
        if match:
            return render({k: v for k, v in match.groupdict().items() if v is not None})
    return text


def reason_words(reason: str) -> str:
    """``reason`` (``CODE: clause; clause``) with each known clause in the active language."""
    match = _CODE.match(reason)
    code, rest = (match["code"] + ": ", match["rest"]) if match else ("", reason)
    return code + _("; ").join(_clause(part) for part in _clauses(rest))


def _clauses(text: str) -> list[str]:
    """``text`` split at "; " outside parentheses (a nested reason stays whole)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and text.startswith("; ", i):
            parts.append(text[start:i])
            start = i + 2
    return [*parts, text[start:]]
