"""Confirming an email address needs the link (the address is theirs) and the account's
password (they are the one who created the account), ADR 17 and its addendum."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from locus.accounts.confirmation import (
    MAX_FAILED_ATTEMPTS,
    ConfirmationError,
    ConfirmationPasswordError,
    confirmation_confirm,
    confirmation_resend,
    confirmation_start,
    confirmation_waiting,
)
from locus.accounts.models import EmailConfirmation

pytestmark = pytest.mark.django_db
CHOSEN = "the-registrants-own-pass-7"  # chosen by whoever registered, not the address's owner


@pytest.fixture(autouse=True)
def _site(settings):
    settings.LOCUS_SITE_URL = "https://locus.example.org"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def waiting():
    """An account someone created with ada@example.org and a password of their choosing."""
    user = get_user_model().objects.create_user(
        username="ada@example.org", email="ada@example.org", password=CHOSEN)
    token = confirmation_start(user=user, purpose="register Acme Ltd", send=False)
    return user, f"/accounts/confirm-email/{token}/", token


def test_the_address_owner_pressing_the_button_without_the_password_does_not_activate(
        client, waiting):
    user, path, _ = waiting
    page = client.get(path).content.decode()
    assert 'type="password"' in page and 'name="password"' in page
    response = client.post(path)  # the button alone, as before: no password
    text = response.content.decode()
    assert response.status_code == 200 and "<title>Error:" in text
    assert 'href="#id_password"' in text and 'id="password-error"' in text
    assert "Enter the password you chose when you created the account" in text
    user.refresh_from_db()
    assert not user.is_active and confirmation_waiting(user)


def test_a_wrong_password_is_a_field_error_and_does_not_use_up_the_link(client, waiting):
    user, path, _ = waiting
    text = client.post(path, {"password": "a-guess-at-the-pass-1"}).content.decode()
    assert "<title>Error:" in text and 'href="#id_password"' in text
    assert "not the one chosen when the account was created" in text
    assert f"{MAX_FAILED_ATTEMPTS - 1} more tries" in text
    assert 'value="a-guess' not in text  # a password is never shown back
    user.refresh_from_db()
    assert not user.is_active
    done = client.post(path, {"password": CHOSEN})  # signs in and leads on (no role: home)
    assert done.status_code == 302 and done["Location"] == "/"
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.is_active and not confirmation_waiting(user)
    assert client.login(username="ada@example.org", password=CHOSEN)


def test_too_many_wrong_passwords_stop_the_link_until_a_new_one_is_asked_for(
        client, waiting, mailoutbox, django_capture_on_commit_callbacks):
    user, path, _ = waiting
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        assert client.post(path, {"password": "wrong-pass-123"}).status_code == 200
    last = client.post(path, {"password": "wrong-pass-123"})
    assert last.status_code == 404 and "too many times" in last.content.decode()
    locked = client.post(path, {"password": CHOSEN})  # even the right one, now
    assert locked.status_code == 404 and "Link no longer works" in locked.content.decode()
    assert 'href="/accounts/confirm-email/"' in locked.content.decode()
    user.refresh_from_db()
    assert not user.is_active
    with django_capture_on_commit_callbacks(execute=True):
        assert confirmation_resend(email="ada@example.org")
    new = re.search(r"https://locus\.example\.org(/\S+)", mailoutbox[-1].body).group(1)
    assert EmailConfirmation.objects.get().failed_attempts == 0
    assert client.post(new, {"password": CHOSEN}).status_code == 302
    user.refresh_from_db()
    assert user.is_active


def test_the_service_needs_the_password_and_counts_wrong_ones(waiting):
    user, _, token = waiting
    with pytest.raises(ConfirmationPasswordError, match="Enter the password"):
        confirmation_confirm(token=token, password="")
    with pytest.raises(ConfirmationPasswordError, match="not the one chosen"):
        confirmation_confirm(token=token, password="not-it-at-all-9")
    assert EmailConfirmation.objects.get().failed_attempts == 1
    assert confirmation_confirm(token=token, password=CHOSEN) == user
    with pytest.raises(ConfirmationError, match="already") as caught:
        confirmation_confirm(token=token, password=CHOSEN)
    assert caught.value.reason == "used"


def test_the_email_says_the_password_is_needed(waiting, mailoutbox,
                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        confirmation_resend(email="ada@example.org")
    body = mailoutbox[-1].body
    assert "enter the password you chose" in body
    assert "cannot be confirmed without the password" in body
