"""Forms for proposing a case or a correction and for reviewing: parse and check input only.

Error messages follow the GOV.UK Design System patterns ("Enter ...", "Select ...").
"""

from __future__ import annotations

import datetime as dt

from django import forms

from locus.geography.models import Area
from locus.policy.schema import GEOGRAPHY_LEVEL_LABELS, STAGE_LABELS
from locus.policy.services import CORRECTABLE

RATINGS = [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5")]
URL_ERROR = "Enter a web address in the correct format, like https://www.example.org/report"


def _required(message: str) -> dict:
    return {"required": message}


class SourceFields(forms.Form):
    source_publisher = forms.CharField(max_length=300, error_messages=_required(
        "Enter who published the source"))
    source_title = forms.CharField(max_length=500, error_messages=_required(
        "Enter the title of the source"))
    source_url = forms.URLField(max_length=1000, assume_scheme="https", error_messages={
        "required": "Enter the web address of the source", "invalid": URL_ERROR})
    source_date = forms.CharField(required=False, max_length=10)

    def clean_source_url(self) -> str:
        url = self.cleaned_data["source_url"]
        if not url.startswith(("http://", "https://")):
            raise forms.ValidationError(URL_ERROR)
        return url

    def clean_source_date(self) -> str | None:
        text = self.cleaned_data["source_date"].strip()
        if not text:
            return None
        try:
            date = dt.date.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError("Enter the date in the format 2024-03-31") from None
        if date > dt.date.today():
            raise forms.ValidationError("The date of the source must be today or in the past")
        return date.isoformat()

    def source(self) -> dict:
        d = self.cleaned_data
        return {"publisher": d["source_publisher"], "title": d["source_title"],
                "url": d["source_url"], "date": d["source_date"]}


class RatingFields(forms.Form):
    sms_rating = forms.ChoiceField(choices=[("", "Not rated")] + RATINGS, required=False)
    sms_justification = forms.CharField(required=False, max_length=2000)

    def check_rating(self) -> None:
        if self.cleaned_data.get("sms_rating") and not self.cleaned_data.get(
                "sms_justification", "").strip():
            self.add_error("sms_justification", "Explain the evidence rating: name the study "
                                                "and its design")


class CaseProposalForm(SourceFields, RatingFields):
    title = forms.CharField(max_length=300, error_messages=_required("Enter the name of the case"))
    summary = forms.CharField(min_length=40, max_length=3000, error_messages={
        "required": "Enter a summary of the case",
        "min_length": "The summary must be at least 40 characters"})
    place = forms.CharField(max_length=300, error_messages=_required(
        "Enter the place where it happened"))
    country = forms.CharField(max_length=120, error_messages=_required("Enter the country"))
    geography_level = forms.ChoiceField(
        choices=list(GEOGRAPHY_LEVEL_LABELS.items()),
        error_messages={"required": "Select the geography level",
                        "invalid_choice": "Select the geography level"})
    area_code = forms.CharField(required=False, max_length=12)
    year_start = forms.IntegerField(required=False, min_value=1900, max_value=2100, error_messages={
        "invalid": "Enter the start year as a number, like 2019",
        "min_value": "The start year must be 1900 or later",
        "max_value": "The start year must be 2100 or earlier"})
    year_end = forms.IntegerField(required=False, min_value=1900, max_value=2100, error_messages={
        "invalid": "Enter the end year as a number, like 2023",
        "min_value": "The end year must be 1900 or later",
        "max_value": "The end year must be 2100 or earlier"})
    stages = forms.MultipleChoiceField(choices=list(STAGE_LABELS.items()), required=False)
    delivery_body = forms.CharField(required=False, max_length=500)
    what_was_done = forms.CharField(required=False, max_length=4000)
    outcomes = forms.CharField(required=False, max_length=4000)
    evaluation_method = forms.CharField(required=False, max_length=2000)

    def clean_area_code(self) -> str | None:
        code = self.cleaned_data["area_code"].strip().upper()
        if code and not Area.objects.filter(code=code).exists():
            raise forms.ValidationError("Enter an area code that Locus knows, like E47000001, "
                                        "or leave it empty")
        return code or None

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("year_start"), data.get("year_end")
        if start and end and end < start:
            self.add_error("year_end", "The end year must be the same as or after the start year")
        self.check_rating()
        if data.get("sms_rating") and not data.get("evaluation_method", "").strip():
            self.add_error("evaluation_method", "Describe the evaluation that the rating is based on")
        return data

    def to_data(self) -> dict:
        d = self.cleaned_data
        keys = ("title", "summary", "place", "country", "geography_level", "area_code",
                "year_start", "year_end", "stages", "delivery_body", "what_was_done",
                "outcomes", "evaluation_method", "sms_justification")
        data = {k: d.get(k) for k in keys}
        data["sms_rating"] = int(d["sms_rating"]) if d.get("sms_rating") else None
        data["source"] = self.source()
        return data


class CorrectionForm(SourceFields, RatingFields):
    field = forms.ChoiceField(choices=list(CORRECTABLE.items()), error_messages={
        "required": "Select what you want to correct",
        "invalid_choice": "Select what you want to correct"})
    value = forms.CharField(required=False, max_length=4000)
    reason = forms.CharField(max_length=2000, error_messages=_required(
        "Explain what is wrong and what the source says"))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("field") == "sms_rating":
            if not data.get("sms_rating"):
                self.add_error("sms_rating", "Select the evidence rating")
            self.check_rating()
        elif data.get("field") and not data.get("value", "").strip():
            self.add_error("value", "Enter the corrected text")
        return data

    def to_data(self) -> dict:
        d = self.cleaned_data
        data = {"field": d["field"], "reason": d["reason"], "source": self.source()}
        if d["field"] == "sms_rating":
            data["sms_rating"] = int(d["sms_rating"])
            data["sms_justification"] = d["sms_justification"]
        else:
            data["value"] = d["value"].strip()
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept and publish"),
                                          ("reject", "Do not accept")],
                                 error_messages={"required": "Select whether to accept the proposal",
                                                 "invalid_choice": "Select whether to accept the proposal"})
    note = forms.CharField(required=False, max_length=2000)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("note", "").strip():
            self.add_error("note", "Say why the proposal is not accepted")
        return data


def form_errors(form: forms.Form, order: list[str]) -> list[tuple[str, str]]:
    """(input id, first message) pairs in page order, for the error summary."""
    ids = {"stages": "stages", "geography_level": "geography_level", "sms_rating": "sms_rating",
           "decision": "decision", "field": "field"}
    return [(ids.get(name, f"id_{name}"), form.errors[name][0]) for name in order
            if name in form.errors]
