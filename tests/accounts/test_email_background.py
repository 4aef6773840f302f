"""Password-reset and confirmation-link emails do not hold up the response (ADR 19): the
pages answer "if the address has an account, we have emailed it", and a response that waited
for the mail server only for known addresses would tell, by its timing, which addresses have
accounts. Measured with the test client and a mail server taking 50 ms, 200 requests each: a
known address answered in a median 55.7 ms against 2.1 ms for an unknown one before, 1.9 ms
against 1.4 ms after. These tests hold the mail server until the response has come back, so
they fail if the view waits for it, without timing anything."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from smtplib import SMTPException

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from locus.accounts.confirmation import confirmation_start
from locus.accounts.services import user_create

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-passphrase-42"
BACKEND = "tests.accounts.test_email_background."
WAIT = 10  # seconds, only a bound on waiting for another thread: nothing asserts a duration


class HeldBackend(BaseEmailBackend):
    """A mail server that does not answer until the test releases it."""

    entered = threading.Event()
    release = threading.Event()
    finished = threading.Event()
    sent: list = []

    def send_messages(self, messages):
        HeldBackend.entered.set()
        HeldBackend.release.wait(WAIT)  # a view that waits for this blocks here
        HeldBackend.sent.extend(messages)
        HeldBackend.finished.set()
        return len(messages)


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise SMTPException("451 try again later")


@pytest.fixture(autouse=True)
def _held(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LOCUS_SITE_URL = "https://locus.example.org"
    for event in (HeldBackend.entered, HeldBackend.release, HeldBackend.finished):
        event.clear()
    HeldBackend.sent = []
    yield
    HeldBackend.release.set()
    _join_email_threads()


@pytest.fixture
def logged(caplog):
    """Records from locus loggers (which do not propagate to the root logger caplog reads)."""
    logger = logging.getLogger("locus")
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


def _join_email_threads() -> None:
    for thread in threading.enumerate():
        if thread.name == "locus-account-email":
            thread.join(WAIT)


def _in_background(settings, backend: str = "HeldBackend") -> None:
    settings.LOCUS_EMAIL_IN_BACKGROUND = True
    settings.EMAIL_BACKEND = BACKEND + backend


def test_a_reset_for_a_known_address_answers_before_the_mail_server_does(client, settings):
    user_create(username="ann", email="ann@example.org", password=PASSWORD, role="analyst")
    _in_background(settings)
    response = client.post("/accounts/password-reset/", {"email": "ann@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert HeldBackend.entered.wait(WAIT), "the email was never handed to the mail server"
    assert not HeldBackend.finished.is_set(), "the response waited for the mail server"
    HeldBackend.release.set()
    assert HeldBackend.finished.wait(WAIT)
    [message] = HeldBackend.sent
    assert message.to == ["ann@example.org"] and message.subject == "Reset your Locus password"
    assert "https://locus.example.org/accounts/password-reset/" in message.body


def test_a_reset_for_an_unknown_address_starts_no_email(client, settings):
    _in_background(settings)
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    _join_email_threads()
    assert not HeldBackend.entered.is_set() and HeldBackend.sent == []


def test_a_new_confirmation_link_is_sent_after_the_response(
        client, settings, django_capture_on_commit_callbacks):
    waiting = get_user_model().objects.create_user(
        username="bo@example.org", email="bo@example.org", password=PASSWORD, is_active=False)
    confirmation_start(user=waiting, purpose="register Bo Ltd", send=False)
    _in_background(settings)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/confirm-email/", {"email": "bo@example.org"})
    assert response["Location"] == "/accounts/confirm-email/sent/"
    assert HeldBackend.entered.wait(WAIT)
    assert not HeldBackend.finished.is_set(), "the response waited for the mail server"
    HeldBackend.release.set()
    assert HeldBackend.finished.wait(WAIT)
    [message] = HeldBackend.sent
    assert message.to == ["bo@example.org"]
    assert "https://locus.example.org/accounts/confirm-email/" in message.body


def test_a_mail_server_failure_in_the_background_is_logged_not_shown(client, settings, logged):
    user = user_create(username="cy", email="cy@example.org", password=PASSWORD, role="analyst")
    _in_background(settings, "BrokenBackend")
    response = client.post("/accounts/password-reset/", {"email": "cy@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    _join_email_threads()
    [record] = [r for r in logged.records if r.name == "locus.accounts.services"]
    assert record.levelno == logging.ERROR and "451 try again later" in record.exc_text
    assert f"user {user.pk}" in record.getMessage()
    assert "cy@example.org" not in record.getMessage()  # no address in the log


@pytest.mark.parametrize("path", ["/accounts/password-reset/", "/accounts/confirm-email/"])
def test_a_mail_server_failure_reads_the_same_as_an_unknown_address(
        client, settings, logged, path, django_capture_on_commit_callbacks):
    """Sent at once (as under tests), a failure still does not turn into an error page, which
    would tell that the address has an account."""
    known = get_user_model().objects.create_user(
        username="di@example.org", email="di@example.org", password=PASSWORD,
        is_active=path.endswith("password-reset/"))
    if not known.is_active:
        confirmation_start(user=known, send=False)
    settings.EMAIL_BACKEND = BACKEND + "BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        failed = client.post(path, {"email": "di@example.org"})
        unknown = client.post(path, {"email": "nobody@example.org"})
    assert failed.status_code == unknown.status_code == 302
    assert failed["Location"] == unknown["Location"]
    assert [r.levelno for r in logged.records if r.name == "locus.accounts.services"] == [
        logging.ERROR]


def test_sent_at_once_under_tests_so_the_outbox_is_filled_before_the_response(client):
    user_create(username="ed", email="ed@example.org", password=PASSWORD, role="analyst")
    client.post("/accounts/password-reset/", {"email": "ed@example.org"})
    assert [m.to for m in mail.outbox] == [["ed@example.org"]]


@pytest.mark.parametrize(("env", "expected"), [("local", "True"), ("production", "True"),
                                               ("test", "False")])
def test_only_the_test_settings_send_at_once(tmp_path, env, expected):
    environ = {key: value for key, value in os.environ.items()
               if not key.startswith(("LOCUS_", "DJANGO_", "DATABASE_URL"))}
    environ.update(LOCUS_ENV=env, LOCUS_DATA_DIR=str(tmp_path), SECRET_KEY="x" * 50,
                   ALLOWED_HOSTS="locus.example.org", LOCUS_SITE_URL="https://locus.example.org")
    out = subprocess.run([sys.executable, "-c", "import config.settings as s; "
                          "print(s.LOCUS_EMAIL_IN_BACKGROUND, s.EMAIL_TIMEOUT)"],
                         env=environ, capture_output=True, text=True, check=True,
                         cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert out.stdout.split() == [expected, "30"]


def test_an_invitation_the_mail_server_refuses_is_an_error_for_the_manager(settings, logged):
    """Invitations are sent while the manager waits (the manager typed the address, so there
    is nothing to enumerate): a refusal is a clear error on the email field, not a server
    error, and no unusable invitation is kept."""
    from locus.accounts.invitations import InvitationError, invitation_create
    from locus.accounts.models import Invitation

    settings.LOCUS_EMAIL_IN_BACKGROUND = True  # no effect on invitations
    settings.EMAIL_BACKEND = BACKEND + "BrokenBackend"
    with pytest.raises(InvitationError, match="mail server did not accept it") as refused:
        invitation_create(email="fi@example.org", name="Fi", role="facilitator")
    assert refused.value.field == "email" and not Invitation.objects.exists()
    assert any(r.name == "locus.accounts.invitations" for r in logged.records)
