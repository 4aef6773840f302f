"""One-off messages (django.contrib.messages) are shown by the site layout, once, on whatever
page comes next: success as a green GOV.UK notification banner with role="alert", anything else
as a plain banner. And the "Check your email" page after asking for a password reset says how
long the link works, from PASSWORD_RESET_TIMEOUT."""

from __future__ import annotations

import re

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.backends.db import SessionStore
from django.template.loader import get_template
from django.test import Client, RequestFactory

from locus.accounts.invitations import invitation_create
from locus.accounts.services import user_create
from locus.accounts.views import reset_expires_after

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-passphrase-42"
NEW = "another-long-passphrase-77"


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def banners(page: str) -> list[str]:
    """Each notification banner's opening tag."""
    return re.findall(r'<div class="govuk-notification-banner[ "][^>]*>', page)


def test_a_message_set_before_a_redirect_shows_once_on_the_next_page_only(db):
    user = user_create(username="ana", email="ana@example.org", password=PASSWORD,
                       role="analyst")
    client = Client()
    client.force_login(user)
    response = client.post("/accounts/password/", {"old_password": PASSWORD,
                                                    "new_password1": NEW, "new_password2": NEW})
    page = client.get(response["Location"]).content.decode()
    assert page.count("Your password has been changed.") == 1
    (banner,) = banners(page)
    assert "govuk-notification-banner--success" in banner and 'role="alert"' in banner
    assert ">Success</h2>" in page
    # inside <main>, before the page's heading
    assert page.index('id="main-content"') < page.index("Your password has been changed") \
        < page.index("<h1")
    assert "Your password has been changed" not in client.get("/").content.decode()


def test_a_message_shows_on_a_page_outside_the_accounts_pages(db):
    """The home page has no banner code of its own: the layout shows the message."""
    user = user_create(username="ana", email="ana@example.org", password=PASSWORD,
                       role="analyst")
    client = Client()
    client.force_login(user)
    client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW,
                                        "new_password2": NEW})
    page = client.get("/").content.decode()
    assert page.count("Your password has been changed.") == 1


def test_a_page_that_shows_the_messages_itself_does_not_get_them_twice(client):
    """The invitation-accepted page takes the messages to list them as sentences; the layout
    leaves them alone."""
    _invitation, token = invitation_create(email="pat@example.org", name="Pat",
                                           role="facilitator", send=False)
    path = f"/accounts/invitation/{token}/"
    client.post(path, {"password": PASSWORD, "password_again": PASSWORD})
    page = client.get(path).content.decode()
    assert page.count("Your account is ready.") == 1 and not banners(page)


@pytest.mark.parametrize("level,role,title", [
    (messages.INFO, 'role="region"', "Important"), (messages.WARNING, 'role="region"', "Warning"),
    (messages.ERROR, 'role="region"', "Important")])
def test_other_messages_are_plain_banners(db, level, role, title):
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.user = AnonymousUser()
    request._messages = default_storage(request)
    messages.add_message(request, level, "Something to know")
    page = get_template("accounts/signed_out.html").render({}, request)
    (banner,) = banners(page)
    assert "--success" not in banner and role in banner
    assert f">{title}</h2>" in page and page.count("Something to know") == 1


def test_a_page_without_messages_has_no_banner(client):
    assert not banners(client.get("/accounts/sign-in/").content.decode())


# --- "Check your email" after asking for a password reset ---------------------------------------

def test_the_check_your_email_page_says_when_the_link_expires(client, settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 3 * 24 * 3600  # Django's default, which Locus keeps
    page = client.get("/accounts/password-reset/sent/").content.decode()
    assert "The link works once and expires after 3 days." in page
    settings.PASSWORD_RESET_TIMEOUT = 3600
    page = client.get("/accounts/password-reset/sent/").content.decode()
    assert "expires after 1 hour." in page


def test_the_reset_email_and_the_page_give_the_same_time(client, settings, mailoutbox):
    user_create(username="ana", email="ana@example.org", password=PASSWORD, role="analyst")
    settings.PASSWORD_RESET_TIMEOUT = 2 * 24 * 3600
    response = client.post("/accounts/password-reset/", {"email": "ana@example.org"})
    page = client.get(response["Location"]).content.decode()
    assert "expires after 2 days." in page and "expires after 2 days." in mailoutbox[0].body


@pytest.mark.parametrize("seconds,words", [
    (259200, "3 days"), (86400, "1 day"), (7200, "2 hours"), (3600, "1 hour"),
    (5400, "90 minutes"), (90000, "25 hours"), (60, "1 minute"), (30, "1 minute")])
def test_reset_expiry_in_words(seconds, words):
    assert reset_expires_after(seconds) == words
