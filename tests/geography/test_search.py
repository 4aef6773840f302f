"""Place search forgives how a name is punctuated: "St"/"St."/"Saint", apostrophes, hyphens, "&"
and "and", and "City of Bristol" for the ONS "Bristol, City of". Checked against the bundled names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from locus.geography import selectors
from locus.geography.names import name_key, name_words, same_words

pytestmark = pytest.mark.django_db

# (what a person types, a code it must find): every official name here is spelled differently.
VARIANTS = [
    ("St Helens", "E08000013"), ("St. Helens", "E08000013"), ("Saint Helens", "E08000013"),
    ("st helens", "E08000013"), ("Saint Albans", "E07000240"),
    ("Kingston upon Hull", "E06000010"), ("Kingston-upon-Hull", "E06000010"),
    ("Hull City of", "TLE11"),
    ("Bristol, City of", "E06000023"), ("Bristol City of", "E06000023"), ("City of Bristol", "TLK11"),
    ("Na h-Eileanan Siar", "S12000013"), ("Na h Eileanan Siar", "TLM64"), ("na h-eileanan siar", "S12000013"),
    ("King's Lynn", "E07000146"), ("Kings Lynn", "E07000146"), ("King\u2019s Lynn", "E07000146"),
    ("Stoke-on-Trent", "E06000021"), ("Stoke on Trent", "TLG23"), ("stoke on-trent", "E06000021"),
    ("Newcastle under Lyme", "E07000195"), ("Southend on Sea", "E06000033"),
    ("Brighton & Hove", "E06000043"), ("Brighton and Hove", "TLJ21"),
    ("Barking and Dagenham and Havering", "TLI52"), ("Kensington and Chelsea and Hammersmith", "TLI33"),
    ("County of Herefordshire", "E06000019"),
]


@pytest.mark.parametrize("query,code", VARIANTS)
def test_area_search_finds_every_spelling(query, code):
    assert code in [a.code for a in selectors.area_search(query=query)]


@pytest.mark.parametrize("query,codes", [
    ("St Helens", ["E08000013"]),
    ("City of Bristol", ["E06000023", "TLK11"]),  # the district before the ITL3 area of the same name
    ("Na h Eileanan Siar", ["S12000013", "TLM64"]),
])
def test_a_respelled_name_is_an_exact_match_listed_first(query, codes):
    found = [a.code for a in selectors.area_search(query=query)]
    assert found[:len(codes)] == codes


def test_a_query_of_only_punctuation_finds_nothing_rather_than_everything():
    assert selectors.area_search(query="'.-") == []


def test_search_still_finds_part_of_a_word_and_codes():
    assert {"E06000045", "E08000031"} <= {a.code for a in selectors.area_search(query="hampton")}
    assert [a.code for a in selectors.area_search(query="tld33")][0] == "TLD33"


@pytest.mark.parametrize("query,code", [("St Helens", "E08000013"), ("City of Bristol", "E06000023"),
                                        ("Kings Lynn", "E07000146")])
def test_places_page_and_api_use_the_forgiving_search(client, query, code):
    assert f"/places/{code}/" in client.get("/places/", {"q": query}).content.decode()
    assert code in [a["code"] for a in client.get("/api/v1/areas", {"q": query}).json()]


def test_name_words_examples():
    assert name_words("St. Helens") == name_words("Saint Helens") == ["st", "helens"]
    assert name_key("King's Lynn and West Norfolk") == "kings lynn and west norfolk"
    assert name_key("Barking & Dagenham") == "barking and dagenham"
    assert name_key("Na h-Eileanan Siar") == "na h eileanan siar"
    assert name_key("Ynys Môn") == "ynys mon"
    assert same_words(query_words=name_words("City of Bristol"), name="Bristol, City of")
    assert not same_words(query_words=name_words("Bristol"), name="Bristol, City of")


_NAME = st.lists(st.sampled_from(["st", "helens", "kings", "lynn", "on", "trent", "and", "hove"]),
                 min_size=1, max_size=4)
_GLUE = st.sampled_from([" ", "  ", "-", ", ", ". ", " & ", "/", " ("])


@given(words=_NAME, glue=_GLUE)
def test_punctuation_between_words_never_changes_the_key(words, glue):
    plain = " ".join("and" if w == "&" else w for w in words)
    glued = glue.join(words)
    expected = name_key(plain) if "&" not in glue else name_key(" and ".join(words))
    assert name_key(glued) == expected
    assert name_key(glued.upper()) == name_key(glued)


def test_the_places_page_says_how_many_matched_when_it_lists_only_some(client):
    total = len(selectors.area_search(query="shire", limit=None))
    assert total > selectors.SEARCH_LIMIT
    page = client.get("/places/", {"q": "shire"}).content.decode()
    assert f"{total} places matching" in page
    assert f"Only the first {selectors.SEARCH_LIMIT} of {total} are listed" in page
    assert page.split('aria-labelledby="results-heading"')[1].split("</ul>")[0].count("<li>") == selectors.SEARCH_LIMIT


def test_browsing_a_level_names_it_and_says_when_the_list_is_cut(client):
    page = client.get("/places/", {"level": "lad"}).content.decode()
    assert ">Local authority districts</h2>" in page and "Combined Authorities</h2>" not in page
    assert f"Only the first {selectors.SEARCH_LIMIT} of 361 are listed" in page
    cas = client.get("/places/").content.decode()
    assert ">Combined Authorities</h2>" in cas and 'id="results-truncated"' not in cas


@pytest.mark.parametrize("params", [{"level": "zz"}, {"level": "zz", "q": "Manchester"}, {"level": "county", "q": "E47000001"}])
def test_an_unknown_level_is_a_400_with_an_error_naming_the_levels(client, params):
    response = client.get("/places/", params)
    page = response.content.decode()
    assert response.status_code == 400 and "<title>Error:" in page
    summary = page.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert 'href="#level"' in summary and f"\u201c{params['level']}\u201d is not a level" in summary
    assert "nation, region, itl1, itl2, itl3, ca or lad" in summary
    group = page.split('id="level"')[1].split("</ul>")[0]  # the error sits at "Browse by level", its links under it
    assert 'id="level-error"' in group and "Browse by level" in group and 'href="?level=lad' in group
    if params.get("q") == "Manchester":  # the search still runs, over every level
        assert "/places/E47000001/" in page and "/places/E08000003/" in page


@pytest.mark.parametrize("params", [{"level": "zz"}, {"level": "zz", "q": "Manchester"}])
def test_after_an_unknown_level_browse_by_level_comes_before_the_places_listed(client, params):
    """On a phone the error summary's link to "Browse by level" landed below a list of 15 (or more)
    places: the field with the error now follows the search box, once, ahead of the results."""
    page = client.get("/places/", params).content.decode()
    assert page.count('id="level"') == 1 and page.count("Browse by level</h2>") == 1
    assert page.index('id="q"') < page.index('id="level"') < page.index('id="results-heading"')
    ok = client.get("/places/", {**params, "level": "lad"}).content.decode()  # without an error: after them
    assert ok.count('id="level"') == 1 and ok.index('id="results-heading"') < ok.index('id="level"')


def test_a_known_level_or_none_is_not_an_error(client):
    for params in ({"level": "lad", "q": "Manchester"}, {"q": "Manchester"}, {}):
        response = client.get("/places/", params)
        assert response.status_code == 200 and 'id="level-error"' not in response.content.decode()


@pytest.mark.parametrize("query", ["M1 1A", "B99 9ZZ", "E99999999"])
def test_a_search_that_finds_nothing_by_code_or_postcode_is_a_400_with_its_error(client, query):
    response = client.get("/places/", {"q": query})
    assert response.status_code == 400 and 'id="q-error"' in response.content.decode()
