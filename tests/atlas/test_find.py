"""The atlas's "Find your area": forgiving of how a name is punctuated, and honest about how many
places matched when it lists only some of them."""

from __future__ import annotations

from html.parser import HTMLParser

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
    message = page.split('id="pick-1-error"')[1].split("</p>")[0]  # at the box that holds it
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


class _Page(HTMLParser):
    """Every element's tag and attributes by id, the error summary's links, and each error message's text."""

    def __init__(self, html: str):
        super().__init__()
        self.by_id, self.links, self.text, self._open = {}, [], {}, []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.by_id[attrs["id"]] = (tag, attrs)
        if tag == "a" and self._in_summary:
            self.links.append([attrs["href"], ""])
        if "govuk-error-summary" in attrs.get("class", "").split():
            self._in_summary = True
        if tag == "p" and "govuk-error-message" in attrs.get("class", ""):
            self._open.append(attrs["id"])
            self.text[attrs["id"]] = ""

    _in_summary = False

    def handle_endtag(self, tag):
        if tag == "p" and self._open:
            self._open.pop()
        if tag == "ul" and self._in_summary:
            self._in_summary = False

    def handle_data(self, data):
        if self._open:
            self.text[self._open[-1]] += data
        if self._in_summary and self.links and not self.links[-1][1]:
            self.links[-1][1] = data


def _box(page: _Page, href: str) -> dict:
    """The element an error summary link moves to: it must exist and be a place box."""
    assert href.startswith("#pick-"), href
    tag, attrs = page.by_id[href[1:]]
    assert tag == "input" and attrs["name"] == "areas" and attrs["type"] == "search", (href, tag, attrs)
    return attrs


def test_a_typed_place_error_links_to_and_is_shown_at_its_box(client):
    """GOV.UK error summary: the link moves focus to the box with the bad text, and the message is there."""
    response = client.get("/atlas/compare/", {"areas": ["E47000001", "St Helens", "Nowhereville"]})
    assert response.status_code == 400
    html = response.content.decode()
    page = _Page(html)
    assert [href for href, _t in page.links] == ["#pick-2"]
    box = _box(page, "#pick-2")
    assert box["value"] == "Nowhereville" and "govuk-input--error" in box["class"]
    assert box["aria-describedby"] == "pick-2-error"
    assert "\u201cNowhereville\u201d" in page.text["pick-2-error"] and "Error:" in page.text["pick-2-error"]
    assert page.links[0][1] in page.text["pick-2-error"]
    group = html[:html.index('id="pick-2-error"')].rsplit("<div", 1)[1]
    assert "govuk-form-group--error" in group
    assert "areas-error" not in page.by_id and "pick-1-error" not in page.by_id  # nothing wrong there
    assert "govuk-input--error" not in page.by_id["pick-1"][1]["class"]
    areas = page.by_id["areas"][1]["class"]
    assert "govuk-form-group--error" not in areas


def test_errors_in_several_boxes_each_link_to_their_own_box(client):
    response = client.get("/atlas/compare/", {"areas": ["Bristol, City of", "St Helens", "shire"]})
    page = _Page(response.content.decode())
    assert response.status_code == 400
    assert [href for href, _t in page.links] == ["#pick-1", "#pick-3"]
    assert _box(page, "#pick-1")["value"] == "Bristol, City of"
    assert _box(page, "#pick-3")["value"] == "shire"
    assert "matches 2 places" in page.text["pick-1-error"] and "shire" not in page.text["pick-1-error"]
    assert "\u201cshire\u201d matches" in page.text["pick-3-error"]
    assert "pick-2-error" not in page.by_id


def _first_tick(page: _Page) -> str:
    """The summary link of an error about the tick boxes: the first tick box (GOV.UK: the link moves
    focus to the first checkbox, not to the group around them)."""
    ticks = [k for k, (tag, attrs) in page.by_id.items() if tag == "input" and attrs.get("type") == "checkbox"]
    assert ticks and ticks[0].startswith("area-")
    return "#" + ticks[0]


def test_a_form_error_still_links_to_the_tick_boxes(client):
    response = client.get("/atlas/compare/", {"areas": ["E47000001"]})
    page = _Page(response.content.decode())
    assert response.status_code == 400
    assert [href for href, _t in page.links] == [_first_tick(page)] and "at least 2" in page.text["areas-error"]
    assert "#areas" not in [href for href, _t in page.links]
    assert "govuk-form-group--error" in page.by_id["areas"][1]["class"]
    assert not any(k.startswith("pick-") and k.endswith("-error") for k in page.by_id)


@pytest.mark.parametrize("typed, words", [("TLZZ9", "the code TLZZ9"), ("tlzz9", "the code TLZZ9"),
                                          ("TLZZ9, E99999999", "the codes TLZZ9, E99999999"),
                                          ("TLC", "North East (England) is not scored")])
def test_a_typed_code_of_no_scored_place_links_to_and_is_shown_at_its_box(client, typed, words):
    """An unknown (or unscored) code typed in a box is an error at that box, as a name that matches nothing is."""
    response = client.get("/atlas/compare/", {"areas": ["E47000001", "St Helens", typed]})
    assert response.status_code == 400
    page = _Page(response.content.decode())
    assert [href for href, _t in page.links] == ["#pick-2"]
    box = _box(page, "#pick-2")
    assert box["value"] == typed and "govuk-input--error" in box["class"] and box["aria-describedby"] == "pick-2-error"
    assert words in page.text["pick-2-error"] and page.links[0][1] in page.text["pick-2-error"]
    assert "areas-error" not in page.by_id and "govuk-form-group--error" not in page.by_id["areas"][1]["class"]


def test_a_shared_link_with_an_unknown_code_refills_its_box_with_the_error(client):
    response = client.get("/atlas/compare/", {"areas": "E47000001,TLD33,TLZZ9"})
    page = _Page(response.content.decode())
    assert response.status_code == 400 and [href for href, _t in page.links] == ["#pick-1"]
    assert _box(page, "#pick-1")["value"] == "E47000001,TLD33,TLZZ9" and "TLZZ9" in page.text["pick-1-error"]


def test_too_many_places_counts_the_code_in_error_too(client):
    """Seven codes, one unknown: the person must both fix the code and remove one, so both are said."""
    typed = ",".join(["E47000001", "E47000002", "E47000003", "E47000004", "E47000006", "TLD33", "TLZZ9"])
    page = _Page(client.get("/atlas/compare/", {"areas": typed}).content.decode())
    assert [href for href, _t in page.links] == [_first_tick(page), "#pick-1"]  # page order
    assert "at most 6" in page.text["areas-error"] and "you chose 7" in page.text["areas-error"]
    assert "TLZZ9" in page.text["pick-1-error"]


def test_a_postcode_lists_the_atlas_places_it_lies_in(client):
    """Find your area by postcode (the bundled ONS lookup): its Combined Authority, ITL3 area and district."""
    response = client.get("/atlas/go/", {"area": "m1 1ae"})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" not in html
    results = html.split('id="find-results"')[1].split("</ul>")[0]
    assert [c for c in ("E47000001", "TLD33", "E08000003") if f"/atlas/areas/{c}/" in results] == [
        "E47000001", "TLD33", "E08000003"]
    assert "Postcode M1 1AE is in these areas" in html
    assert "ONS National Statistics Postcode Lookup, May 2025 (OGL v3.0)" in html  # the figure's source


@pytest.mark.parametrize("typed, words", [
    ("BT1 1AA", "Northern Ireland postcode"),  # not bundled: the geocoder says why
    ("ZZ9 9ZZ", "ZZ9 9ZZ"),
])
def test_a_postcode_the_geocoder_cannot_place_is_an_error_at_the_box(client, typed, words):
    response = client.get("/atlas/go/", {"area": typed})
    page = _Page(response.content.decode())
    assert response.status_code == 400 and [h for h, _t in page.links] == ["#go-area"]
    assert words in page.text["go-area-error"]


@pytest.mark.parametrize("code", ["TLD3", "tld", "K02000001", "E92000001"])
def test_a_code_with_a_profile_opens_it_though_the_atlas_does_not_score_it(client, code):
    """The UK, nations, ITL1 and ITL2 regions have profiles (unscored): the finder opens them as the address does."""
    response = client.get("/atlas/go/", {"area": code})
    assert response.status_code == 302 and response["Location"] == f"/atlas/areas/{code.upper()}/"
    assert client.get(response["Location"]).status_code == 200


def test_a_code_of_a_place_without_a_profile_says_what_it_is(client):
    page = _Page(client.get("/atlas/go/", {"area": "E12000002"}).content.decode())
    assert "North West (E12000002) is an English region the atlas has no profile for" in page.text["go-area-error"]
    assert "No place has the code \u201cE99999999\u201d" in _Page(
        client.get("/atlas/go/", {"area": "E99999999"}).content.decode()).text["go-area-error"]


def test_a_box_of_many_comma_separated_words_is_checked_in_linear_time(client, monkeypatch):
    """Odd input must not tie up a worker: a run of parts is tried as one name only up to the most parts
    any place name has, so parts cost a few name look-ups each, not one per run (200 parts took 70 s)."""
    from locus.atlas import compare

    calls = []
    named = sel_places.places_named
    monkeypatch.setattr(compare.sel_places, "places_named", lambda **kw: calls.append(1) or named(**kw))
    response = client.get("/atlas/compare/", {"areas": ",".join(["foo"] * 18)})
    assert response.status_code == 400 and "\u201cfoo\u201d" in response.content.decode()
    assert len(calls) < 18 * 5, len(calls)
    assert _Page(response.content.decode()).text["pick-1-error"].count("\u201cfoo\u201d") == 1  # said once
    assert compare.compare_picks_parse(values=["Bristol, City of (local authority district, E06000023), St Helens"])[1] == []


def test_a_box_of_more_entries_than_six_places_can_have_is_refused_without_looking_each_up(client, monkeypatch):
    """1,900 one-letter entries (a URL's worth) took 14 s to look up one by one; more than 18 entries
    cannot be at most six places, so the box says so at once."""
    from locus.atlas import compare

    monkeypatch.setattr(compare, "_resolve", lambda piece: pytest.fail("looked up " + piece))
    response = client.get("/atlas/compare/", {"areas": ["E47000001", ",".join(["a"] * 1900)]})
    page = _Page(response.content.decode())
    assert response.status_code == 400 and [h for h, _t in page.links] == ["#pick-1"]
    assert "holds 1900 entries separated by commas: compare at most 6 places" in page.text["pick-1-error"]


def test_a_comparison_says_at_the_top_which_places_it_compares_and_links_to_itself(client):
    """On a phone the form (15 tick boxes, 4 place boxes) fills several screens: the result is one link away."""
    page = _Page(client.get("/atlas/compare/", {"areas": "E47000001,TLD33"}).content.decode())
    tag, attrs = page.by_id["to-comparison"]
    assert tag == "p" and page.by_id["compare-heading"][1].get("tabindex") == "-1"  # the link moves focus there
    html = client.get("/atlas/compare/", {"areas": "E47000001,TLD33"}).content.decode()
    top = html.split('id="to-comparison"')[1].split("</p>")[0]
    assert "Greater Manchester, Manchester" in top and 'href="#compare-heading"' in top
    assert html.index('id="to-comparison"') < html.index('name="areas"')
    assert "to-comparison" not in client.get("/atlas/compare/").content.decode()
