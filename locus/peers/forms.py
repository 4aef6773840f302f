"""Forms: they parse input only; the rules live in services. Messages follow GOV.UK style."""

from __future__ import annotations

from django import forms
from django.core import validators
from django.utils import timezone

from locus.peers.dates import DatePartsField
from locus.peers.diagnostics import ADOPTION, MANAGEMENT_QUESTIONS, TECHNOLOGIES
from locus.peers.models.firms import MeetingMode
from locus.peers.models.meetings import Mode, Presence
from locus.peers.models.outcomes import Wave
from locus.peers.scheduling import CADENCES, PATTERNS


def _int(label: str, *, required: bool = True, min_value: int = 0, max_value: int | None = None,
         noun: str = "") -> forms.IntegerField:
    noun = noun or label.lower()
    return forms.IntegerField(required=required, min_value=min_value, max_value=max_value,
                              error_messages={
                                  "required": f"Enter {noun}",
                                  "invalid": f"{label} must be a whole number",
                                  "min_value": f"{label} must be {min_value} or more",
                                  "max_value": f"{label} must be {max_value} or less"})


class PoundsField(forms.DecimalField):
    """An amount of pounds as people type it: a £ sign, thousands commas and spaces are allowed
    ('£12,000' is 12000), as on the cost ledger; a comma anywhere else ('12,00') is an error, not
    read as 1200."""

    def to_python(self, value):
        if isinstance(value, str):
            from locus.peers.costs import pounds_text

            try:
                value = pounds_text(value)
            except ValueError as exc:
                raise forms.ValidationError(f"Enter an amount in pounds, like 12,000: {exc}",
                                            code="invalid") from exc
        return super().to_python(value)


def _text(message: str, *, required: bool = True, max_length: int = 200) -> forms.CharField:
    return forms.CharField(required=required, max_length=max_length, strip=True,
                           error_messages={"required": message,
                                           "max_length": f"Must be {max_length} characters or "
                                                         "fewer"})


def form_errors(form: forms.Form) -> list[tuple[str, str]]:
    """(element id, message) pairs for the GOV.UK error summary; a date links to its first
    wrong box."""
    out = []
    for name, errors in form.errors.as_data().items():
        target = "id_" + name if name != "__all__" else "main-content"
        field = form.fields.get(name)
        if isinstance(field, DatePartsField):
            target += "-" + (field.error_parts(errors) or ["day"])[0]
        out += [(target, message) for e in errors for message in e.messages]
    return out


class RegistrationForm(forms.Form):
    business_name = _text("Enter the name of the business")
    company_number = _text("", required=False, max_length=12)
    sic = _text("Enter the business's SIC 2007 code", max_length=10)
    employees = _int("Number of employees", noun="the number of employees", max_value=1_000_000)
    turnover = PoundsField(required=False, min_value=0, max_digits=14, decimal_places=0,
                           error_messages={"invalid": "Turnover must be a number of "
                                           "pounds, like 250000",
                                           "min_value": "Turnover cannot be negative"})
    trading_since = _int("Year the business started trading", required=False, min_value=1800,
                         max_value=2100)
    postcode = _text("Enter the business's postcode", max_length=12)
    meeting_mode = forms.ChoiceField(choices=MeetingMode.choices, error_messages={
        "required": "Choose how the business can meet"})
    themes = forms.MultipleChoiceField(required=False, choices=())
    contact_name = _text("Enter your full name")
    email = _text("Enter your email address", max_length=254)
    phone = _text("", required=False, max_length=30)
    job_title = _text("", required=False, max_length=120)
    consent = forms.BooleanField(error_messages={
        "required": "Confirm that we may store these details to run the programme"})
    consent_research = forms.BooleanField(required=False)
    password = forms.CharField(required=False, max_length=128, strip=False)

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        # a business cannot have started trading in a year still to come (2099 was accepted)
        year, since = timezone.localdate().year, self.fields["trading_since"]
        since.max_value = year
        since.validators = [v for v in since.validators
                            if not isinstance(v, validators.MaxValueValidator)]
        since.validators.append(validators.MaxValueValidator(year))
        since.error_messages["max_value"] = ("Year the business started trading must be this "
                                             f"year ({year}) or earlier")
        if programme is not None:
            self.fields["themes"].choices = [(str(t.pk), t.name) for t in programme.themes.all()]
            if programme.min_turnover is not None or programme.max_turnover is not None:
                self.fields["turnover"].required = True
                self.fields["turnover"].error_messages["required"] = "Enter the annual turnover"
            if programme.min_years_trading is not None:
                self.fields["trading_since"].required = True
                self.fields["trading_since"].error_messages["required"] = \
                    "Enter the year the business started trading"


_POUNDS = {"invalid": "Enter a turnover in whole pounds, like 100000",
           "min_value": "Turnover cannot be negative",
           "max_digits": "Enter a turnover of less than £100 billion",
           "max_decimal_places": "Enter a turnover in whole pounds, like 100000"}


class ProgrammeForm(forms.Form):
    name = _text("Enter the programme's name")
    summary = forms.CharField(required=False, widget=forms.Textarea, max_length=2000)
    places = _text("Enter at least one place served", max_length=500)  # in the page's order
    starts_on = DatePartsField(noun="start date")
    ends_on = DatePartsField(noun="end date")
    budget = PoundsField(min_value=0, max_digits=12, decimal_places=2, error_messages={
        "required": "Enter the budget", "invalid": "Enter the budget in pounds, like 120000"})
    delivery_partner = _text("", required=False)
    digital_themes = forms.CharField(required=False, widget=forms.Textarea, max_length=2000)
    management_themes = forms.CharField(required=False, widget=forms.Textarea, max_length=2000)
    # asked on "Start a programme" only, with no answer chosen for the manager: a new programme
    # was public and open for registration the moment it was created (QA H20 F4)
    open_registration = forms.ChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        error_messages={"required": "Select whether to open registration now",
                        "invalid_choice": "Select whether to open registration now"})
    min_years_trading = _int("Years trading", required=False, max_value=200)
    min_employees = _int("Minimum employees", required=False)
    max_employees = _int("Maximum employees", required=False)
    min_turnover = PoundsField(required=False, min_value=0, max_digits=14, decimal_places=0,
                               error_messages=_POUNDS)
    max_turnover = PoundsField(required=False, min_value=0, max_digits=14, decimal_places=0,
                               error_messages=_POUNDS)
    group_min_size = _int("Smallest group", min_value=2, max_value=60)
    group_max_size = _int("Largest group", min_value=2, max_value=60)
    comparison = forms.ChoiceField(choices=[("none", "No comparison group"),
                                            ("waitlist", "A waitlist"),
                                            ("non_participants", "Non-participants")])


class GroupSettingsForm(forms.Form):
    min_size = _int("Smallest group", min_value=2, max_value=60)
    max_size = _int("Largest group", min_value=2, max_value=60)
    max_km = forms.FloatField(min_value=1, max_value=500, error_messages={
        "required": "Enter the furthest distance", "invalid": "Enter a number of kilometres"})
    competitor_km = forms.FloatField(min_value=0, max_value=500, error_messages={
        "required": "Enter the competitor distance", "invalid": "Enter a number of kilometres"})
    sector_cap = _int("Firms per industry division", min_value=1, max_value=60)
    time_limit = forms.FloatField(min_value=1, max_value=50, error_messages={
        "required": "Enter the time limit", "invalid": "Enter a number of seconds"})


class ScheduleForm(forms.Form):
    first = DatePartsField(noun="date of the first meeting")
    at = forms.TimeField(error_messages={"required": "Enter the start time",
                                         "invalid": "Start time must be a real time, like 09:30"})
    count = _int("Number of meetings", min_value=1, max_value=52)
    cadence = forms.ChoiceField(choices=list(CADENCES.items()),
                                error_messages={"required": "Choose how often the group meets"})
    pattern = forms.ChoiceField(choices=list(PATTERNS.items()),
                                error_messages={"required": "Choose online or in person"})
    duration = _int("Length in minutes", min_value=15, max_value=600)
    video_url = forms.URLField(required=False, assume_scheme="https", error_messages={
        "invalid": "Enter the online meeting link in the correct format, like "
                   "https://meet.example.org/abc"})
    notify = forms.BooleanField(required=False)


class MeetingChangeForm(forms.Form):
    day = DatePartsField(noun="date of the meeting")
    at = forms.TimeField(error_messages={"required": "Enter the time", "invalid": "Enter a time "
                                         "like 09:30"})
    duration = _int("Length in minutes", min_value=15, max_value=600)
    mode = forms.ChoiceField(choices=Mode.choices)
    venue = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, choices=())
    video_url = forms.URLField(required=False, assume_scheme="https", error_messages={
        "invalid": "Enter the link in the correct format, like https://meet.example.org/abc"})
    notify = forms.BooleanField(required=False)


class CostForm(forms.Form):
    """The amount is read as typed (the service understands "£1,250.50" and says what is
    wrong with it), so a typo comes back with its own message and the text kept."""
    category = forms.CharField(max_length=40, error_messages={"required": "Choose a category"})
    amount = _text("Enter the amount", max_length=30)
    incurred_on = DatePartsField(noun="date of the cost")
    description = _text("Describe what the money was spent on", max_length=300)
    supplier = _text("", required=False)


class CostCorrectionForm(CostForm):
    reason = _text("Say why the entry is being corrected", max_length=300)


class CostRemovalForm(forms.Form):
    removal_reason = _text("Say why the entry is being removed", max_length=300)


class VenueForm(forms.Form):
    name = _text("Enter the venue's name")
    address = _text("", required=False, max_length=300)
    postcode = _text("Enter the venue's postcode", max_length=12)
    host_firm = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, choices=())


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(coerce=int, choices=[(i, str(i)) for i in range(1, 6)],
                                    error_messages={"required": "Choose a rating"})
    comment = forms.CharField(required=False, widget=forms.Textarea, max_length=2000)


def _select(question: str) -> str:
    """A survey question's error, naming it (the summary lists every missing answer, so
    "Answer this question" sixteen times told a screen-reader user nothing)."""
    return f"Select an answer to ‘{question}’"


def diagnostic_form_class():
    fields = {"wave": forms.ChoiceField(choices=Wave.choices, error_messages={
        "required": "Choose when this survey is for"})}
    for q in MANAGEMENT_QUESTIONS:
        fields[q.key] = forms.ChoiceField(required=q.skip_if is None,
                                          choices=[(v, label) for v, label, _ in q.options],
                                          error_messages={"required": _select(q.text)})
    for key, label in TECHNOLOGIES:
        fields[f"tech_{key}"] = forms.ChoiceField(
            choices=[(v, label) for v, label, _ in ADOPTION],
            error_messages={"required": "Say whether the business uses "
                                        f"{label[0].lower()}{label[1:]}"})

    def clean(self):
        data = super(forms.Form, self).clean()
        for q in MANAGEMENT_QUESTIONS:
            gate = q.skip_if
            if gate and data.get(gate[0]) and data.get(gate[0]) != gate[1] and not data.get(q.key):
                self.add_error(q.key, _select(q.text))
        return data

    return type("DiagnosticForm", (forms.Form,), {**fields, "clean": clean})


DiagnosticForm = diagnostic_form_class()
ATTENDANCE_CHOICES = Presence.choices
