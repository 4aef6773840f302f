"""The account's email address is told when its password changes (on the change-password page,
with a reset link, or by an administrator in the admin site) and when a personal API token is
created (``locus.accounts.notices``): what changed and when (UK time), what to do if it was not
them, and never the password, the token or a link that signs anyone in. A change that fails
validation sends nothing; a mail server that fails is logged and undoes nothing."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from locus.accounts.api_tokens import api_token_create
from locus.accounts.confirmation import confirmation_start
from locus.accounts.notices import (
    API_TOKEN_CREATED_SUBJECT,
    PASSWORD_CHANGED_SUBJECT,
    PASSWORD_SIGN_IN_OFF_SUBJECT,
    password_changed_notify,
    uk_time,
)
from locus.accounts.services import user_create

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-passphrase-42"
NEW = "a-brand-new-passphrase-77"
SITE = "https://locus.example.org"
BACKEND = "tests.accounts.test_email_background."
WHEN = re.compile(r"on \d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d \(UK time\)")


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LOCUS_SITE_URL = SITE


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """``with commits():`` runs the after-commit callbacks when the block ends, as a real
    commit would (the notices go once the change is committed)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def ana(db):
    user = user_create(username="ana", email="ana@example.org", password=PASSWORD,
                       role="analyst")
    user.first_name = "Ana"
    user.save()
    return user


@pytest.fixture
def logged(caplog):
    logger = logging.getLogger("locus")
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def assert_safe(body: str, *secrets: str) -> None:
    """No password or token, and no link but the reset-request and API-tokens pages (neither
    signs anyone in: the first emails a link to the address, the second asks to sign in)."""
    for secret in (PASSWORD, NEW, *secrets):
        assert secret not in body
    assert set(links(body)) <= {f"{SITE}/accounts/password-reset/", f"{SITE}/accounts/api-tokens/"}


def change(client: Client, old=PASSWORD, new=NEW, again=None):
    return client.post("/accounts/password/", {"old_password": old, "new_password1": new,
                                               "new_password2": new if again is None else again})


# --- the change-password page ------------------------------------------------------------------

def test_changing_the_password_emails_the_account_address(ana, commits):
    with commits():
        response = change(signed_in(ana))
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    [message] = mail.outbox
    assert message.to == ["ana@example.org"] and message.subject == PASSWORD_CHANGED_SUBJECT
    body = message.body
    assert body.startswith("Hello Ana,")
    assert "The password of your Locus account ana was changed " in body
    assert WHEN.search(body) and "on the Change your password page" in body
    assert "still signed in where the password was changed" in body
    assert "If it was not you" in body and "Reset your password now" in body
    assert "tell an administrator of Locus" in body
    assert "Your API tokens still work after a password change" in body
    assert_safe(body)
    assert f"{SITE}/accounts/password-reset/" in links(body)
    assert "&#39;" not in body and "&amp;" not in body  # plain text, not HTML-escaped


@pytest.mark.parametrize("data", [
    {"old": "not-the-password-1"},  # wrong current password
    {"new": "short"},  # breaks a password rule
    {"again": NEW + "x"},  # the repetition differs
])
def test_a_change_that_fails_validation_sends_nothing(ana, commits, data):
    with commits():
        response = change(signed_in(ana), **data)
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    ana.refresh_from_db()
    assert ana.check_password(PASSWORD) and mail.outbox == []


def test_a_mail_server_failure_neither_undoes_the_change_nor_shows(ana, commits, settings,
                                                                    logged):
    settings.EMAIL_BACKEND = BACKEND + "BrokenBackend"
    client = signed_in(ana)
    with commits():
        response = change(client)
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    ana.refresh_from_db()
    assert ana.check_password(NEW)
    assert "Your password has been changed." in client.get("/accounts/").content.decode()
    [record] = [r for r in logged.records if r.name == "locus.accounts.services"]
    assert record.levelno == logging.ERROR and "451 try again later" in record.exc_text
    assert f"password change notice of user {ana.pk}" in record.getMessage()
    assert "ana@example.org" not in record.getMessage()


def test_in_the_background_a_failure_is_logged_too(ana, commits, settings, logged):
    from tests.accounts.test_email_background import _join_email_threads

    settings.LOCUS_EMAIL_IN_BACKGROUND = True
    settings.EMAIL_BACKEND = BACKEND + "BrokenBackend"
    with commits():
        assert change(signed_in(ana)).status_code == 302
    _join_email_threads()
    assert [r.levelno for r in logged.records if r.name == "locus.accounts.services"] == [
        logging.ERROR]


# --- a password reset --------------------------------------------------------------------------

def _reset_link(user) -> str:
    return (f"/accounts/password-reset/{urlsafe_base64_encode(force_bytes(user.pk))}/"
            f"{default_token_generator.make_token(user)}/")


def test_completing_a_reset_emails_the_account_address(ana, commits, client):
    form = client.get(_reset_link(ana), follow=True)
    with commits():
        done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW,
                                                        "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == "/accounts/password-reset/done/"
    [message] = mail.outbox
    assert message.to == ["ana@example.org"] and message.subject == PASSWORD_CHANGED_SUBJECT
    assert "with a password reset link sent to this email address" in message.body
    assert "signed out everywhere you were signed in" in message.body
    assert WHEN.search(message.body)
    assert_safe(message.body)


def test_a_reset_that_fails_validation_sends_nothing(ana, commits, client):
    form = client.get(_reset_link(ana), follow=True)
    with commits():
        page = client.post(form.redirect_chain[-1][0], {"new_password1": NEW,
                                                        "new_password2": NEW + "x"})
    assert page.status_code == 200 and "The passwords do not match" in page.content.decode()
    assert mail.outbox == []


def test_asking_for_a_reset_sends_only_the_link(ana, commits, client):
    with commits():
        client.post("/accounts/password-reset/", {"email": "ana@example.org"})
    assert [m.subject for m in mail.outbox] == ["Reset your Locus password"]


# --- an administrator in the admin site --------------------------------------------------------

@pytest.fixture
def admin_client(db):
    ada = user_create(username="ada", email="ada@example.org", password=PASSWORD,
                      role="administrator")
    return signed_in(ada)


def _admin_set(client: Client, user, **data):
    return client.post(f"/admin/auth/user/{user.pk}/password/", data)


def test_an_administrator_setting_the_password_emails_the_user(ana, commits, admin_client):
    with commits():
        response = _admin_set(admin_client, ana, usable_password="true", password1=NEW,
                              password2=NEW)
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.check_password(NEW)
    [message] = mail.outbox
    assert message.to == ["ana@example.org"] and message.subject == PASSWORD_CHANGED_SUBJECT
    assert "by an administrator in the Locus admin site" in message.body
    assert "If you did not ask for this, ask an administrator of Locus why" in message.body
    assert WHEN.search(message.body)
    assert_safe(message.body)


def test_an_administrator_turning_password_sign_in_off_emails_the_user(ana, commits,
                                                                       admin_client):
    with commits():
        response = _admin_set(admin_client, ana, usable_password="false",
                              **{"unset-password": "1"})
    assert response.status_code == 302
    ana.refresh_from_db()
    assert not ana.has_usable_password()
    [message] = mail.outbox
    assert message.subject == PASSWORD_SIGN_IN_OFF_SUBJECT
    assert "Signing in with a password was turned off" in message.body
    assert "Your old password no longer works" in message.body
    assert_safe(message.body)


def test_an_administrator_change_that_fails_validation_sends_nothing(ana, commits,
                                                                     admin_client):
    with commits():
        response = _admin_set(admin_client, ana, usable_password="true", password1="short",
                              password2="short")
    assert response.status_code == 200
    ana.refresh_from_db()
    assert ana.check_password(PASSWORD) and mail.outbox == []


def test_no_notice_without_an_address_or_to_one_waiting_for_confirmation(commits, admin_client):
    User = get_user_model()
    nobody = User.objects.create_user(username="nobody", password=PASSWORD)
    waiting = User.objects.create_user(username="wu@example.org", email="wu@example.org",
                                       password=PASSWORD)
    confirmation_start(user=waiting, send=False)  # inactive, its address not yet shown to be its
    for user in (nobody, waiting):
        with commits():
            assert _admin_set(admin_client, user, usable_password="true", password1=NEW,
                              password2=NEW).status_code == 302
        user.refresh_from_db()
        assert user.check_password(NEW)
    assert mail.outbox == []


def test_the_time_is_uk_time_in_summer_and_winter(ana, commits):
    with commits():
        password_changed_notify(user=ana, how="change", now=datetime(2026, 7, 1, 12, 30, tzinfo=UTC))
        password_changed_notify(user=ana, how="change", now=datetime(2026, 1, 5, 9, 5, tzinfo=UTC))
    assert "on 1 July 2026 at 13:30 (UK time)" in mail.outbox[0].body  # BST
    assert "on 5 January 2026 at 09:05 (UK time)" in mail.outbox[1].body  # GMT
    assert uk_time(datetime(2026, 3, 29, 1, 0, tzinfo=UTC)) == "29 March 2026 at 02:00"
    with pytest.raises(ValueError, match="how must be one of"):
        password_changed_notify(user=ana, how="guess")


def test_a_rolled_back_change_sends_nothing(ana, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        password_changed_notify(user=ana, how="change")
    assert len(callbacks) == 1 and mail.outbox == []  # waits for the commit


# --- a new API token ---------------------------------------------------------------------------

def test_creating_an_api_token_emails_the_owner_without_the_token(ana, commits):
    with commits():
        page = signed_in(ana).post("/accounts/api-tokens/new/", {"name": "R & Tom's scripts",
                                                                 "days": "30"})
    assert page.status_code == 200
    [secret] = set(re.findall(r"lcs_[A-Za-z0-9_-]{43}", page.content.decode()))
    [message] = mail.outbox
    assert message.to == ["ana@example.org"] and message.subject == API_TOKEN_CREATED_SUBJECT
    body = message.body
    assert "A personal API token called ‘R & Tom's scripts’ was created" in body
    assert f"It starts {secret[:8]}… and expires on " in body and WHEN.search(body)
    assert "revoke the token on your API tokens page" in body
    assert_safe(body, secret, secret[8:])


def test_a_token_that_cannot_be_created_sends_nothing(ana, commits):
    client = signed_in(ana)
    with commits():
        empty = client.post("/accounts/api-tokens/new/", {"name": "", "days": "30"})
    assert empty.status_code == 400 and mail.outbox == []
    api_token_create(user=ana, name="Evaluation")  # its notice is never committed here
    with commits():
        again = client.post("/accounts/api-tokens/new/", {"name": "evaluation", "days": "30"})
    assert again.status_code == 400 and mail.outbox == []


def test_a_mail_server_failure_still_shows_the_new_token(ana, commits, settings, logged):
    settings.EMAIL_BACKEND = BACKEND + "BrokenBackend"
    with commits():
        page = signed_in(ana).post("/accounts/api-tokens/new/", {"name": "x", "days": "30"})
    assert page.status_code == 200 and "will not be shown again" in page.content.decode()
    assert any(f"new API token notice of user {ana.pk}" in r.getMessage()
               for r in logged.records if r.name == "locus.accounts.services")
