"""The atlas's "Find your area": forgiving of how a name is punctuated, and honest about how many
places matched when it lists only some of them."""

from __future__ import annotations

import pytest

from locus.atlas import selectors_places as sel_places

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed,code", [
    ("St Helens", "E08000013"), ("Saint Helens", "E08000013"), ("st. helens", "E08000013"),
    ("Kings Lynn and West Norfolk", "E07000146"), ("King's Lynn", "E07000146"),
    ("Newcastle under Lyme", "E07000195"),
])
def test_a_respelled_name_of_one_place_opens_its_profile(client, typed, code):
    response = client.get("/atlas/go/", {"area": typed})
    assert response.status_code == 302 and response["Location"] == f"/atlas/areas/{code}/"


@pytest.mark.parametrize("typed,codes", [
    ("City of Bristol", {"TLK11", "E06000023"}), ("Bristol City of", {"TLK11", "E06000023"}),
    ("Na h Eileanan Siar", {"TLM64", "S12000013"}), ("Stoke on Trent", {"TLG23", "E06000021"}),
    ("Brighton & Hove", {"TLJ21", "E06000043"}), ("Kingston upon Hull", {"TLE11", "E06000010"}),
])
def test_a_respelled_name_shared_by_two_levels_lists_both(client, typed, codes):
    assert {c for c, _n, _l in sel_places.places_find(text=typed)} == codes
    html = client.get("/atlas/go/", {"area": typed}).content.decode()
    assert all(f"/atlas/areas/{c}/" in html for c in codes)


def test_compare_accepts_respelled_names(client):
    response = client.get("/atlas/compare/", {"areas": ["St Helens", "Kings Lynn"]})
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" not in page
    assert "<title>Compare St. Helens, King&#39;s Lynn and West Norfolk" in page


def test_a_long_list_of_matches_says_how_many_and_how_to_narrow_it(client):
    matched = sel_places.places_match(text="shire")
    assert len(matched) > 30  # the bundled names: more than the finder lists
    html = client.get("/atlas/go/", {"area": "shire"}).content.decode()
    listed = html.split('id="find-results"')[1].split("</ul>")[0].count("<li>")
    assert listed == 30
    notice = html.split('id="find-truncated"')[1].split("</div>")[0]
    assert f"{len(matched)} areas match" in notice and "only the first 30 are shown" in notice
    assert "type more of the name" in notice and "code" in notice


def test_a_short_list_of_matches_has_no_truncation_notice(client):
    matched = sel_places.places_match(text="york")
    html = client.get("/atlas/go/", {"area": "york"}).content.decode()
    assert 1 < len(matched) <= 30 and 'id="find-truncated"' not in html
    assert f"{len(matched)} areas match" in html


def test_places_find_still_stops_at_its_limit():
    assert len(sel_places.places_find(text="shire")) == 30
    assert sel_places.places_find(text="shire", limit=5) == sel_places.places_match(text="shire")[:5]


def test_compare_counts_every_place_a_typed_name_matches(client):
    n = len(sel_places.places_match(text="shire"))
    page = client.get("/atlas/compare/", {"areas": ["shire", "E47000001"]}).content.decode()
    assert n > 30 and f"matches {n} places" in page


def test_compare_keeps_an_official_name_with_a_comma_whole(client):
    """'Bristol, City of' is one name (of an ITL3 area and a district), not 'Bristol' and 'City of'."""
    response = client.get("/atlas/compare/", {"areas": ["Bristol, City of", "E47000001"]})
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page
    message = page.split('id="areas-error"')[1].split("</p>")[0]
    assert "\u201cBristol, City of\u201d matches 2 places" in message
    assert "ITL3 area, TLK11" in message and "local authority district, E06000023" in message
    assert "\u201cBristol\u201d" not in page and "\u201cCity of\u201d" not in page
    picked = client.get("/atlas/compare/", {"areas": ["Bristol, City of (local authority district, E06000023)",
                                                      "E47000001"]})
    assert picked.status_code == 200 and "<title>Compare Bristol, City of, " in picked.content.decode()


@pytest.mark.parametrize("typed, codes", [
    (["Barnsley, Doncaster and Rotherham", "E47000001"], ["TLE31", "E47000001"]),
    (["Barnsley, Doncaster and Rotherham, E08000035"], ["TLE31", "E08000035"]),
    (["barnsley doncaster and rotherham, St Helens"], ["TLE31", "E08000013"]),
    (["Doncaster, Rotherham"], ["E08000017", "E08000018"]),  # two names, not the words of TLE31's name
    (["Kingston upon Hull, City of (ITL3 area, TLE11), Herefordshire, County of (ITL3 area, TLG11)"], None),
])
def test_compare_matches_whole_official_names_before_splitting_at_commas(typed, codes):
    from locus.atlas.compare import compare_picks_parse

    found, errors = compare_picks_parse(values=typed)
    if codes is None:  # two picked suggestions in one box are not split inside their names either
        assert errors == [] and found == ["TLE11", "TLG11"]
    else:
        assert errors == [] and found == codes
