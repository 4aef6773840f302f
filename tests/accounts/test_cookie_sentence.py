"""The footer says which cookies the site sets, and it is true: none on pages that are only read,
the CSRF cookie on pages with a form that needs it, and the session cookie once signed in. It
used to say "no cookies unless you sign in", but the sign-in, password-reset and registration
pages set ``csrftoken`` for visitors (H30, finding 8)."""

from __future__ import annotations

import re

import pytest

from locus.accounts.services import user_create

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-passphrase-42"
SENTENCE = ("It sets only the cookies it needs: none while you read, a security cookie on pages "
            "with a form to sign in, register or send, and a session cookie when you sign in.")


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_footer_says_which_cookies_and_not_the_old_claim(client):
    page = _text(client.get("/"))
    assert SENTENCE in page and "no cookies unless you sign in" not in page


@pytest.mark.parametrize("url", ["/", "/peers/", "/policy/", "/collaboration/", "/docs/"])
def test_pages_that_are_only_read_set_no_cookie(client, url):
    response = client.get(url)
    assert response.status_code == 200 and not response.cookies


@pytest.mark.parametrize("url", ["/accounts/sign-in/", "/accounts/password-reset/"])
def test_a_page_with_a_form_sets_only_the_security_cookie(client, url):
    response = client.get(url)
    assert set(response.cookies) == {"csrftoken"}
    assert SENTENCE in _text(response)


def test_signing_in_adds_the_session_cookie(client):
    user_create(username="ana", email="ana@example.org", password=PASSWORD, role="analyst")
    response = client.post("/accounts/sign-in/", {"username": "ana", "password": PASSWORD})
    assert response.status_code == 302 and "sessionid" in response.cookies
