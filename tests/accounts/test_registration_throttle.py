"""Registration is rate-limited per client address and per email address, and the "this address
already has an account" notice goes out at most once an hour per address; both limits are kept in
the database, so they hold for every web worker and across restarts (ADR 20, second addendum)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from locus.accounts.models import AttemptThrottle
from locus.accounts.services import user_create
from locus.accounts.throttle import attempt_allowed, client_address
from locus.peers.mail import ADDRESS_TAKEN_SUBJECT
from locus.peers.models import Firm
from locus.peers.views.public import REGISTRATIONS_PER_CLIENT, REGISTRATIONS_PER_EMAIL
from tests.peers.conftest import manager, programme  # noqa: F401 - fixtures
from tests.peers.test_registration import PASSWORD, form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _new_process():
    """What a second worker process (or a restart) would have: no in-memory state at all."""
    cache.clear()


def _register(client, programme, i: int, *, ip="203.0.113.5", **changes):  # noqa: F811
    _new_process()
    values = {"business_name": f"Throttle {i} Ltd", "company_number": "",
              "email": f"owner{i}@example.org", **changes}
    return client.post(f"/peers/{programme.slug}/register/",
                       form(programme, **values), REMOTE_ADDR=ip)


def _summary(response) -> str:
    text = response.content.decode()
    assert "govuk-error-summary" in text and "<title>Error:" in text
    return re.sub(r"\s+", " ", text)


def test_one_email_address_gets_ten_attempts_an_hour_then_a_govuk_error(client, programme):  # noqa: F811
    for i in range(REGISTRATIONS_PER_EMAIL):
        assert _register(client, programme, i, email="same@example.org").status_code == 302
    refused = _register(client, programme, 99, email="Same@Example.org")
    assert refused.status_code == 429
    text = _summary(refused)
    assert "Too many registrations have been sent with this email address in the last hour" in text
    assert 'href="#id_email"' in text and "Wait until" in text
    assert not Firm.objects.filter(name="Throttle 99 Ltd").exists()
    # another address from the same network is still welcome
    assert _register(client, programme, 100, email="other@example.org").status_code == 302


def test_one_client_address_gets_fifty_attempts_an_hour(client, programme):  # noqa: F811
    for i in range(REGISTRATIONS_PER_CLIENT):
        assert _register(client, programme, i).status_code == 302
    refused = _register(client, programme, 99)
    assert refused.status_code == 429
    assert "Too many registrations have been sent from your network" in _summary(refused)
    assert not Firm.objects.filter(name="Throttle 99 Ltd").exists()
    assert _register(client, programme, 100, ip="198.51.100.7").status_code == 302


def test_the_limit_ends_with_its_hour(client, programme):  # noqa: F811
    for i in range(REGISTRATIONS_PER_EMAIL):
        _register(client, programme, i, email="same@example.org")
    assert _register(client, programme, 50, email="same@example.org").status_code == 429
    AttemptThrottle.objects.update(window_started_at=timezone.now() - timedelta(minutes=61))
    assert _register(client, programme, 51, email="same@example.org").status_code == 302


def test_the_refusal_reads_the_same_whether_or_not_the_address_has_an_account(
        client, programme):  # noqa: F811
    user_create(username="ada", email="ada@example.org", password="her-own-pass-42",
                role="analyst")
    pages = {}
    for email in ("ada@example.org", "nobody@example.org"):
        for i in range(REGISTRATIONS_PER_EMAIL):
            assert _register(client, programme, i, email=email, password=PASSWORD,
                             business_name=f"{email} {i} Ltd").status_code == 302
        refused = _register(client, programme, 99, email=email, password=PASSWORD,
                            business_name="Last Ltd")
        assert refused.status_code == 429
        text = re.sub(r'nonce="[^"]*"', "", _summary(refused)).replace(email, "EMAIL")
        pages[email] = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
    assert pages["ada@example.org"] == pages["nobody@example.org"]


def test_the_owner_notice_holds_across_processes(client, programme, mailoutbox,  # noqa: F811
                                                 django_capture_on_commit_callbacks):
    """The notice was limited in Django's local-memory cache: a second worker or a restart sent
    it again. Clearing the cache between registrations stands for that."""
    user_create(username="ada", email="ada@example.org", password="her-own-pass-42",
                role="analyst")
    for i in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = _register(client, programme, i, email="ada@example.org",
                                 password=PASSWORD)
        assert response.status_code == 302
    assert [m.subject for m in mailoutbox] == [ADDRESS_TAKEN_SUBJECT]
    assert Firm.objects.count() == 3


def test_the_registration_limit_holds_across_processes(client, programme):  # noqa: F811
    """Each attempt starts from a cleared cache, as in another worker: the count is in the
    database, so the eleventh is refused all the same."""
    for i in range(REGISTRATIONS_PER_EMAIL):
        _register(client, programme, i, email="same@example.org", ip=f"198.51.100.{i}")
    assert AttemptThrottle.objects.count() == REGISTRATIONS_PER_EMAIL + 1  # 10 clients, 1 email
    assert _register(client, programme, 99, email="same@example.org").status_code == 429


def test_an_incomplete_form_is_not_counted(client, programme):  # noqa: F811
    for i in range(REGISTRATIONS_PER_EMAIL + 2):
        response = _register(client, programme, i, email="same@example.org", postcode="")
        assert response.status_code == 200
        assert 'href="#id_postcode"' in response.content.decode()
    assert not AttemptThrottle.objects.exists()


def test_attempt_allowed_counts_in_a_window_and_refuses_without_counting():
    now = timezone.now()
    hour = timedelta(hours=1)
    assert [attempt_allowed(scope="s", value="v", limit=2, window=hour, now=now)
            for _ in range(2)] == [None, None]
    assert attempt_allowed(scope="s", value="V ", limit=2, window=hour, now=now) == now + hour
    assert AttemptThrottle.objects.get().count == 2
    assert attempt_allowed(scope="other", value="v", limit=2, window=hour, now=now) is None
    later = now + hour
    assert attempt_allowed(scope="s", value="v", limit=2, window=hour, now=later) is None
    # rows from windows long gone are dropped
    attempt_allowed(scope="x", value="y", limit=1, window=hour, now=now + timedelta(days=3))
    assert AttemptThrottle.objects.count() == 1


@pytest.mark.parametrize("proxies,remote,forwarded,expected", [
    (0, "203.0.113.5", "1.2.3.4", "203.0.113.5"),  # no proxy: the header is anyone's to write
    (1, "10.0.0.2", "1.2.3.4, 203.0.113.5", "203.0.113.5"),  # the proxy's entry, not the client's
    (2, "10.0.0.2", "1.2.3.4, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
    (1, "10.0.0.2", "", "10.0.0.2"),
    (0, "2001:db8:1:2:3:4:5:6", "", "2001:db8:1:2::/64"),  # one IPv6 household: one /64
    (0, "::ffff:203.0.113.5", "", "203.0.113.5"),
])
def test_the_client_address_believes_only_the_configured_proxies(settings, proxies, remote,
                                                                 forwarded, expected):
    settings.LOCUS_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_locus_trusted_proxies_is_a_small_whole_number(tmp_path):
    from config.environment import ConfigError, read_environment

    base = {"LOCUS_DATA_DIR": str(tmp_path)}
    assert read_environment(base).trusted_proxies == 0
    assert read_environment({**base, "LOCUS_TRUSTED_PROXIES": " 2 "}).trusted_proxies == 2
    for bad in ("-1", "10", "yes", "1.5"):
        with pytest.raises(ConfigError, match="LOCUS_TRUSTED_PROXIES must be a whole number"):
            read_environment({**base, "LOCUS_TRUSTED_PROXIES": bad})
