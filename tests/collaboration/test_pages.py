"""Collaboration pages through Django's test client, and who may import and review."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from locus.accounts.roles import Role
from locus.accounts.services import user_create
from locus.collaboration.models import MatchDecision, MatchReview, Organisation
from tests.collaboration.fixtures.innovate_uk import write_workbook

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-passphrase-42"
CHECK = {"n": "2", "rule_set": "all", "lead": "0", "action": "check",
         "p0-name": "Acme Ltd", "p0-type": "business", "p0-size": "large", "p0-country": "GB",
         "p0-costs": "700,000", "p1-name": "Swansea University", "p1-type": "research",
         "p1-country": "GB", "p1-costs": "£300k"}


def signed_in(client, role: Role):
    user_create(username=f"u-{role.value.replace(' ', '-')}", email="u@example.org",
                password=PASSWORD, role=role)
    assert client.login(username=f"u-{role.value.replace(' ', '-')}", password=PASSWORD)
    return client


def test_the_header_shows_collaboration_and_the_pages_set_no_cookies(client):
    home = client.get("/")
    assert b'href="/collaboration/"' in home.content
    for path in ("/collaboration/", "/collaboration/check/", "/collaboration/partners/",
                 "/collaboration/simulator/", "/collaboration/network/",
                 "/collaboration/rule-sets/apc/", "/collaboration/data/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not response.cookies, path


def test_checker_gives_every_rule_set_a_verdict_with_reasons(client):
    page = client.get("/collaboration/check/", CHECK).content.decode()
    for title in ("Innovate UK collaborative research and development", "Horizon Europe",
                  "Advanced Propulsion Centre", "GBER Article 25", "Proposed UKRI"):
        assert title in page
    assert "Research organisations carry 30 % of eligible costs" in page
    assert "Who could fill the gaps" in page


def test_checker_add_and_remove_organisations(client):
    added = client.get("/collaboration/check/", CHECK | {"action": "add"}).content.decode()
    assert 'id="p2-name"' in added and "Results" not in added
    removed = client.get("/collaboration/check/", CHECK | {"remove": "1"}).content.decode()
    assert 'id="p1-name"' not in removed and 'value="Acme Ltd"' in removed


def test_checker_errors_name_the_fields(client):
    bad = CHECK | {"p1-costs": "-5", "p1-country": "XX", "p0-name": ""}
    page = client.get("/collaboration/check/", bad).content.decode()
    assert "<title>Error:" in page
    assert 'href="#p1-costs"' in page and 'href="#p1-country"' in page and 'href="#p0-name"' in page
    assert ("Organisation 2: the eligible costs must be an amount in pounds, zero or more, for example "
            "250000 or 1.2m") in page
    assert "(got" not in page  # the engine's quote of the value is for API callers
    empty = client.get("/collaboration/check/", CHECK | {"p1-costs": ""}).content.decode()
    assert "Organisation 2: enter its eligible costs in pounds, for example 250000 or 1.2m" in empty
    assert "(got None)" not in empty


def test_checker_settings_take_a_percentage_and_explain_a_bad_share(client):
    apc = CHECK | {"rule_set": "apc", "p0-grant": "300k", "p1-grant": "300k"}
    ok = client.get("/collaboration/check/", apc | {"param-apc-min_match_funding": "40%"}).content.decode()
    assert "<title>Error:" not in ok and "at least 40 % needed" in ok
    bad = client.get("/collaboration/check/", apc | {"param-apc-min_match_funding": "half"}).content.decode()
    assert "must be a number between 0 and 1, like 0.5 (or a percentage, like 50%)" in bad
    over = client.get("/collaboration/check/", apc | {"param-apc-min_match_funding": "120%"}).content.decode()
    assert "must be between 0 and 1" in over and "(got" not in over


def test_checker_takes_grants_and_control_and_names_their_errors(client):
    apc = CHECK | {"rule_set": "apc", "p0-tier": "vehicle_manufacturer", "p0-costs": "4m",
                   "p0-grant": "1.5m", "p1-type": "business", "p1-size": "small",
                   "p1-costs": "1m", "p1-grant": "£1,000,000", "p1-control": ""}
    page = client.get("/collaboration/check/", apc).content.decode()
    assert "so the project is 50 % match funded; at least 50 % needed" in page
    assert 'value="1.5m"' in page
    bad = client.get("/collaboration/check/", apc | {"p1-grant": "2m", "p0-control": "x" * 201})
    text = bad.content.decode()
    assert "<title>Error:" in text and 'href="#p1-grant"' in text and 'href="#p0-control"' in text
    assert "Organisation 2: the grant requested (£2,000,000) cannot be more than" in text
    grouped = CHECK | {"rule_set": "horizon-europe-ria", "n": "3", "p0-country": "DE",
                       "p1-country": "FR", "p1-control": "Acme Ltd", "p2-name": "C Ltd",
                       "p2-type": "business", "p2-country": "NL", "p2-costs": "1"}
    text = client.get("/collaboration/check/", grouped).content.decode()
    assert "Has 2 independent organisations" in text


def test_simulator_says_how_to_load_data_when_there_is_none(client):
    page = client.get("/collaboration/simulator/").content.decode()
    assert "No participant-level grant data is loaded yet" in page
    assert "locus data import innovate-uk" in page and "locus data fetch gtr" in page


def test_simulator_on_an_uploaded_workbook_stores_nothing(client, tmp_path):
    path = write_workbook(tmp_path / "iuk.xlsx")
    with path.open("rb") as handle:
        response = client.post("/collaboration/simulator/upload/",
                               {"rule_set": "innovate-uk-crd", "workbook": handle})
    page = response.content.decode()
    assert response.status_code == 200 and "(not stored)" in page
    assert 'id="project-share">50.0 %' in page
    assert not Organisation.objects.filter(name="Northern Coatings Ltd").exists()


@pytest.mark.parametrize("content, message", [
    (b"", "fake.xlsx cannot be used: the file is empty"),
    (b"not a workbook at all", "fake.xlsx cannot be used: the file is not an Excel workbook (.xlsx or "
                               ".xls), or it is damaged"),
])
def test_simulator_upload_of_a_bad_file_names_the_users_file_in_plain_words(client, tmp_path, content,
                                                                             message):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(content)
    with path.open("rb") as handle:
        response = client.post("/collaboration/simulator/upload/",
                               {"rule_set": "innovate-uk-crd", "workbook": handle})
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    for internal in ("nothing was imported", "line 0", "problem(s)", "EOCD", "workbook.xlsx"):
        assert internal not in page


def test_partner_finder_explains_its_suggestions(client):
    page = client.get("/collaboration/partners/", {"search": "1", "org": "Swansea University",
                                                    "postcode": "SA2 8PP"}).content.decode()
    assert "Suggested partners for Swansea University" in page
    assert "km away" in page and "Shares topics with Swansea University" in page
    assert ">An SME</label>" in page and ">A university, research institute or RTO</label>" in page
    assert 'id="no-topic-match"' not in page
    nothing = client.get("/collaboration/partners/", {"search": "1", "description": "zyxwv qqqq"}).content.decode()
    assert 'id="weak-suggestions"' in nothing and 'id="no-topic-match"' in nothing
    heritage = client.get("/collaboration/partners/", {"search": "1", "description": "museum heritage archives"})
    assert 'id="no-topic-match"' not in heritage.content.decode()


def test_partner_finder_says_when_no_suggestion_meets_a_need(client):
    from locus.collaboration.models import Organisation

    page = client.get("/collaboration/partners/", {"search": "1", "description": "marine energy",
                                                   "needs": "sme"}).content.decode()
    if not Organisation.objects.filter(size__in=["micro", "small", "medium"], org_type="business").exists():
        assert 'id="unmet-needs"' in page and "None of these suggestions is an SME" in page
    research = client.get("/collaboration/partners/", {"search": "1", "description": "marine energy",
                                                       "needs": "research"}).content.decode()
    assert 'id="unmet-needs"' not in research  # universities are in the data


def test_network_page_has_a_table_alternative(client):
    page = client.get("/collaboration/network/").content.decode()
    assert 'role="img"' in page and 'id="places"' in page and "Cardiff" in page


def test_network_page_explains_why_the_file_and_the_network_count_differently(client):
    page = client.get("/collaboration/network/").content.decode()
    counts = re.search(r'id="network-counts">(.*?)</p>', page, re.S).group(1)
    drawn = re.search(r'<desc id="network-desc">(\d+) organisations and (\d+) links', page)
    assert "The file lists 255 organisations and 536 links" in counts
    assert f"has {int(drawn.group(1)):,} organisations and {int(drawn.group(2)):,} links" in counts
    assert "joining an organisation to itself are left out" in counts
    assert " 1 links)" not in page


@pytest.mark.parametrize("role,allowed", [
    (Role.ADMINISTRATOR, True), (Role.ANALYST, True), (Role.PROGRAMME_MANAGER, False),
    (Role.FACILITATOR, False), (Role.FIRM_MEMBER, False)])
def test_only_analysts_and_administrators_may_import_and_review(client, role, allowed, tmp_path):
    signed_in(client, role)
    assert client.get("/collaboration/review/").status_code == (200 if allowed else 403)
    with write_workbook(tmp_path / "iuk.xlsx").open("rb") as handle:
        response = client.post("/collaboration/data/import/", {"workbook": handle})
    assert response.status_code == (302 if allowed else 403)
    assert Organisation.objects.filter(name="Northern Coatings Ltd").exists() == allowed


def test_signed_out_visitors_are_sent_to_sign_in():
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    response = client.get("/collaboration/review/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_a_bad_workbook_upload_reports_rows_and_imports_nothing(client, tmp_path):
    from tests.collaboration.fixtures.innovate_uk import ROWS

    signed_in(client, Role.ANALYST)
    rows = [dict(r) for r in ROWS]
    rows[2]["Total Costs (£)"] = "lots"
    with write_workbook(tmp_path / "bad.xlsx", rows).open("rb") as handle:
        response = client.post("/collaboration/data/import/", {"workbook": handle})
    assert response.status_code == 400
    assert "Line 4: column &#39;Total Costs (£)&#39;: &#39;lots&#39; is not a number" in response.content.decode()
    assert not Organisation.objects.filter(name="Northern Coatings Ltd").exists()
    assert "Fix these rows and try again" in response.content.decode()
    # Reloading the failed import's address shows the data page, not a blank 405.
    again = client.get("/collaboration/data/import/")
    assert again.status_code == 302 and again["Location"] == "/collaboration/data/"
    nothing = client.post("/collaboration/data/import/", {})
    assert nothing.status_code == 400 and "Fix these rows" not in nothing.content.decode()


def test_review_decision_merges_and_is_remembered(client):
    signed_in(client, Role.ANALYST)
    review = MatchReview.objects.filter(candidate_name="Public Health Wales NHS Trust").first()
    assert review is not None
    existing = review.existing
    response = client.post("/collaboration/review/", {"review": review.pk, "decision": "same"})
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=review.candidate_id).exists()
    assert "Public Health Wales NHS Trust" in set(existing.aliases.values_list("name", flat=True))
    assert MatchDecision.objects.filter(same=True).count() == 1
    assert get_user_model().objects.get(username="u-analyst") == MatchDecision.objects.get().decided_by


def test_simulator_on_imported_data_with_csv_download(client, tmp_path):
    from locus.collaboration.services import innovate_uk_import

    innovate_uk_import(path=write_workbook(tmp_path / "iuk.xlsx"))
    query = {"run": "1", "rule_set": "ukri-collaboration-mandate",
             "param-ukri-collaboration-mandate-min_sme_share": "0.1",
             "param-apc-max_partners": "99"}   # another rule set's setting is ignored
    page = client.get("/collaboration/simulator/", query).content.decode()
    assert 'id="project-share">25.0 %' in page and "Money reaching SMEs" in page
    for header in ("Funder", "Year", "Local authority district", "ITL3 area", "Combined Authority"):
        assert f'<th scope="col" class="govuk-table__header">{header}</th>' in page, header
    csv_response = client.get("/collaboration/simulator/", query | {"format": "csv"})
    assert csv_response["Content-Type"] == "text/csv"
    assert csv_response.content.decode().splitlines()[0].startswith("rule_set,version,dimension")
    bad = client.get("/collaboration/simulator/",
                     query | {"param-ukri-collaboration-mandate-min_sme_share": "2"})
    assert "must be between 0 and 1" in bad.content.decode()


def test_data_sources_page_lists_the_collaboration_datasets(client):
    from markupsafe import escape

    from locus.collaboration.sources import BUNDLED_SOURCES

    page = client.get("/data-sources/").content.decode()
    for source in BUNDLED_SOURCES:
        assert str(escape(source.title)) in page


def test_area_pages_show_a_collaboration_section(client):
    page = client.get("/places/W06000015/").content.decode()   # Cardiff
    assert 'id="collaboration-heading"' in page and "Cardiff University" in page
    assert "University–business links" in page
    assert 'id="collaboration-heading"' not in client.get("/places/E92000001/").content.decode()


def test_overlong_names_and_descriptions_get_error_messages_not_a_check(client):
    long_name = CHECK | {"p1-name": "S" * 201}
    text = client.get("/collaboration/check/", long_name).content.decode()
    assert "<title>Error:" in text and 'href="#p1-name"' in text
    assert "Organisation 2: the organisation&#39;s name must be 200 characters or fewer (this one has 201)" in text
    blank = client.get("/collaboration/check/", CHECK | {"p1-name": ""}).content.decode()
    assert "Organisation 2: enter the organisation&#39;s name" in blank  # GOV.UK's "Enter", not "give"
    assert 'id="results"' not in text
    essay = client.get("/collaboration/check/", CHECK | {"description": "hydrogen " * 112}).content.decode()
    assert "<title>Error:" in essay and 'href="#description"' in essay
    assert 'id="description-error"' in essay and "must be 1,000 characters or fewer (it has 1,007)" in essay
    assert "hydrogen hydrogen" in essay and 'id="results"' not in essay  # what was typed is kept
    finder = client.get("/collaboration/partners/", {"search": "1", "description": "x" * 1001}).content.decode()
    assert "<title>Error:" in finder and 'id="description-error"' in finder
    assert "Describe the project in at most 1,000 characters (this has 1,001)" in finder
    assert "You can enter up to 1,000 characters" in finder


def test_every_gap_of_a_failing_check_is_listed_in_plain_words(client):
    apc = CHECK | {"rule_set": "apc", "p0-costs": "3m", "p0-grant": "1m"}
    page = client.get("/collaboration/check/", apc).content.decode()
    gaps = page[page.index('id="gaps"'):]
    assert '<h3 class="govuk-heading-m">A vehicle manufacturer or Tier 1 supplier</h3>' in gaps
    assert "no loaded dataset records which organisation is a vehicle manufacturer or Tier 1 supplier" in gaps
    assert '<h3 class="govuk-heading-m">An SME</h3>' in gaps and "No an SME" not in gaps


def test_the_organisation_list_pages_through_every_organisation_and_says_when_none_match(client):
    total = Organisation.objects.count()
    assert total > 50
    first = client.get("/collaboration/organisations/").content.decode()
    assert f"{total:,} organisations (showing 1 to 50)" in first and 'class="govuk-pagination' in first
    last_page = (total + 49) // 50
    last = client.get("/collaboration/organisations/", {"page": str(last_page)}).content.decode()
    assert f"(showing {(last_page - 1) * 50 + 1:,} to {total:,})" in last
    assert client.get("/collaboration/organisations/", {"page": "9999"}).status_code == 200
    assert client.get("/collaboration/organisations/", {"page": "abc"}).status_code == 200
    none = client.get("/collaboration/organisations/", {"q": "zzzzqqq"}).content.decode()
    assert 'id="no-organisations"' in none and 'id="organisations"' not in none


def test_partner_finder_errors_sit_at_their_fields_and_the_summary_links_to_them(client):
    bad = client.get("/collaboration/partners/", {"search": "1", "description": "marine", "postcode": "NOT A CODE",
                                                  "needs": "foo", "types": "bar"}).content.decode()
    assert 'id="postcode-error"' in bad or 'href="#needs-sme"' in bad
    for target in re.findall(r'govuk-error-summary__list.*?</ul>', bad, re.S)[0].split('href="#')[1:]:
        assert f'id="{target.split(chr(34))[0]}"' in bad  # every summary link reaches an element
    postcode = client.get("/collaboration/partners/", {"search": "1", "description": "marine",
                                                       "postcode": "NOT A CODE"}).content.decode()
    assert 'id="postcode-error"' in postcode and "govuk-input--error" in postcode
    unknown = client.get("/collaboration/partners/", {"search": "1", "org": "Zzzz Nonesuch"}).content.decode()
    assert 'id="org-error"' in unknown and "No organisation called" in unknown


def test_checker_asks_which_part_of_horizon_europe_the_call_is_in(client):
    horizon = CHECK | {"rule_set": "horizon-europe-ria", "n": "3", "p0-country": "DE",
                       "p1-country": "FR", "p2-name": "NRC Canada", "p2-type": "research",
                       "p2-country": "CA", "p2-costs": "1"}
    page = client.get("/collaboration/check/", horizon).content.decode()
    assert '<select class="govuk-select" id="param-programme_part"' in page
    assert '<option value="pillar_2" selected>Pillar II' in page  # the default
    assert "3 different countries that count" in page
    pillar_3 = client.get("/collaboration/check/",
                          horizon | {"param-horizon-europe-ria-programme_part": "pillar_3"})
    text = pillar_3.content.decode()
    assert '<option value="pillar_3" selected>' in text
    assert "Canada: associated to Pillar II only, so it counts only for a Pillar II call" in text
    bad = client.get("/collaboration/check/",
                     horizon | {"param-horizon-europe-ria-programme_part": "pillar_9"}).content.decode()
    assert "<title>Error:" in bad and 'href="#param-programme_part"' in bad
    assert "Choose the part of Horizon Europe the call belongs to</a>" in bad and "(got" not in bad
    assert "govuk-select--error" in bad
    rules = client.get("/collaboration/rule-sets/horizon-europe-ria/").content.decode()
    assert "version 2025-12.1" in rules and "Associated Countries for Pillar II only" in rules
    assert "association-horizon-europe/egypt_en" in rules


def _error_text(page: str, field: str) -> str:
    import html as html_lib

    found = re.search(rf'<p id="{field}-error" class="govuk-error-message">.*?</span>\s*(.*?)</p>',
                      page, re.S)
    return html_lib.unescape(found.group(1)).strip() if found else ""


@pytest.mark.parametrize("field,value,expected", [
    ("org", "https://www.swansea.ac.uk", "Enter your organisation’s name, not its web address, "
                                         "for example Swansea University"),
    ("description", "www.example.com/our-project", "Describe the project in words, not a link "
                                                   "to a web page, for example hydrogen fuel cells for buses"),
    ("postcode", "https://example.com", "Enter a postcode, not a web address, for example SA2 8PP"),
])
def test_a_web_address_alone_is_refused_in_plain_words(client, field, value, expected):
    """A link instead of a name, a description or a postcode says what went wrong and how to put
    it right, in the GOV.UK way, not a postcode grammar ("an outward code (A9, A99 ...") or a
    search for an organisation called 'https://...'; a description that is only a link is no
    longer matched on the words 'www' and 'example'."""
    params = {"search": "1", "description": "marine", field: value}
    page = client.get("/collaboration/partners/", params).content.decode()
    assert _error_text(page, field) == expected, _error_text(page, field)
    assert "outward code" not in page and "Suggested partners" not in page


def test_a_postcode_that_is_not_one_says_how_to_write_one(client):
    page = client.get("/collaboration/partners/", {"search": "1", "description": "marine",
                                                   "postcode": "NOT A CODE"}).content.decode()
    assert _error_text(page, "postcode") == "Enter a full UK postcode, for example SA2 8PP"


def test_the_checker_refuses_a_web_address_for_an_organisation_name(client):
    page = client.get("/collaboration/check/", {
        "n": "2", "action": "check", "lead": "0", "p0-name": "https://acme.example.com",
        "p0-type": "business", "p0-size": "small", "p0-costs": "100000", "p1-name": "Leeds",
        "p1-type": "research", "p1-costs": "50000"}).content.decode()
    assert _error_text(page, "p0-name") == ("Organisation 1: enter the organisation’s name, not "
                                            "its web address")
    assert "Passes" not in page and "Fails" not in page


def test_a_link_inside_a_description_is_accepted_and_not_matched_as_topics(client):
    """A description with a link in it is searched on its words; 'https', 'www' and the link's
    words never appear among the shared topics."""
    page = client.get("/collaboration/partners/", {
        "search": "1", "description": "marine energy, see https://www.example.com/marine-energy-tidal"
    }).content.decode()
    assert "Suggested partners" in page
    topics = re.findall(r"Shares with your description: ([^(]*)\(", page)
    assert topics and not any(w in t for t in topics for w in ("https", "www", "example", "com"))
    only_links = client.get("/collaboration/partners/", {
        "search": "1", "description": "https://example.com/a https://example.org/b"}).content.decode()
    assert _error_text(only_links, "description").startswith("Describe the project in words")


def test_the_partner_finders_type_filter_names_types_as_the_registry_does(client):
    """The registry's type is "Charity or association" (housing associations, societies, ...), so
    the filter offers "Charities and associations", not "Charities" alone."""
    page = client.get("/collaboration/partners/").content.decode()
    assert re.search(r'<label[^>]*>\s*Charities and associations\s*</label>', page)
