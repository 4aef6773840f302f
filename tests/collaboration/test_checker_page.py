"""The consortium checker page for an applicant using a screen reader: every error is announced
with its field (GOV.UK error pattern: the input's aria-describedby names its error message)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db
BAD = {"n": "2", "rule_set": "apc", "lead": "0", "action": "check",
       "p0-name": "Acme Ltd", "p0-type": "business", "p0-size": "large", "p0-country": "GB",
       "p0-costs": "lots", "p1-name": "acme ltd", "p1-type": "research", "p1-country": "GB",
       "p1-costs": "", "param-apc-min_match_funding": "half"}


@pytest.mark.parametrize("query, count", [
    (BAD, 2),  # costs that are not money, missing costs
    ({**BAD, "p0-costs": "5", "p1-costs": "5"}, 1),  # then the setting that is not a share
    ({**BAD, "p0-costs": "5", "p1-costs": "5", "param-apc-min_match_funding": "0.5"}, 1),  # same name twice
    ({**BAD, "p1-costs": "5", "p1-grant": "10", "param-apc-min_match_funding": "0.5"}, 1),
    ({**BAD, "description": "x" * 1001}, 1),  # checked before anything else
])
def test_every_error_in_the_summary_is_announced_by_its_field(client, query, count):
    page = client.get("/collaboration/check/", query).content.decode()
    targets = re.findall(r'<li><a href="#([\w-]+)">', page)
    assert len(targets) >= count, targets
    for target in targets:
        field = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{target}"[^>]*>', page)
        assert field, f"the summary links to #{target}, which is not a field"
        assert re.search(rf'aria-describedby="[^"]*\b{target}-error\b', field.group(0)), field.group(0)
        assert f'id="{target}-error"' in page


def test_adding_an_organisation_takes_the_applicant_to_its_name(client):
    """After 'Add another organisation' the page opens at the new organisation's name, not at the
    top of a long form (on a phone, twenty screens above it)."""
    page = client.get("/collaboration/check/", {"n": "3", "action": "add"}).content.decode()
    add = re.search(r'<button[^>]*value="add"[^>]*>', page).group(0)
    assert 'formaction="/collaboration/check/#p4-name"' in add and 'id="p4-name"' not in page
    after = client.get("/collaboration/check/", {"n": "4", "action": "add"}).content.decode()
    assert 'id="p4-name"' in after


def test_at_twenty_organisations_the_page_says_so_instead_of_offering_to_add(client):
    page = client.get("/collaboration/check/", {"n": "20"}).content.decode()
    assert 'value="add"' not in page and "A check takes up to 20 organisations." in page


@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_rule_set_checks_against_every_rule_set(client, value):
    """A hand-edited or shared link with rule_set= (empty) said "Unknown rule set ''": empty is no
    choice, so the page checks against every rule set as it does by default."""
    ok = {**BAD, "rule_set": value, "p0-costs": "500000", "p1-costs": "250000", "p1-name": "Leeds Uni"}
    page = client.get("/collaboration/check/", ok).content.decode()
    assert "nknown rule set" not in page and "govuk-error-summary" not in page
    assert page.count('class="govuk-heading-m" id="rs-') >= 2  # one report per rule set
    assert '<option value="all" selected' in page


def test_an_unknown_rule_set_is_still_an_error_by_its_field(client):
    page = client.get("/collaboration/check/", {**BAD, "rule_set": "nope"}).content.decode()
    assert 'href="#rule_set"' in page and "nknown rule set" in page


@pytest.mark.parametrize("field", ["publishes", "claims"])
@pytest.mark.parametrize("value", ["maybe", "1", "true", ""])
def test_a_yes_no_answer_that_is_not_yes_or_no_is_an_error_by_its_field(client, field, value):
    """"claims" anything but "no" was read as yes, "publishes" anything but "yes" as no."""
    ok = {**BAD, "rule_set": "all", "p0-costs": "500000", "p1-costs": "250000", "p1-name": "Leeds Uni",
          "param-apc-min_match_funding": "0.5", f"p1-{field}": value}
    response = client.get("/collaboration/check/", ok)
    page = response.content.decode()
    assert f'<li><a href="#p1-{field}">Organisation 2: choose Yes or No for whether' in page
    assert f'id="p1-{field}-error"' in page and 'id="rs-' not in page  # no report on a wrong answer
    good = client.get("/collaboration/check/", {**ok, f"p1-{field}": "no"}).content.decode()
    assert "govuk-error-summary" not in good and 'id="rs-' in good


def test_a_value_not_in_a_list_says_choose_in_the_fields_words(client):
    """An edited link with country XX said "'XX' is not an ISO 3166 alpha-2 country code"."""
    query = {**BAD, "p0-costs": "5", "p1-costs": "5", "param-apc-min_match_funding": "0.5",
             "p1-name": "Leeds Uni", "p1-country": "XX", "p0-type": "spaceship", "p0-size": "huge"}
    page = client.get("/collaboration/check/", query).content.decode()
    assert '<a href="#p1-country">Organisation 2: choose the country where it is established</a>' in page
    assert '<a href="#p0-type">Organisation 1: choose its type of organisation</a>' in page
    assert '<a href="#p0-size">Organisation 1: choose its size</a>' in page
    assert "ISO 3166" not in page and "is not one of" not in page
