"""Welsh districts are found by their Welsh names too (H29 A9: `areas?q=Ynys Môn` found nothing): the
ONS boundary file bundled (LAD23NMW, December 2023) gives each Welsh district's Welsh name, which the
search reads as it reads the English one (accents dropped)."""

from __future__ import annotations

import pytest

from locus.geography.models import Area
from locus.geography.names import search_text
from locus.geography.selectors import area_search

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["Ynys Môn", "Ynys Mon", "ynys", "Isle of Anglesey"])
def test_anglesey_is_found_by_its_welsh_or_english_name(query):
    assert area_search(query=query, level="lad")[0].code == "W06000001"


def test_the_api_finds_welsh_names(client):
    found = client.get("/api/v1/areas", {"q": "Ynys Môn"}).json()
    assert [a["code"] for a in found] == ["W06000001"] and found[0]["name"] == "Isle of Anglesey"
    assert [a["code"] for a in client.get("/api/v1/areas", {"q": "Caerdydd"}).json()] == ["W06000015"]


def test_every_welsh_district_has_its_welsh_name_and_no_other_district_has_one():
    welsh = dict(Area.objects.filter(level="lad", code__startswith="W").values_list("code", "name_welsh"))
    assert len(welsh) == 22 and all(welsh.values())
    assert welsh["W06000001"] == "Ynys Môn" and welsh["W06000015"] == "Caerdydd"
    assert not Area.objects.exclude(code__startswith="W").exclude(name_welsh="").exists()


def test_a_welsh_name_the_same_as_the_english_is_not_repeated():
    assert search_text("Cardiff", "W06000015", "Caerdydd") == " cardiff w06000015 caerdydd "
    assert search_text("Powys", "W06000023", "Powys") == " powys w06000023 "
    assert search_text("Powys", "W06000023", " ") == " powys w06000023 "
