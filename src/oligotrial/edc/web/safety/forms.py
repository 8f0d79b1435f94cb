"""The adverse event form: typed values for the record service, messages in the user's
language. The term and its grade are checked against the CTCAE v5.0 dictionary
(:mod:`oligotrial.clinical.ctcae_terms`), the same functions the service calls; the ICH E2A
seriousness criteria are checkboxes the page shows once "serious" is ticked, and the
service's rules on them (kinds.check_seriousness) come back at the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from oligotrial.clinical.ctcae_terms import CtcaeTerm, find_term
from oligotrial.edc.models import SERIOUSNESS_CRITERIA, AdverseEvent
from oligotrial.edc.web.history.values import CHOICE_LABELS, iso_date_field, label_of

GRADES = [(g, str(g)) for g in range(1, 6)]
NO_SUCH_GRADE = gettext_noop(
    "CTCAE v5.0 defines no grade %(grade)s for %(term)s (grades %(allowed)s)."
)


def _choices(name: str) -> list[tuple[str, str]]:
    field = AdverseEvent._meta.get_field(name)
    return [(v, str(CHOICE_LABELS.get(v, label))) for v, label in field.choices or []]  # type: ignore[union-attr]


def _date(name: str, required: bool) -> forms.DateField:
    return iso_date_field(label_of(name), required)


class AdverseEventForm(forms.Form):
    term = forms.CharField(max_length=120, strip=True)
    grade = forms.TypedChoiceField(choices=GRADES, coerce=int, widget=forms.RadioSelect)
    onset_date = _date("onset_date", True)
    resolved_date = _date("resolved_date", False)
    serious = forms.BooleanField(required=False)
    sae_death = forms.BooleanField(required=False)
    sae_life_threatening = forms.BooleanField(required=False)
    sae_hospitalisation = forms.BooleanField(required=False)
    sae_disability = forms.BooleanField(required=False)
    sae_congenital_anomaly = forms.BooleanField(required=False)
    sae_medically_important = forms.BooleanField(required=False)
    related_rt = forms.ChoiceField()
    related_flst = forms.ChoiceField()
    related_slst = forms.ChoiceField()
    outcome = forms.ChoiceField()
    once = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("term", "grade", "serious", "related_rt", "related_flst", "related_slst"):
            self.fields[name].label = label_of(name)
        for name in SERIOUSNESS_CRITERIA:
            self.fields[name].label = label_of(name)
        self.fields["outcome"].label = label_of("outcome")
        for name in ("related_rt", "related_flst", "related_slst", "outcome"):
            self.fields[name].choices = _choices(name)  # type: ignore[attr-defined]
        self.fields["term"].help_text = _("Type a few letters and pick the CTCAE v5.0 term.")

    def criteria(self) -> list[forms.BoundField]:
        """The seriousness criteria's fields, in ICH E2A's order."""
        return [self[name] for name in SERIOUSNESS_CRITERIA]

    def chosen_term(self) -> CtcaeTerm | None:
        """The dictionary term typed or picked (bound or initial value), if any."""
        value = self.data.get("term") if self.is_bound else self.initial.get("term")
        return find_term(value)

    def grade_options(self) -> list[tuple[int, str | None, bool]]:
        """(grade, the chosen term's definition of it, checked) for each grade offered: the
        grades CTCAE defines for the chosen term, all five before a term is chosen."""
        term = self.chosen_term()
        picked = str(self.data.get("grade", "")) if self.is_bound else ""
        if term is None:
            return [(g, None, picked == str(g)) for g in range(1, 6)]
        return [(g, text, picked == str(g)) for g, text in term.grades]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name = data.get("term")
        if name:
            term = find_term(name)
            if term is None:
                self.add_error(
                    "term",
                    _("“%(term)s” is not a CTCAE v5.0 term; pick a term from the list.")
                    % {"term": name},
                )
            else:
                data["term"] = term.term
                grade = data.get("grade")
                if grade is not None and term.definition_of(grade) is None:
                    self.add_error(
                        "grade",
                        _(NO_SUCH_GRADE)
                        % {
                            "grade": grade,
                            "term": term.term,
                            "allowed": ", ".join(str(g) for g in term.grade_numbers),
                        },
                    )
        return data

    def values(self) -> dict[str, Any]:
        """The record service's values (the form's token left out)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "once"}


def grade_field(term_name: str) -> forms.Field:
    """The grade of an event of ``term_name``: one of the grades CTCAE defines for it, each
    with its definition (any grade 1-5 when the stored term is not in the dictionary)."""
    term = find_term(term_name)
    grades = term.grades if term is not None else tuple((g, "") for g in range(1, 6))
    choices = [
        (g, f"{_('Grade %(g)s') % {'g': g}}{' — ' + text if text else ''}") for g, text in grades
    ]
    return forms.TypedChoiceField(
        label=label_of("grade"), choices=choices, coerce=int, widget=forms.RadioSelect
    )
