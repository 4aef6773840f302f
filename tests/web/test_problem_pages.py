"""Refused requests get GOV.UK pages (JSON under /api/), never Django's bare error pages."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.urls import get_resolver


def test_a_form_that_fails_the_csrf_check_gets_a_page_saying_how_to_send_it_again(db):
    get_user_model().objects.create_user("csrf-user", password="Corr3ct-Horse-Battery")
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/accounts/sign-in/", {"username": "csrf-user", "password": "Corr3ct-Horse-Battery"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Sorry, your form could not be sent" in page and "reload the page" in page
    assert "govuk-heading-xl" in page and "CSRF" not in page  # plain words, in the site's layout
    assert "_auth_user_id" not in browser.session  # not signed in


@pytest.mark.parametrize(("status", "title"), [(400, "Sorry, Locus cannot use that request"),
                                               (403, "You cannot see this page")])
def test_the_400_and_403_handlers_render_govuk_pages_and_json_under_the_api(db, status, title):
    handler = get_resolver().resolve_error_handler(status)
    # no request.user: a 400 for a bad Host header is raised before the authentication middleware
    page = handler(RequestFactory().get("/peers/"), exception=Exception("internal detail"))
    assert page.status_code == status
    assert title in page.content.decode() and "internal detail" not in page.content.decode()
    api = handler(RequestFactory().get("/api/v1/areas/X"), exception=Exception("internal detail"))
    assert api.status_code == status and set(json.loads(api.content)) == {"detail"}


@pytest.mark.django_db
def test_a_request_for_a_host_locus_does_not_serve_gets_the_400_page(settings):
    settings.ALLOWED_HOSTS = ["locus.example.org"]
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400 and "Sorry, Locus cannot use that request" in response.content.decode()


def test_a_method_the_api_does_not_take_is_a_json_405_naming_the_methods(client):
    response = client.put("/api/v1/indicators")
    assert response.status_code == 405 and response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "PUT is not allowed at this address: use GET."}
    assert response["Allow"] == "GET, HEAD, OPTIONS"  # HEAD and OPTIONS are answered where GET is


def test_a_post_to_a_page_that_only_shows_is_a_405_page_in_the_sites_layout(client):
    response = client.post("/policy/cases/")  # a GET-only page; the test client skips the CSRF check
    page = response.content.decode()
    assert response.status_code == 405 and "Sorry, this page cannot do that" in page
    assert "govuk-heading-xl" in page and response["Allow"] == "GET, HEAD, OPTIONS"
