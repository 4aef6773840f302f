"""Parsing of the place search box: a name, an area code or a postcode."""

from __future__ import annotations

import re
from dataclasses import dataclass

AREA_CODE = re.compile(r"^(?:[EWSNK]\d{8}|TL[C-N][0-9A-Z]{0,2})$", re.IGNORECASE)
LOOKS_LIKE_POSTCODE = re.compile(r"^[A-Za-z]{1,2}\d[\dA-Za-z]?\s*\d?[A-Za-z]{0,2}$")


@dataclass(frozen=True)
class PlaceQuery:
    text: str
    kind: str  # "empty" | "code" | "postcode" | "name"


def parse_place_query(raw: str | None) -> PlaceQuery:
    text = (raw or "").strip()[:100]
    if not text:
        return PlaceQuery("", "empty")
    if AREA_CODE.match(text.replace(" ", "")):
        return PlaceQuery(text.replace(" ", "").upper(), "code")
    if any(ch.isdecimal() for ch in text) and LOOKS_LIKE_POSTCODE.match(text):
        return PlaceQuery(text, "postcode")
    return PlaceQuery(text, "name")
