"""Reading what a form posted, shared by the rooms' views."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest


def posted_id(request: HttpRequest, name: str) -> int:
    """The id a form's hidden field ``name`` posted. Anything but up to 18 ASCII digits was not
    sent by Locus's page (a changed form): a 400 page (``BadRequest``), and nothing is changed."""
    value = request.POST.get(name, "")
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise BadRequest(f"{name} must be a number")
    return int(value)
