"""The issue's bad input, through the pages: a search with no results shows suggestions; cost-model
parameters out of range show GOV.UK field errors and no result. (Proposal field errors:
test_moderation.test_proposal_field_errors; parsing: test_costs.)"""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policy_library")]


def test_a_search_with_no_results_shows_suggestions_not_an_empty_page(client):
    page = client.get("/policy/cases/", {"q": "zzqxv wvbnq"}).content.decode()
    assert 'id="suggestions"' in page
    suggestions = page[page.index('id="suggestions"'):page.index("</ul>", page.index('id="suggestions"'))]
    assert suggestions.count("<li") >= 2  # at least: any of the words / browse by stage
    assert 'href="/policy/cases/?stage=' in suggestions or "stage=" in suggestions
    typo = client.get("/policy/cases/", {"q": "knowlege transfer partnerships", "stage": "productivity"}).content.decode()
    assert "Did you mean" in typo or "Remove all filters" in typo


@pytest.mark.parametrize("params, errors", [
    ({"pn_firms_per_year": "-5"}, ["Firms taking part per year (UK-wide) cannot be negative"]),
    ({"pn_group_size": "0"}, ["Firms per peer group must be at least 2"]),
    ({"pn_firms_per_year": "-1", "pn_group_size": "0", "cb_places_per_year": "-3"},
     ["cannot be negative", "Firms per peer group must be at least 2"]),
])
def test_cost_model_out_of_range_shows_field_errors_and_no_result(client, params, errors):
    response = client.get("/policy/cost-model/", params)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error:" in page and "govuk-error-summary" in page
    summary = page[page.index("govuk-error-summary"):page.index("</div>", page.index("govuk-error-summary__body"))]
    for key in params:  # every bad field is linked from the summary and marked at the field
        assert f'href="#id_{key}"' in summary
        assert re.search(rf'id="{key}-error"', page), key
    for text in errors:
        assert text in page
    assert 'id="total"' not in page and 'id="tornado"' not in page


def test_cost_model_in_range_shows_a_result(client):
    page = client.get("/policy/cost-model/", {"pn_group_size": "8"}).content.decode()
    assert 'id="total"' in page and "<title>Error:" not in page


def test_a_page_past_the_end_of_a_search_is_a_404_with_a_message_not_a_server_error(client):
    first = client.get("/policy/cases/", {"q": "cluster"})
    assert first.status_code == 200
    for page in ("2", "50", "9999"):
        response = client.get("/policy/cases/", {"q": "cluster", "page": page})
        if page == "2" and response.status_code == 200:
            continue  # the fixture library may have a second page
        assert response.status_code == 404
        assert f"There is no page {page} of this search" in response.content.decode()


def test_a_search_of_only_common_words_says_so_instead_of_no_match(client):
    page = client.get("/policy/cases/", {"q": "the"}).content.decode()
    assert "has only common words or single letters, which the search ignores" in page
    assert "No published case matches" not in page
    assert "common words such as ‘the’ are ignored" in page


@pytest.mark.parametrize("params, key, anchor", [
    ({"country": "Narnia"}, "country", "f-country-1"),
    ({"country": ["United Kingdom", "Narnia"], "q": "innovation"}, "country", "f-country-1"),
    ({"stage": "moon"}, "stage", "f-stage-1"),
    ({"level": "galaxy"}, "level", "f-level-1"),
])
def test_a_filter_value_outside_its_list_is_a_govuk_error_at_that_filter(client, params, key,
                                                                         anchor):
    """A country (like the other closed-list filters) outside its list is refused with a GOV.UK
    error: a 400 page titled Error, a summary linking to the filter, the message at the filter,
    and the search run without the refused value (it was a silent empty result for a country
    and a 'Page not found' for a stage)."""
    response = client.get("/policy/cases/", params)
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("<title>Error:") == 1 and "govuk-error-summary" in page
    bad = next(v for v in ([params[key]] if isinstance(params[key], str) else params[key])
               if v not in ("United Kingdom",))
    assert f'<a href="#{anchor}">‘{bad}’ is not a' in page
    assert f'id="f-{key}-error"' in page and "govuk-form-group--error" in page
    assert f'value="{bad}"' not in page  # not offered back as a choice
    assert 'id="results"' in page  # the rest of the search still runs


def test_a_known_country_and_a_uk_nation_are_not_errors(client):
    for country in ("United Kingdom", "Wales"):
        response = client.get("/policy/cases/", {"country": country})
        assert response.status_code == 200, country
        assert "govuk-error-summary" not in response.content.decode()
