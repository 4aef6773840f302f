"""Forms for managers running a programme from the web (edit, cohorts, firms, contacts, pairs,
invitations). They parse input only; the rules live in the services."""

from __future__ import annotations

from django import forms

from locus.peers.dates import DatePartsField
from locus.peers.forms import ProgrammeForm, RegistrationForm, _int, _text
from locus.peers.models.firms import PairKind


def _float(label: str, *, min_value: float, max_value: float, unit: str) -> forms.FloatField:
    return forms.FloatField(min_value=min_value, max_value=max_value, error_messages={
        "required": f"Enter the {label.lower()}", "invalid": f"Enter a number of {unit}",
        "min_value": f"{label} must be {min_value:g} or more",
        "max_value": f"{label} must be {max_value:g} or less"})


class ProgrammeEditForm(ProgrammeForm):
    open_registration = None  # the settings page has the "Registration is open" checkbox
    registration_open = forms.BooleanField(required=False)
    require_in_area = forms.BooleanField(required=False)
    max_km = _float("Furthest distance between members", min_value=1, max_value=500,
                    unit="kilometres")
    competitor_km = _float("Competitor distance", min_value=0, max_value=500,
                           unit="kilometres")
    sector_cap = _int("Firms per industry division", min_value=1, max_value=60)
    time_limit_seconds = _float("Time limit", min_value=1, max_value=600, unit="seconds")
    meeting_minutes = _int("Meeting length in minutes", min_value=15, max_value=600)
    completion_meetings = _int("Meetings to complete", min_value=1, max_value=52)


class CohortForm(forms.Form):
    name = _text("Enter the cohort's name", max_length=120)
    starts_on = DatePartsField(noun="cohort's start date", required=False)


class FirmAddForm(RegistrationForm):
    """The registration form as a manager fills it in for a firm (no password)."""

    cohort = forms.TypedChoiceField(coerce=int, empty_value=None, choices=(),
                                    error_messages={"required": "Choose a cohort"})

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, programme=programme, **kwargs)
        del self.fields["password"]
        self.fields["consent"].error_messages["required"] = (
            "Confirm that the contact agreed that we may store these details")
        if programme is not None:
            self.fields["cohort"].choices = [(c.pk, c.name) for c in programme.cohorts.all()]


class ContactForm(forms.Form):
    name = _text("Enter the contact's full name")
    email = _text("", required=False, max_length=254)
    phone = _text("", required=False, max_length=30)
    job_title = _text("", required=False, max_length=120)
    consent = forms.BooleanField(error_messages={
        "required": "Confirm that the contact agreed that we may store these details"})
    consent_research = forms.BooleanField(required=False)


class PairForm(forms.Form):
    other = forms.TypedChoiceField(coerce=int, choices=(), error_messages={
        "required": "Choose the other firm", "invalid_choice": "Choose the other firm"})
    kind = forms.ChoiceField(choices=PairKind.choices, error_messages={
        "required": "Choose why these firms must not meet together"})
    note = _text("", required=False, max_length=300)


class InviteForm(forms.Form):
    email = _text("Enter the email address to send the invitation to", max_length=254)
    name = _text("Enter the person's full name", max_length=150)
