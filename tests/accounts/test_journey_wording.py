"""The accounts journeys in GOV.UK words: password rules said plainly at the password they are
about, forms sent empty answer with errors, the reset email says when its link expires, and
pages say who is signed in when that matters."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from locus.accounts.invitations import invitation_create
from locus.accounts.services import user_create

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-passphrase-42"


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LOCUS_SITE_URL = "https://locus.example.org"


def _reset_form(client) -> str:
    user_create(username="ann", email="ann@example.org", password=PASSWORD, role="analyst")
    client.post("/accounts/password-reset/", {"email": "ann@example.org"})
    body = mail.outbox[-1].body
    assert "The link works once and expires after 3 days." in body
    link = re.search(r"https://locus\.example\.org(/\S+)", body).group(1)
    return client.get(link, follow=True).redirect_chain[-1][0]


@pytest.mark.parametrize(("password", "said"), [
    ("short-one", "Password must be 12 characters or more"),
    ("password1234", "Password is too common: choose one that is harder to guess, like a few "
                     "unrelated words"),
    ("381947502619", "Password must include letters or symbols, not only numbers"),
])
def test_a_new_password_that_breaks_a_rule_is_told_so_at_the_password(client, password, said):
    page = client.post(_reset_form(client), {"new_password1": password,
                                             "new_password2": password}).content.decode()
    assert f'<a href="#id_new_password1">{said}</a>' in page  # the error summary
    assert re.search(r'id="new_password1-error" class="govuk-error-message">'
                     r'<span class="govuk-visually-hidden">Error:</span> ' + re.escape(said), page)
    assert 'id="new_password2-error"' not in page  # the repetition was right
    assert "This password is" not in page  # not Django's words


def test_a_password_like_the_username_is_refused_in_plain_words(client):
    _inv, token = invitation_create(email="bobby.tables@example.org", name="Bobby", send=False,
                                    role="analyst")
    page = client.post(f"/accounts/invitation/{token}/", {
        "password": "bobby.tables@example", "password_again": "bobby.tables@example"})
    assert "Password must not be so like your" in page.content.decode()


@pytest.mark.parametrize(("path", "said"), [
    ("/accounts/confirm-email/", "Enter your email address"),
    ("/accounts/password-reset/", "Enter your email address"),
])
def test_a_form_sent_with_nothing_in_it_says_what_is_missing(client, path, said):
    page = client.post(path, {}).content.decode()
    assert "There is a problem" in page and said in page and "<title>Error:" in page


def test_an_invitation_sent_with_nothing_in_it_asks_for_a_password(client):
    _inv, token = invitation_create(email="cy@example.org", name="Cy", role="analyst",
                                    send=False)
    page = client.post(f"/accounts/invitation/{token}/", {}).content.decode()
    assert '<a href="#id_password">Enter a password</a>' in page
    assert '<a href="#id_password_again">Enter the password again</a>' in page


def test_sign_in_says_the_username_of_an_invited_person_is_their_email(client):
    page = client.get("/accounts/sign-in/").content.decode()
    assert ('id="username-hint" class="govuk-hint">If you were invited by email or registered '
            'a business, your username is your email address') in page
    assert 'aria-describedby="username-hint"' in page


def test_an_invitation_for_another_account_says_who_is_signed_in(client):
    user_create(username="dee@example.org", email="dee@example.org", password=PASSWORD,
                role="analyst")
    client.force_login(user_create(username="eve", email="eve@example.org", password=PASSWORD,
                                   role="analyst"))
    _inv, token = invitation_create(email="dee@example.org", name="Dee", role="facilitator",
                                    send=False)
    page = client.get(f"/accounts/invitation/{token}/").content.decode()
    assert "You are signed in as eve, which is a different account." in page
    assert "Sign in with it</a> to accept the invitation" in page
