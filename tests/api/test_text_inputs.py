"""What the API's shared reading of a request refuses, for every operation at once (H29 A3b, A9):
a NUL character in any text (body, query or path: PostgreSQL cannot store it, so it was a 500 there
and kept silently on SQLite) is a 400 naming the field; an empty body and a JSON list say what to
send instead of "Field required"; a path id is named as in the docs (`id`)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db

CHECK = "/api/v1/collaboration/check"


def _post(client, url, body: str):
    return client.post(url, body, content_type="application/json")


def _fields(response) -> list[str]:
    assert response.status_code == 400, response.content
    return [e["field"] for e in response.json()["errors"]]


def test_an_empty_body_says_send_one_json_object(client):
    response = _post(client, CHECK, "")
    assert _fields(response) == ["request"]
    assert response.json()["detail"].startswith("request body: is empty: send one JSON object")


@pytest.mark.parametrize("body,words", [("[]", "not a list"), ('[{"rule_set": "x"}]', "not a list"),
                                        ("5", "send one JSON object"), ("null", "JSON null"),
                                        ('"text"', "JSON str")])
def test_a_body_that_is_not_an_object_says_so(client, body, words):
    response = _post(client, CHECK, body)
    assert _fields(response) == ["request"]
    assert response.json()["detail"].startswith("request body: is a JSON") and words in response.json()["detail"]


def test_a_nul_character_anywhere_in_the_body_is_named(client):
    body = {"rule_set": "innovate-uk-crd", "participants": [{"name": "ok"}, {"name": "Acme\u0000 Ltd"}],
            "project\u0000": 1}
    response = _post(client, CHECK, json.dumps(body))
    assert _fields(response) == ["participants[1].name", "project\\u0000"]
    assert "NUL character" in response.json()["detail"]
    assert response.json()["detail"].startswith("participants[1].name: contains a NUL character")


@pytest.mark.parametrize("url,field", [("/api/v1/areas?q=Ynys%00", "q"),
                                       ("/api/v1/policy/cases?q=a%00b", "q"),
                                       ("/api/v1/areas/E4700%000001", "code"),
                                       ("/api/v1/geocode?postcode=M1%001AE", "postcode"),
                                       ("/api/v1/policy/cases/a%00", "slug")])
def test_a_nul_character_in_the_address_is_a_400_naming_the_parameter(client, url, field):
    response = client.get(url)
    assert _fields(response) == [field]
    assert "NUL character" in response.json()["detail"]


def test_a_peers_path_id_is_called_id(client):
    from tests.peers.conftest import login, make_user

    login(client, make_user("manager", "programme manager"))
    response = client.get("/api/v1/peers/groups/abc")
    assert _fields(response) == ["id"] and response.json()["detail"].startswith("id: ")
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/peers/groups/{id}" in paths and not any("{pk}" in p for p in paths)
