"""Where signing in leads (QA H20 F10): a safe ``next`` as asked, else the work page of the
user's most specific role; and a password-checked email confirmation signs the person in."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from locus.accounts.confirmation import confirmation_start, confirmation_waiting
from locus.accounts.roles import Role
from locus.accounts.selectors import sign_in_destination, work_page_name
from locus.accounts.services import user_create
from locus.accounts.throttle import MAX_FAILURES, sign_in_failed

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-passphrase-42"
FIRM, FAC, PM = Role.FIRM_MEMBER, Role.FACILITATOR, Role.PROGRAMME_MANAGER


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LOCUS_SITE_URL = "https://locus.example.org"


def _user(*roles: Role, username: str = "jo"):
    user = get_user_model().objects.create_user(username=username, email=f"{username}@example.org",
                                                password=PASSWORD)
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return user


@pytest.mark.parametrize(("roles", "expected"), [
    ({FIRM}, "peers:my"),
    ({FAC}, "peers:facilitate"),
    ({PM}, "peers:landing"),
    ({Role.ADMINISTRATOR}, "web:home"),
    ({Role.ANALYST}, "web:home"),
    (set(), "web:home"),
    # several roles: the narrowest work (one business, then some groups, then programmes)
    ({PM, FAC}, "peers:facilitate"),
    ({PM, FAC, FIRM}, "peers:my"),
    ({Role.ADMINISTRATOR, PM}, "peers:landing"),
    ({Role.ANALYST, FAC}, "peers:facilitate"),
    ({"facilitator", "some other group"}, "peers:facilitate"),  # group names as stored
])
def test_the_work_page_is_the_most_specific_roles(roles, expected):
    assert work_page_name(roles=roles) == expected


@pytest.mark.parametrize(("roles", "path"), [
    ((FIRM,), "/peers/my/"), ((FAC,), "/peers/facilitate/"), ((PM,), "/peers/"),
    ((Role.ANALYST,), "/"), ((), "/"), ((PM, FAC), "/peers/facilitate/")])
def test_without_next_the_destination_is_the_work_page(roles, path):
    assert sign_in_destination(user=_user(*roles), allowed_hosts={"localhost"}) == path


@pytest.mark.parametrize(("next_url", "https", "kept"), [
    ("/places/?q=1", False, True),
    ("http://localhost/atlas/", False, True),
    ("https://evil.example/", False, False),
    ("//evil.example/", False, False),
    ("javascript:alert(1)", False, False),
    ("http://localhost/atlas/", True, False),  # a secure request keeps to https
])
def test_a_next_is_kept_only_when_it_is_safe(next_url, https, kept):
    got = sign_in_destination(user=_user(FAC), next_url=next_url, allowed_hosts={"localhost"},
                              require_https=https)
    assert got == (next_url if kept else "/peers/facilitate/")


def test_an_anonymous_user_goes_home():
    from django.contrib.auth.models import AnonymousUser

    assert sign_in_destination(user=AnonymousUser()) == "/"


def _sign_in(client, username="jo", password=PASSWORD, **extra):
    return client.post("/accounts/sign-in/", {"username": username, "password": password,
                                              **extra})


@pytest.mark.parametrize(("role", "path"), [
    (Role.FIRM_MEMBER, "/peers/my/"), (Role.FACILITATOR, "/peers/facilitate/"),
    (Role.PROGRAMME_MANAGER, "/peers/"), (Role.ANALYST, "/"), (Role.ADMINISTRATOR, "/")])
def test_signing_in_leads_to_the_work_page_of_the_role(client, role, path):
    user_create(username="jo", email="jo@example.org", password=PASSWORD, role=role)
    response = _sign_in(client)
    assert response.status_code == 302 and response["Location"] == path
    # the sign-in page, opened again while signed in, leads there too
    again = client.get("/accounts/sign-in/")
    assert again.status_code == 302 and again["Location"] == path


def test_signing_in_honours_a_safe_next_and_ignores_another_site(client):
    user_create(username="jo", email="jo@example.org", password=PASSWORD, role=FAC)
    assert _sign_in(client, next="/places/")["Location"] == "/places/"
    client.logout()
    assert _sign_in(client, next="https://evil.example/x")["Location"] == "/peers/facilitate/"
    client.logout()
    query = client.post("/accounts/sign-in/?next=/atlas/",
                        {"username": "jo", "password": PASSWORD})
    assert query["Location"] == "/atlas/"


def test_a_wrong_password_leads_nowhere(client):
    user_create(username="jo", email="jo@example.org", password=PASSWORD, role=FAC)
    response = _sign_in(client, password="wrong-guess-1")
    assert response.status_code == 200 and "_auth_user_id" not in client.session


# ---- a password-checked confirmation signs the person in ----

@pytest.fixture
def waiting():
    """A firm member's account waiting for its address to be confirmed (as registration makes)."""
    user = _user(FIRM, username="ada")
    user.is_active = False
    user.save()
    token = confirmation_start(user=user, purpose="register Acme Ltd", send=False)
    return user, f"/accounts/confirm-email/{token}/"


def test_confirming_signs_in_with_a_new_session_and_leads_to_the_work_page(client, waiting):
    user, path = waiting
    client.get(path)
    before = client.session.session_key
    response = client.post(path, {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/peers/my/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session.session_key != before  # rotated, as any sign-in
    user.refresh_from_db()
    assert user.is_active and not confirmation_waiting(user) and user.last_login is not None
    # the link works once: a second use, from another browser, signs nobody in
    from django.test import Client

    other = Client(HTTP_HOST="localhost")
    again = other.post(path, {"password": PASSWORD})
    assert again.status_code == 404 and "_auth_user_id" not in other.session


def test_the_confirmation_is_said_on_the_page_it_leads_to(client, waiting):
    user, path = waiting
    user.groups.clear()  # no work page: home, where the banner shows
    page = client.post(path, {"password": PASSWORD}, follow=True).content.decode()
    assert "Email address confirmed. You are signed in as ada." in page
    assert "govuk-notification-banner--success" in page


def test_a_wrong_password_or_an_expired_link_signs_nobody_in(client, waiting):
    from datetime import timedelta

    from django.utils import timezone

    from locus.accounts.models import EmailConfirmation

    user, path = waiting
    wrong = client.post(path, {"password": "a-guess-at-the-pass-1"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    EmailConfirmation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = client.post(path, {"password": PASSWORD})
    assert expired.status_code == 404 and "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert not user.is_active


def test_a_locked_username_is_confirmed_but_not_signed_in(client, waiting):
    """Too many wrong passwords at sign-in lock the username whatever password is given; the
    link still confirms the address (as before) but signs in only once the lock ends."""
    user, path = waiting
    for _ in range(MAX_FAILURES):
        sign_in_failed(username="ada")
    response = client.post(path, {"password": PASSWORD})
    text = response.content.decode()
    assert response.status_code == 200 and "Email address confirmed" in text
    assert "We could not sign you in" in text and "too many times. Wait until" in text
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.is_active and not confirmation_waiting(user)


def test_confirming_clears_the_count_of_wrong_passwords_at_sign_in(client, waiting):
    from locus.accounts.models import SignInThrottle

    _, path = waiting
    sign_in_failed(username="ada")
    assert SignInThrottle.objects.exists()
    client.post(path, {"password": PASSWORD})
    assert not SignInThrottle.objects.exists()
