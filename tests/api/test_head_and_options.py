"""HEAD and OPTIONS wherever GET is answered (H29 A7: both were 405 on every API address): HEAD is the
GET's status and headers without a body, OPTIONS a 204 with Allow; a method the address does not take
stays a 405 naming the ones it does. A trailing slash on an API address says the address without it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/areas?limit=2", "/api/v1/areas/E47000001", "/api/v1/policy/cost-model",
                                 "/api/v1/openapi.json", "/api/v1/collaboration/rule-sets"])
def test_head_is_the_get_without_a_body(client, url):
    got = client.get(url)
    head = client.head(url)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head["Content-Type"] == got["Content-Type"]
    assert int(head["Content-Length"]) == len(got.content)


def test_head_keeps_the_gets_status(client):
    assert client.head("/api/v1/areas/NOPE").status_code == 404
    assert client.head("/api/v1/areas?limit=0").status_code == 400
    assert client.head("/api/v1/peers/programmes").status_code == 401  # signed out, as for GET


def test_options_lists_what_the_address_takes(client):
    response = client.options("/api/v1/areas/E47000001")
    assert response.status_code == 204 and response.content == b""
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_other_methods_are_still_refused_naming_the_ones_taken(client):
    response = client.delete("/api/v1/areas/E47000001")
    assert response.status_code == 405
    assert response.json()["detail"] == "DELETE is not allowed at this address: use GET."
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    # an address that only takes POST does not answer HEAD
    post_only = client.head("/api/v1/collaboration/check")
    assert post_only.status_code == 405 and post_only["Allow"] == "POST"


def test_html_pages_answer_head(client):
    for url in ("/", "/places/", "/places/E47000001/"):
        got, head = client.get(url), client.head(url)
        assert head.status_code == got.status_code == 200, url
        assert head.content == b""


def test_a_trailing_slash_names_the_address_without_it(client):
    response = client.get("/api/v1/areas/E47000001/")
    assert response.status_code == 404
    assert response.json()["detail"] == ("Not found. API addresses do not end with a slash: try "
                                         "/api/v1/areas/E47000001")
    assert client.get("/api/v1/nothing-here").json()["detail"] == "Not found."
    assert client.get("/api/v1/nothing-here/").json()["detail"] == "Not found."
