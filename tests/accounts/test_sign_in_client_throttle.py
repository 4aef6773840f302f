"""Sign-in also limits wrong passwords per client address, whatever the usernames: before, only
each username was limited, so one password could be tried against every username (H30, finding
5). The limit is generous (100 an hour) so that an office or a launch event behind one address is
not refused for its people's typing (ADR 17, second addendum); the per-username lock stays."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from locus.accounts.models import AttemptThrottle
from locus.accounts.services import user_create
from locus.accounts.throttle import MAX_FAILURES, SIGN_IN_FAILURES_PER_CLIENT

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-passphrase-42"
SPRAYER = "203.0.113.20"


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def jo(db):
    return user_create(username="jo", email="jo@example.org", password=PASSWORD, role="analyst")


def _sign_in(client, username, password, ip=SPRAYER, **extra):
    return client.post("/accounts/sign-in/", {"username": username, "password": password},
                       REMOTE_ADDR=ip, **extra)


def _spray(client, count=SIGN_IN_FAILURES_PER_CLIENT, **kwargs) -> str:
    """One common password tried against many usernames, none of them often enough to lock it;
    every answer but the last is the usual one. Returns the last answer's text."""
    for i in range(count):
        text = _sign_in(client, f"user{i}", "Summer2026!", **kwargs).content.decode()
        if i < count - 1:
            assert "Enter a correct username and password" in text
    return text


def test_one_password_against_many_usernames_locks_the_client_address(client, jo):
    assert SIGN_IN_FAILURES_PER_CLIENT > MAX_FAILURES
    last = _spray(client)  # the wrong password that reaches the limit says so
    assert "Too many wrong passwords have been entered from your network" in last
    refused = _sign_in(client, "jo", PASSWORD)  # even the right password for a real account
    text = refused.content.decode()
    assert refused.status_code == 200 and "<title>Error:" in text
    assert "Too many wrong passwords have been entered from your network. Wait until" in text
    assert "_auth_user_id" not in client.session
    # the admin site's sign-in goes through the same backend
    admin = client.post("/admin/login/", {"username": "jo", "password": PASSWORD},
                        REMOTE_ADDR=SPRAYER)
    assert admin.status_code == 200 and "_auth_user_id" not in client.session
    # anyone else is unaffected
    assert _sign_in(client, "jo", PASSWORD, ip="198.51.100.7").status_code == 302


def test_the_client_lock_ends_with_its_hour(client, jo):
    _spray(client)
    assert _sign_in(client, "jo", PASSWORD).status_code == 200
    AttemptThrottle.objects.update(window_started_at=timezone.now() - timedelta(minutes=61))
    assert _sign_in(client, "jo", PASSWORD).status_code == 302


def test_right_passwords_from_a_shared_address_are_not_counted(client, jo):
    """An office signing in from one address: only wrong passwords count, and a right one does
    not clear the address's count (else an attacker with one account could reset it)."""
    for _ in range(3):
        assert _sign_in(client, "jo", PASSWORD).status_code == 302
        client.logout()
    assert not AttemptThrottle.objects.exists()
    _spray(client, SIGN_IN_FAILURES_PER_CLIENT - 1)
    assert _sign_in(client, "jo", PASSWORD).status_code == 302
    client.logout()
    _spray(client, 1)
    assert _sign_in(client, "jo", PASSWORD).status_code == 200


def test_behind_a_trusted_proxy_each_client_is_counted_apart(client, jo, settings):
    settings.LOCUS_TRUSTED_PROXIES = 1
    _spray(client, HTTP_X_FORWARDED_FOR="192.0.2.50", ip="10.0.0.1")
    assert _sign_in(client, "jo", PASSWORD, ip="10.0.0.1",
                    HTTP_X_FORWARDED_FOR="192.0.2.50").status_code == 200
    assert _sign_in(client, "jo", PASSWORD, ip="10.0.0.1",
                    HTTP_X_FORWARDED_FOR="192.0.2.51").status_code == 302
