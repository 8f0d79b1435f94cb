"""How recorded values are shown and typed in: translated choice labels, yes/no, ISO dates,
and the form field that reads a correction of one model field (the service then checks it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from oligotrial.edc.services.corrections import MAX_REASON

#: labels of the stored choice values, translated (the models keep the English ones)
CHOICE_LABELS: dict[str, Any] = {
    "unrelated": _("Unrelated"),
    "unlikely": _("Unlikely"),
    "possible": _("Possible"),
    "probable": _("Probable"),
    "definite": _("Definite"),
    "not_applicable": _("Not applicable"),
    "recovered": _("Recovered"),
    "recovering": _("Recovering"),
    "not_recovered": _("Not recovered"),
    "sequelae": _("Recovered with sequelae"),
    "fatal": _("Fatal"),
    "unknown": _("Unknown"),
    "scheduled": _("Scheduled"),
    "done": _("Done"),
    "missed": _("Missed"),
}

FIELD_LABELS: dict[str, Any] = {
    "term": _("CTCAE term"),
    "grade": _("Grade"),
    "onset_date": _("Onset date"),
    "resolved_date": _("Resolution date"),
    "serious": _("Serious"),
    "sae_death": _("Results in death"),
    "sae_life_threatening": _("Life-threatening"),
    "sae_hospitalisation": _("Requires or prolongs hospitalisation"),
    "sae_disability": _("Persistent or significant disability/incapacity"),
    "sae_congenital_anomaly": _("Congenital anomaly/birth defect"),
    "sae_medically_important": _("Other medically important event"),
    "related_rt": _("Related to radiotherapy"),
    "related_flst": _("Related to first-line therapy"),
    "related_slst": _("Related to second-line therapy"),
    "outcome": _("Outcome"),
    "analyte": _("Analyte"),
    "value": _("Value"),
    "unit": _("Unit"),
    "reference_low": _("Reference low"),
    "reference_high": _("Reference high"),
    "sampled_on": _("Sampled on"),
    "visit_date": _("Visit date"),
    "version": _("Consent version"),
    "signed_on": _("Signed on"),
    "withdrawn_on": _("Withdrawn on"),
    "status": _("Status"),
    "reason": _("Reason for the change"),
}


def label_of(name: str) -> Any:
    return FIELD_LABELS.get(name, name)


def shown(value: Any) -> str:
    """A stored value as the page shows it (dates ISO, yes/no, choice labels; "—" if empty)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str) and value in CHOICE_LABELS:
        return str(CHOICE_LABELS[value])
    return str(value)


def iso_date_field(label: Any, required: bool) -> forms.DateField:
    """A date typed and shown in ISO form (YYYY-MM-DD) whatever the browser's language."""
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(
            format="%Y-%m-%d",
            attrs={
                "placeholder": "YYYY-MM-DD",
                "pattern": r"\d{4}-\d{2}-\d{2}",
                "inputmode": "numeric",
                "size": 11,
                "autocomplete": "off",
            },
        ),
    )


def _choices(field: models.Field[Any, Any]) -> list[tuple[str, str]]:
    return [(value, str(CHOICE_LABELS.get(value, label))) for value, label in field.choices or []]


def value_field(field: models.Field[Any, Any]) -> forms.Field:
    """The form field that reads a new value of ``field`` typed as the service expects it."""
    required = not field.null
    label = label_of(field.name)
    if field.choices:
        return forms.ChoiceField(label=label, choices=_choices(field))
    if isinstance(field, models.BooleanField):
        return forms.TypedChoiceField(
            label=label,
            choices=[("true", _("Yes")), ("false", _("No"))],
            coerce=lambda v: v == "true",
        )
    if isinstance(field, models.DateField):
        return iso_date_field(label, required)
    if isinstance(field, models.IntegerField):
        return forms.IntegerField(label=label, required=required)
    if isinstance(field, models.FloatField):
        return forms.FloatField(label=label, required=required)
    return forms.CharField(
        label=label, required=not field.blank, max_length=field.max_length, strip=True
    )


def correction_form(
    field: models.Field[Any, Any], data: Any = None, initial: Any = None
) -> forms.Form:
    """A form with the new value and the reason for the change (both required)."""
    form = forms.Form(data=data, initial={"value": initial})
    form.fields["value"] = value_field(field)
    form.fields["reason"] = forms.CharField(
        label=label_of("reason"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    return form
