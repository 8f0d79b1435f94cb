"""Forms of signing, freezing and locking: they parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from oligotrial.edc.services.kinds import KINDS


class SignForm(forms.Form):
    visit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("Authenticator code"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class FreezeForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("What to freeze"),
        choices=[
            ("patient", _("The whole patient")),
            ("visit", _("A visit")),
            ("form", _("A form")),
        ],
    )
    visit_number = forms.IntegerField(label=_("Visit number"), required=False)
    kind = forms.ChoiceField(
        label=_("Form kind"),
        required=False,
        choices=[("", "—"), *((name, name) for name in KINDS)],
    )
    record_id = forms.IntegerField(label=_("Record id"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
