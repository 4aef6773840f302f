"""A request body the API cannot read is a JSON 400 naming the request body, in the validation
errors' shape (``detail`` and ``errors``), never Django's HTML error page (schemathesis: POST with a
body of NUL bytes, with `Content-Type: multipart/form-data` and no boundary, or over the size limit)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

CHECK = "/api/v1/collaboration/check"
PEERS_COSTS = "/api/v1/peers/programmes/no-such-programme/costs"  # a session: CSRF checked first
TOKEN = "a" * 32


def _signed_in() -> Client:
    """A browser's session, CSRF enforced (the check is made only for a signed-in session)."""
    from django.contrib.auth import get_user_model

    client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.create_user("pm", password=None))
    return client


def _assert_body_refusal(response, words: str):
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["detail"].startswith("request body: ") and words in body["detail"]
    assert body["errors"][0]["field"] == "request"


@pytest.mark.parametrize("data", ["\x00", '{"rule_set": ', "not json"])
def test_a_body_that_is_not_json_is_a_400_naming_the_body(client, data):
    _assert_body_refusal(client.post(CHECK, data=data, content_type="application/json"), "not valid JSON")


def test_an_oversized_body_is_a_json_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(CHECK, data='{"a": "' + "x" * 2000 + '"}', content_type="application/json")
    _assert_body_refusal(response, "larger than 1,000 bytes")


def test_a_multipart_body_without_boundary_is_a_json_400():
    client = _signed_in()
    client.cookies["csrftoken"] = TOKEN  # a CSRF cookie, so Django goes on to read the form body
    response = client.post(PEERS_COSTS, data="x", content_type="multipart/form-data", HTTP_X_CSRFTOKEN=TOKEN)
    _assert_body_refusal(response, "multipart")


def test_signed_out_and_csrf_refusals_say_what_to_send():
    """ninja's own words were "Unauthorized" and "CSRF check Failed", which say nothing of what to send."""
    response = _signed_in().post(PEERS_COSTS, data="{}", content_type="application/json")
    assert response.status_code == 403
    assert "X-CSRFToken" in response.json()["detail"] and "csrftoken" in response.json()["detail"]
    signed_out = Client(HTTP_HOST="localhost").get("/api/v1/peers/programmes")
    assert signed_out.status_code == 401
    assert "/accounts/sign-in/" in signed_out.json()["detail"] and "sessionid" in signed_out.json()["detail"]
    # a POST with no credentials at all is told how to sign in, not about CSRF (ADR 18)
    anonymous = Client(HTTP_HOST="localhost", enforce_csrf_checks=True).post(
        PEERS_COSTS, data="{}", content_type="application/json")
    assert anonymous.status_code == 401 and "Bearer" in anonymous.json()["detail"]


def test_other_http_errors_keep_their_status_and_message(client):
    response = client.delete("/api/v1/areas")
    assert response.status_code == 405 and response.json()["detail"].startswith("DELETE is not allowed")
