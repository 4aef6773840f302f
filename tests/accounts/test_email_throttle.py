"""A password reset and a new confirmation link are emails anyone can ask for: each is limited
per address and per client address, kept in the database (ADR 20, third addendum). Before, 20
resets asked for one address sent it 20 emails (H30, finding 3). The limit counts whether or not
the address has an account, so the answer never tells which addresses do."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from locus.accounts.confirmation import confirmation_start
from locus.accounts.models import AttemptThrottle
from locus.accounts.services import user_create
from locus.accounts.views import EMAILS_PER_ADDRESS, EMAILS_PER_CLIENT

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-passphrase-42"
RESET = "/accounts/password-reset/"
RESEND = "/accounts/confirm-email/"


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def known(db):
    return user_create(username="ana", email="ana@example.org", password=PASSWORD,
                       role="analyst")


@pytest.fixture
def waiting(db):
    user = get_user_model().objects.create_user(
        username="wes@example.org", email="wes@example.org", password=PASSWORD, is_active=False)
    confirmation_start(user=user, purpose="register Wes Ltd", send=False)
    return user


def _post(client, url, email, ip="203.0.113.9"):
    return client.post(url, {"email": email}, REMOTE_ADDR=ip)


def _error(response) -> str:
    text = re.sub(r"\s+", " ", response.content.decode())
    assert response.status_code == 429 and "govuk-error-summary" in text
    assert "<title>Error:" in text and 'href="#id_email"' in text
    return re.search(r"Too many [^<]*", text).group(0)


@pytest.mark.parametrize("url,what", [(RESET, "password reset emails"),
                                      (RESEND, "confirmation links")])
def test_a_few_emails_an_hour_to_one_address_then_a_govuk_error(
        client, known, waiting, url, what, django_capture_on_commit_callbacks):
    address = known.email if url == RESET else waiting.email
    for _ in range(EMAILS_PER_ADDRESS):
        with django_capture_on_commit_callbacks(execute=True):  # the link goes after commit
            assert _post(client, url, address).status_code == 302
    assert len(mail.outbox) == EMAILS_PER_ADDRESS
    refused = _error(_post(client, url, address.upper()))
    assert refused.startswith(f"Too many {what} have been requested for this email address "
                              "in the last hour. Wait until")
    assert len(mail.outbox) == EMAILS_PER_ADDRESS  # nothing more was sent
    # an address with no account is refused the same way after the same count
    for _ in range(EMAILS_PER_ADDRESS):
        assert _post(client, url, "nobody@example.org").status_code == 302
    assert _error(_post(client, url, "nobody@example.org")) == refused
    # another address is still answered
    assert _post(client, url, "someone.else@example.org").status_code == 302


@pytest.mark.parametrize("url", [RESET, RESEND])
def test_one_client_address_gets_twenty_an_hour(client, known, url):
    for i in range(EMAILS_PER_CLIENT):
        assert _post(client, url, f"person{i}@example.org").status_code == 302
    refused = _error(_post(client, url, known.email))
    assert "from your network in the last hour" in refused
    assert mail.outbox == []  # the known address was not emailed
    assert _post(client, url, known.email, ip="198.51.100.7").status_code == 302


def test_the_limit_ends_with_its_hour(client, known):
    for _ in range(EMAILS_PER_ADDRESS):
        _post(client, RESET, known.email)
    assert _post(client, RESET, known.email).status_code == 429
    AttemptThrottle.objects.update(window_started_at=timezone.now() - timedelta(minutes=61))
    assert _post(client, RESET, known.email).status_code == 302
    assert len(mail.outbox) == EMAILS_PER_ADDRESS + 1


def test_resets_and_confirmation_links_are_counted_apart(client, known):
    for _ in range(EMAILS_PER_ADDRESS):
        _post(client, RESET, known.email)
    assert _post(client, RESET, known.email).status_code == 429
    assert _post(client, RESEND, known.email).status_code == 302
