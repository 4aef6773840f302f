"""Personal API tokens: the pages that create, list and revoke them, and what the API answers a
token that cannot be used (ADR 18). The peers permissions through a token are in
tests/peers/test_api_tokens.py."""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from locus.accounts.api_tokens import (
    ApiTokenError,
    ApiTokenFieldError,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)
from locus.accounts.confirmation import confirmation_start
from locus.accounts.models import ApiToken
from locus.accounts.services import user_create
from locus.accounts.throttle import MAX_FAILURES, sign_in_failed, sign_in_locked_until
from locus.api import NOT_SIGNED_IN

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-passphrase-42"
TOKEN = re.compile(r"lcs_[A-Za-z0-9_-]{43}")
PROGRAMMES = "/api/v1/peers/programmes"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ana(db):
    return user_create(username="ana", email="ana@example.org", password=PASSWORD,
                       role="analyst")


@pytest.fixture
def bob(db):
    return user_create(username="bob", email="bob@example.org", password=PASSWORD,
                       role="programme manager")


def signed_in(user, **kwargs) -> Client:
    client = Client(HTTP_HOST="localhost", **kwargs)
    client.force_login(user)
    return client


def bearer(token: str) -> Client:
    """A client with no cookies that sends the token."""
    return Client(HTTP_HOST="localhost", enforce_csrf_checks=True,
                  headers={"Authorization": f"Bearer {token}"})


def create_on_page(client: Client, name: str = "Evaluation", days: str = "90"):
    return client.post("/accounts/api-tokens/new/", {"name": name, "days": days})


# --- creating a token ---------------------------------------------------------------------------

def test_creating_a_token_shows_it_once_and_stores_only_its_hash(ana):
    client = signed_in(ana)
    form = client.get("/accounts/api-tokens/new/").content.decode()
    assert 'name="days" type="radio" value="90" checked' in form  # 90 days unless chosen
    response = create_on_page(client, "Outcomes for the evaluation")
    page = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    [secret] = set(TOKEN.findall(page))
    assert "will not be shown again" in page and "Copy the token now" in page
    row = ApiToken.objects.get(user=ana)
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert row.prefix == secret[:8] and row.name == "Outcomes for the evaluation"
    stored = [str(getattr(row, f.attname)) for f in ApiToken._meta.fields]
    assert not any(secret in value or secret[8:] in value for value in stored)
    assert abs(row.expires_at - (row.created_at + timedelta(days=90))) < timedelta(seconds=1)
    listing = client.get("/accounts/api-tokens/").content.decode()
    assert "Outcomes for the evaluation" in listing and f"{secret[:8]}…" in listing
    assert secret not in listing and not TOKEN.search(listing)
    assert "Active" in listing and "Never" in listing  # status, and not used yet


@pytest.mark.parametrize("days", [30, 365])
def test_the_owner_picks_30_90_or_365_days(ana, days):
    create_on_page(signed_in(ana), days=str(days))
    row = ApiToken.objects.get(user=ana)
    assert (row.expires_at - row.created_at).days == days


@pytest.mark.parametrize("days", ["", "0", "7", "36500", "never"])
def test_there_is_no_other_lifetime_and_no_token_that_never_expires(ana, days):
    response = create_on_page(signed_in(ana), days=days)
    page = response.content.decode()
    assert response.status_code == 400 and "Select how long the token lasts" in page
    assert '<a href="#days">' in page and not ApiToken.objects.exists()
    with pytest.raises(ApiTokenFieldError, match="how long"):
        api_token_create(user=ana, name="x", days=0)


@pytest.mark.parametrize("name,message", [
    ("", "Enter a name for the token"),
    ("   ", "Enter a name for the token"),
    ("x" * 101, "Name must be 100 characters or fewer"),
])
def test_the_form_refuses_a_missing_or_long_name_with_govuk_errors(ana, name, message):
    response = create_on_page(signed_in(ana), name=name, days="30")
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Create an API token" in page
    assert f'<li><a href="#id_name">{message}</a></li>' in page  # the error summary
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}</p>' in page
    assert "govuk-input--error" in page
    assert 'value="30" checked' in page  # what was chosen is kept
    assert not ApiToken.objects.exists()


def test_a_name_is_unique_among_the_users_active_tokens(ana, bob):
    client = signed_in(ana)
    create_on_page(client, "Evaluation")
    response = create_on_page(client, "  evaluation ")
    page = response.content.decode()
    assert response.status_code == 400 and "You already have an active token called" in page
    assert 'value="  evaluation "' in page or 'value="evaluation"' in page
    assert ApiToken.objects.filter(user=ana).count() == 1
    create_on_page(signed_in(bob), "Evaluation")  # another user's names are theirs
    assert ApiToken.objects.filter(user=bob).count() == 1
    api_token_revoke(token=ApiToken.objects.get(user=ana))
    assert create_on_page(client, "Evaluation").status_code == 200  # free again once revoked
    old = ApiToken.objects.filter(user=ana, revoked_at__isnull=True).get()
    old.expires_at = timezone.now() - timedelta(seconds=1)
    old.save()
    assert create_on_page(client, "Evaluation").status_code == 200  # and once expired
    assert ApiToken.objects.filter(user=ana).count() == 3


@pytest.mark.parametrize("method,path", [
    ("get", "/accounts/api-tokens/"), ("get", "/accounts/api-tokens/new/"),
    ("post", "/accounts/api-tokens/new/"), ("get", "/accounts/api-tokens/1/revoke/"),
    ("post", "/accounts/api-tokens/1/revoke/")])
def test_signed_out_people_are_sent_to_sign_in(client, method, path):
    response = getattr(client, method)(path, {"name": "x", "days": "90"} if method == "post" else {})
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/sign-in/?next={path}"
    assert not ApiToken.objects.exists()


def test_the_account_page_links_to_the_tokens(ana):
    """The tokens live on "Your account" (ADR 18's home for them); the sign-out page only says
    that signing out does not stop them, and links to the account page."""
    client = signed_in(ana)
    assert 'href="/accounts/api-tokens/"' in client.get("/accounts/").content.decode()
    sign_out = client.get("/accounts/sign-out/").content.decode()
    assert 'href="/accounts/api-tokens/"' not in sign_out
    assert 'href="/accounts/"' in sign_out and "does not stop your API tokens" in sign_out


# --- revoking -----------------------------------------------------------------------------------

def test_revoking_asks_first_then_stops_the_token(ana):
    client = signed_in(ana)
    secret = TOKEN.search(create_on_page(client, "Attendance sync").content.decode()).group()
    row = ApiToken.objects.get()
    assert bearer(secret).get(PROGRAMMES).status_code == 200
    confirm = client.get(f"/accounts/api-tokens/{row.pk}/revoke/").content.decode()
    assert "Revoke API token ‘Attendance sync’?" in confirm and row.revoked_at is None
    response = client.post(f"/accounts/api-tokens/{row.pk}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/api-tokens/?revoked={row.pk}"
    listing = client.get(response["Location"]).content.decode()
    assert "Token ‘Attendance sync’" in listing and "revoked" in listing
    assert "govuk-tag--red" in listing and f"/accounts/api-tokens/{row.pk}/revoke/" not in listing
    row.refresh_from_db()
    assert row.revoked_at is not None
    answer = bearer(secret).get(PROGRAMMES)
    assert answer.status_code == 401 and "was revoked on" in answer.json()["detail"]


def test_revoking_needs_the_csrf_token(ana):
    token, _ = api_token_create(user=ana, name="x")
    client = signed_in(ana, enforce_csrf_checks=True)
    assert client.post(f"/accounts/api-tokens/{token.pk}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_another_user_cannot_see_or_revoke_your_token(ana, bob):
    token, secret = api_token_create(user=ana, name="Mine")
    client = signed_in(bob)
    assert client.get(f"/accounts/api-tokens/{token.pk}/revoke/").status_code == 404
    assert client.post(f"/accounts/api-tokens/{token.pk}/revoke/").status_code == 404
    assert "Mine" not in client.get("/accounts/api-tokens/").content.decode()
    assert client.get("/accounts/api-tokens/?revoked=1").status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is None and bearer(secret).get(PROGRAMMES).status_code == 200


# --- using a token ------------------------------------------------------------------------------

def test_a_token_acts_as_its_owner_and_notes_its_use_at_most_once_a_minute(ana):
    token, secret = api_token_create(user=ana, name="x")
    now = timezone.now()
    assert api_token_authenticate(token=secret, now=now).user == ana
    token.refresh_from_db()
    assert token.last_used_at == now
    api_token_authenticate(token=secret, now=now + timedelta(seconds=59))
    token.refresh_from_db()
    assert token.last_used_at == now  # no write within the minute
    later = now + timedelta(seconds=61)
    api_token_authenticate(token=secret, now=later)
    token.refresh_from_db()
    assert token.last_used_at == later
    response = bearer(secret).get(PROGRAMMES)
    assert response.status_code == 200 and response.json() == []
    token.refresh_from_db()
    assert token.last_used_at > later - timedelta(seconds=1)
    assert "Never" not in signed_in(ana).get("/accounts/api-tokens/").content.decode()


def _detail(response) -> str:
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    return response.json()["detail"]


@pytest.mark.parametrize("header,words", [
    ("Bearer", "malformed"),
    ("Bearer ", "malformed"),
    ("Bearer not-a-token", "malformed"),
    ("Bearer lcs_short", "malformed"),
    ("bearer lcs_" + "a" * 44, "malformed"),
    ("Bearer lcs_" + "a" * 43, "not recognised"),
])
def test_malformed_and_unknown_tokens_are_401_saying_which(ana, header, words):
    response = Client(HTTP_HOST="localhost", headers={"Authorization": header}).get(PROGRAMMES)
    assert words in _detail(response)


def test_a_token_is_judged_alone_even_with_a_session(ana):
    """A bad token is refused, not passed over for the session cookie that came with it."""
    client = signed_in(ana, headers={"Authorization": "Bearer lcs_" + "b" * 43})
    assert "not recognised" in _detail(client.get(PROGRAMMES))


def test_another_authorization_scheme_is_left_to_the_session(ana):
    """A proxy's Basic sign-in does not stop the session working, and is no token."""
    headers = {"Authorization": "Basic dXNlcjpwYXNz"}
    assert signed_in(ana, headers=headers).get(PROGRAMMES).status_code == 200
    response = Client(HTTP_HOST="localhost", headers=headers).get(PROGRAMMES)
    assert response.status_code == 401 and response.json() == {"detail": NOT_SIGNED_IN}
    assert "Bearer" in NOT_SIGNED_IN and "/accounts/api-tokens/" in NOT_SIGNED_IN


def test_revoked_and_expired_tokens_are_401_saying_which(ana):
    revoked, revoked_secret = api_token_create(user=ana, name="a")
    api_token_revoke(token=revoked)
    expired, expired_secret = api_token_create(
        user=ana, name="b", days=30, now=timezone.now() - timedelta(days=31))
    assert "was revoked on" in _detail(bearer(revoked_secret).get(PROGRAMMES))
    assert f"{expired.prefix}… expired on" in _detail(bearer(expired_secret).get(PROGRAMMES))
    listing = signed_in(ana).get("/accounts/api-tokens/").content.decode()
    assert "Expired" in listing and "Revoked" in listing and "Revoke<" not in listing
    for reason, secret in (("revoked", revoked_secret), ("expired", expired_secret)):
        with pytest.raises(ApiTokenError) as exc:
            api_token_authenticate(token=secret)
        assert exc.value.reason == reason


def test_a_deactivated_or_unconfirmed_accounts_tokens_stop_working(ana, bob):
    _, ana_secret = api_token_create(user=ana, name="x")
    _, bob_secret = api_token_create(user=bob, name="x")
    ana.is_active = False
    ana.save()
    assert "deactivated" in _detail(bearer(ana_secret).get(PROGRAMMES))
    with pytest.raises(ApiTokenError) as exc:
        api_token_authenticate(token=ana_secret)
    assert exc.value.reason == "inactive"
    confirmation_start(user=bob, send=False)  # waiting for its email address to be confirmed
    assert "waiting for its email address to be confirmed" in _detail(
        bearer(bob_secret).get(PROGRAMMES))
    ana.is_active = True
    ana.save()
    assert bearer(ana_secret).get(PROGRAMMES).status_code == 200


def test_a_sign_in_lock_stops_password_sign_in_but_not_tokens(bob):
    """The lock answers password guessing; a token is a credential of its own, so someone
    guessing at bob's username cannot stop his scripts (ADR 18, addendum)."""
    _, secret = api_token_create(user=bob, name="x")
    for _ in range(MAX_FAILURES):
        sign_in_failed(username="bob")
    assert sign_in_locked_until(username="bob") is not None
    refused = Client().post("/accounts/sign-in/", {"username": "bob", "password": PASSWORD})
    assert "too many times" in refused.content.decode()  # the right password is refused
    response = bearer(secret).get(PROGRAMMES)
    assert response.status_code == 200 and "locked" not in response.content.decode()
    assert api_token_authenticate(token=secret).user == bob


def test_a_token_is_never_logged(ana, caplog):
    _, secret = api_token_create(user=ana, name="x")
    api_token_revoke(token=ApiToken.objects.get())
    with caplog.at_level(logging.DEBUG):
        for value in (secret, secret + "x", "lcs_" + "c" * 43):
            bearer(value).get(PROGRAMMES)
            Client(HTTP_HOST="localhost", headers={"Authorization": f"Token {value}"}).get(
                PROGRAMMES)
    assert caplog.records and secret not in caplog.text and "c" * 43 not in caplog.text


def test_the_openapi_document_shows_the_bearer_scheme(client):
    doc = client.get("/api/v1/openapi.json").json()
    schemes = doc["components"]["securitySchemes"]
    [bearer_name] = [k for k, v in schemes.items() if v.get("scheme") == "bearer"]
    assert schemes[bearer_name]["type"] == "http"
    assert "/accounts/api-tokens/" in schemes[bearer_name]["description"]
    operation = doc["paths"][PROGRAMMES]["get"]
    assert {bearer_name} in [set(s) for s in operation["security"]]
    assert len(operation["security"]) == 2  # or the session cookie
    assert "Authorization: Bearer" in doc["info"]["description"]
    assert "/api/v1/areas/{code}" in doc["paths"] and "security" not in \
        doc["paths"]["/api/v1/areas/{code}"]["get"]  # open data needs no token


# --- the admin site -----------------------------------------------------------------------------

def test_the_admin_lists_and_revokes_tokens_without_showing_the_hash(ana):
    admin = user_create(username="root", email="root@example.org", password=PASSWORD,
                        role="administrator")
    token, secret = api_token_create(user=ana, name="Evaluation")
    client = signed_in(admin)
    listing = client.get("/admin/accounts/apitoken/").content.decode()
    assert "Evaluation" in listing and f"{token.prefix}…" in listing
    detail = client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    for page in (listing, detail):
        assert token.token_hash not in page and secret not in page
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    response = client.post("/admin/accounts/apitoken/", {
        "action": "revoke", "_selected_action": [token.pk]}, follow=True)
    assert "1 API token revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
