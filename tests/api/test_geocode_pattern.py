"""GET /geocode documents the postcodes it reads as a pattern (schemathesis sent postcode= and other
text the document allowed as any string, which the API rightly refused as malformed): the pattern
accepts exactly what normalise_postcode reads."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from locus.errors import PostcodeError
from locus.geography.api import POSTCODE_PATTERN
from locus.geography.postcodes import normalise_postcode

SAMPLES = ["M1 1AA", "m11aa", " sw1a 1aa ", "S W1A1AA", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX",
           "EC1A 1BB", "GIR 0AA", "gir0aa", "BT1 1AA", "", " ", "M1", "1AA", "MI1 1AA", "QZ1 1AA",
           "M1 1A", "M1 1AAA", "SW1A 1AA 1", "M1\u00a01AA", "M\u00e91 1AA", "AB12 3CDE", "Z9Z 9ZZ"]


def _reads(text: str) -> bool:
    try:
        normalise_postcode(text)
    except PostcodeError:
        return False
    return True


@pytest.mark.parametrize("text", SAMPLES)
def test_the_documented_pattern_is_what_the_geocoder_reads(text):
    assert bool(re.search(POSTCODE_PATTERN, text)) is _reads(text)


@given(st.text(alphabet="ABGHIJMRSWZ019 abgirz\t", max_size=9))
def test_the_pattern_and_the_geocoder_agree_on_any_text(text):
    assert bool(re.search(POSTCODE_PATTERN, text)) is _reads(text)


@pytest.mark.django_db
def test_the_openapi_document_carries_the_pattern_and_blank_is_a_400(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/geocode"]["get"]
    postcode = next(p for p in operation["parameters"] if p["name"] == "postcode")
    assert postcode["schema"]["pattern"] == POSTCODE_PATTERN
    response = client.get("/api/v1/geocode", {"postcode": ""})
    assert response.status_code == 400 and response.json()["reason"] == "malformed"
