"""The account forms as a screen reader and a password manager meet them: errors tied to their
fields, the autocomplete tokens, a username for every new or current password, and answers that
do not tell whether an address has an account."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from locus.accounts.confirmation import confirmation_start
from locus.accounts.invitations import invitation_create
from locus.accounts.roles import Role
from locus.accounts.services import user_create

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-passphrase-42"


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.LOCUS_SITE_URL = "https://locus.example.org"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _input(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    assert match, f"no input named {name}"
    return match.group(0)


def _described_by(tag: str) -> set[str]:
    match = re.search(r'aria-describedby="([^"]*)"', tag)
    return set(match.group(1).split()) if match else set()


def test_sign_in_errors_are_tied_to_their_fields(client):
    empty = client.post("/accounts/sign-in/", {"username": "", "password": ""}).content.decode()
    assert _described_by(_input(empty, "username")) == {"username-hint", "username-error"}
    assert _described_by(_input(empty, "password")) == {"password-error"}
    assert 'id="username-error"' in empty and 'id="password-error"' in empty

    user_create(username="kim", email="kim@example.org", password=PASSWORD, role="analyst")
    wrong = client.post("/accounts/sign-in/", {"username": "kim", "password": "not-it-9"})
    page = wrong.content.decode()
    username = _input(page, "username")
    assert _described_by(username) == {"username-hint", "username-error"} and "govuk-input--error" in username
    assert 'href="#id_username"' in page  # the summary link goes to the field with the message
    # no error on a field that has none
    assert _described_by(_input(page, "password")) == set()


def test_a_wrong_password_reads_the_same_whether_or_not_the_account_exists(client):
    user_create(username="kim", email="kim@example.org", password=PASSWORD, role="analyst")

    def message(username: str) -> str:
        page = client.post("/accounts/sign-in/", {"username": username,
                                                  "password": "not-it-9"}).content.decode()
        return re.search(r'id="username-error"[^>]*>(.*?)</p>', page, flags=re.S).group(1)

    assert message("kim") == message("nobody-at-all")


def test_sign_in_fields_carry_autocomplete_tokens(client):
    page = client.get("/accounts/sign-in/").content.decode()
    assert 'autocomplete="username"' in _input(page, "username")
    assert 'autocomplete="current-password"' in _input(page, "password")


def test_a_new_password_from_an_invitation_comes_with_its_username(client):
    _, token = invitation_create(email="fay@example.org", name="Fay", role=Role.FACILITATOR)
    page = client.get(f"/accounts/invitation/{token}/").content.decode()
    username = _input(page, "username")
    assert "hidden" in username and 'autocomplete="username"' in username
    assert 'value="fay@example.org"' in username
    assert 'autocomplete="new-password"' in _input(page, "password")
    assert 'autocomplete="new-password"' in _input(page, "password_again")


def test_a_password_reset_page_comes_with_its_username(client):
    user = user_create(username="kim", email="kim@example.org", password=PASSWORD,
                       role="analyst")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    page = client.get(f"/accounts/password-reset/{uid}/{token}/", follow=True).content.decode()
    assert "Choose a new password" in page
    username = _input(page, "username")
    assert "hidden" in username and 'value="kim"' in username
    assert 'autocomplete="username"' in username
    assert 'autocomplete="new-password"' in _input(page, "new_password1")


def test_the_confirmation_page_comes_with_its_username(client):
    user = user_create(username="ada@example.org", email="ada@example.org", password=PASSWORD,
                       role="firm member")
    user.is_active = False
    user.save(update_fields=["is_active"])
    token = confirmation_start(user=user, purpose="register Acme Ltd", send=False)
    page = client.get(f"/accounts/confirm-email/{token}/").content.decode()
    username = _input(page, "username")
    assert "hidden" in username and 'value="ada@example.org"' in username
    assert 'autocomplete="current-password"' in _input(page, "password")


@pytest.mark.parametrize("path", ["/accounts/password-reset/", "/accounts/confirm-email/"])
def test_asking_for_a_link_answers_alike_for_any_address(client, path):
    user_create(username="kim", email="kim@example.org", password=PASSWORD, role="analyst")
    known = client.post(path, {"email": "kim@example.org"}, follow=True)
    unknown = client.post(path, {"email": "nobody@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain and known.redirect_chain
    # the same page but for the Content-Security-Policy nonce, which is new on every response
    assert re.sub(rb'nonce="[^"]*"', b"", known.content) == re.sub(rb'nonce="[^"]*"', b"", unknown.content)
    page = client.get(path).content.decode()
    assert 'autocomplete="email"' in _input(page, "email")
