"""The GOV.UK date input (day, month and year boxes) as a Django form field.

Error messages follow the GOV.UK Design System's date input guidance: "Enter the start date"
when nothing is entered, "Start date must include a month" when a part is missing, "Start date
must be a real date" when the parts cannot make a date, and "Year must include 4 numbers". The
field also remembers which boxes are wrong, so only those are highlighted and the error summary
links to the first of them.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

PARTS = ("day", "month", "year")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


class DatePartsWidget(forms.Widget):
    """Reads `<name>-day`, `<name>-month` and `<name>-year`; an ISO date in `<name>` is also
    accepted (for scripts and API-style clients)."""

    def value_from_datadict(self, data, files, name):
        parts = {p: str(data.get(f"{name}-{p}") or "").strip() for p in PARTS}
        if not any(parts.values()) and data.get(name):
            return str(data.get(name)).strip()
        return parts

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(f"{name}-{p}" in data for p in PARTS)


def _month(text: str) -> int | None:
    if text.isdecimal():
        return int(text)
    key = text[:3].lower()
    return _MONTHS.index(key) + 1 if key in _MONTHS and len(text) >= 3 else None


class DatePartsField(forms.Field):
    widget = DatePartsWidget

    def __init__(self, *, noun: str, **kwargs):
        """`noun` names the date in messages, like "start date"."""
        self.noun = noun
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", f"Enter the {noun}")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, date):
            return {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        if isinstance(value, dict):
            return value
        if isinstance(value, str) and value:
            try:
                return self.prepare_value(date.fromisoformat(value))
            except ValueError:
                pass
        return {p: "" for p in PARTS}

    def _fail(self, message: str, parts: list[str], code: str = "invalid"):
        raise ValidationError(message, code=code, params={"parts": " ".join(parts)})

    def to_python(self, value):
        if value in self.empty_values or isinstance(value, date):
            return value or None
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                self._fail(f"{self.noun.capitalize()} must be a real date", list(PARTS))
        value = {p: str(value.get(p) or "").strip() for p in PARTS}
        if not any(value.values()):
            return None
        missing = [p for p in PARTS if not value.get(p)]
        if missing:
            self._fail(f"{self.noun.capitalize()} must include a {' and '.join(missing)}",
                       missing, "incomplete")
        day, month, year = value["day"], _month(value["month"]), value["year"]
        if not year.isdecimal() or len(year) != 4:
            self._fail("Year must include 4 numbers", ["year"])
        bad = [p for p, ok in (("day", day.isdecimal() and 1 <= int(day) <= 31),
                               ("month", month is not None and 1 <= month <= 12)) if not ok]
        if bad:
            self._fail(f"{self.noun.capitalize()} must be a real date", bad)
        try:
            return date(int(year), month, int(day))
        except ValueError:
            self._fail(f"{self.noun.capitalize()} must be a real date", list(PARTS))

    @staticmethod
    def error_parts(errors) -> list[str]:
        """The boxes to highlight for a field's errors (`form.errors.as_data()[name]`)."""
        if not errors:
            return []
        params = errors[0].params or {}
        return params.get("parts", " ".join(PARTS)).split()
