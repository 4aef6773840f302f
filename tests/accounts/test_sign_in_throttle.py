"""Sign-in slows down password guessing: too many wrong passwords for one username lock it for a
while, whatever password is given then, whether or not an account has that username."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from locus.accounts.models import SignInThrottle
from locus.accounts.services import user_create
from locus.accounts.throttle import MAX_FAILURES

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-passphrase-42"


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _sign_in(client, username, password):
    return client.post("/accounts/sign-in/", {"username": username, "password": password})


@pytest.mark.parametrize("username", ["jo", "nobody-here"])
def test_too_many_wrong_passwords_lock_the_username_for_a_while(client, username):
    user_create(username="jo", email="jo@example.org", password=PASSWORD, role="analyst")
    for _ in range(MAX_FAILURES - 1):
        text = _sign_in(client, username, "wrong-guess-1").content.decode()
        assert "Enter a correct username and password (both are case-sensitive)" in text
    locked = _sign_in(client, username, "wrong-guess-1").content.decode()
    assert "too many times" in locked and "<title>Error:" in locked
    assert 'href="#id_username"' in locked and "reset your password" in locked
    # while locked, even the right password is refused (the lock says nothing about it)
    again = _sign_in(client, username, PASSWORD).content.decode()
    assert "too many times" in again and "_auth_user_id" not in client.session
    assert "too many times" in _sign_in(client, username.upper(), PASSWORD).content.decode()
    assert not SignInThrottle.objects.filter(key__contains=username).exists()  # only a hash
    SignInThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    if username == "jo":
        assert _sign_in(client, "jo", PASSWORD).status_code == 302
        assert not SignInThrottle.objects.exists()  # a right password clears the count


def test_a_right_password_clears_the_count(client):
    user_create(username="kim", email="kim@example.org", password=PASSWORD, role="analyst")
    for _ in range(MAX_FAILURES - 1):
        _sign_in(client, "kim", "wrong-guess-1")
    assert _sign_in(client, "kim", PASSWORD).status_code == 302
    client.logout()
    for _ in range(MAX_FAILURES - 1):
        _sign_in(client, "kim", "wrong-guess-1")
    assert _sign_in(client, "kim", PASSWORD).status_code == 302


def test_old_failures_do_not_count_against_a_new_window(client):
    user_create(username="lee", email="lee@example.org", password=PASSWORD, role="analyst")
    for _ in range(MAX_FAILURES - 1):
        _sign_in(client, "lee", "wrong-guess-1")
    SignInThrottle.objects.update(window_started_at=timezone.now() - timedelta(minutes=16))
    text = _sign_in(client, "lee", "wrong-guess-1").content.decode()
    assert "too many times" not in text and SignInThrottle.objects.get().failures == 1


def test_counts_nobody_has_added_to_for_a_day_are_dropped(client):
    _sign_in(client, "someone-long-ago", "wrong-guess-1")
    SignInThrottle.objects.update(window_started_at=timezone.now() - timedelta(days=2))
    _sign_in(client, "someone-today", "wrong-guess-1")
    assert SignInThrottle.objects.count() == 1


def _admin_sign_in(client, username, password):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def test_the_admin_sign_in_is_throttled_too_and_shares_the_count(client):
    user_create(username="ada", email="ada@example.org", password=PASSWORD, role="administrator")
    for _ in range(MAX_FAILURES // 2):
        _sign_in(client, "ada", "wrong-guess-1")
    for _ in range(MAX_FAILURES - MAX_FAILURES // 2 - 1):
        text = _admin_sign_in(client, "ada", "wrong-guess-1").content.decode()
        assert "Please enter the correct username and password" in text
    locked = _admin_sign_in(client, "ada", "wrong-guess-1").content.decode()
    assert "too many times" in locked
    again = _admin_sign_in(client, "ada", PASSWORD)  # the right password is refused while locked
    assert again.status_code == 200 and "too many times" in again.content.decode()
    assert "_auth_user_id" not in client.session
    assert "too many times" in _sign_in(client, "ada", PASSWORD).content.decode()
    SignInThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    assert _admin_sign_in(client, "ada", PASSWORD).status_code == 302
    assert not SignInThrottle.objects.exists()


def test_every_password_check_through_authenticate_is_throttled(rf):
    from django.contrib.auth import authenticate

    user = user_create(username="bo", email="bo@example.org", password=PASSWORD, role="analyst")
    for _ in range(MAX_FAILURES):
        assert authenticate(rf.get("/"), username="bo", password="wrong-guess-1") is None
    assert authenticate(rf.get("/"), username="bo", password=PASSWORD) is None  # locked
    SignInThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    assert authenticate(rf.get("/"), username="bo", password=PASSWORD) == user


def test_resetting_the_password_lifts_the_lock(client):
    """The lock message offers a password reset: a reset (which proves the email address) lifts
    the lock, so the new password works at once."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = user_create(username="mo", email="mo@example.org", password=PASSWORD, role="analyst")
    for _ in range(MAX_FAILURES):
        _sign_in(client, "mo", "wrong-guess-1")
    assert "too many times" in _sign_in(client, "mo", PASSWORD).content.decode()
    link = (f"/accounts/password-reset/{urlsafe_base64_encode(force_bytes(user.pk))}/"
            f"{default_token_generator.make_token(user)}/")
    form = client.get(link, follow=True)
    new = "another-long-passphrase-77"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302 and not SignInThrottle.objects.exists()
    assert _sign_in(client, "mo", new).status_code == 302
