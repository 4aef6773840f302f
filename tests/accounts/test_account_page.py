"""The "Your account" page: linked from the main navigation for signed-in people; says who you
are, your email address and whether it is confirmed, your roles in plain words; links to
changing your password, your API tokens and (for a firm contact) your personal data; signs
you out. And the change-password page in GOV.UK style."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from locus.accounts.account_page import _PROVIDERS, AccountLink, account_links_register
from locus.accounts.api_tokens import api_token_create, api_token_revoke
from locus.accounts.confirmation import confirmation_start
from locus.accounts.invitations import invitation_accept, invitation_create
from locus.accounts.models import EmailConfirmation
from locus.accounts.services import user_create
from locus.accounts.throttle import MAX_FAILURES

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-passphrase-42"
NEW = "another-long-passphrase-77"


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ana(db):
    user = user_create(username="ana", email="ana@example.org", password=PASSWORD,
                       role="analyst")
    user.first_name, user.last_name = "Ana", "Silva"
    user.save()
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def nav(page: str) -> str:
    """The main navigation's list."""
    start = page.index('class="govuk-service-navigation__list"')
    return page[start:page.index("</ul>", start)]


def test_signed_out_people_are_sent_to_sign_in(client):
    for path in ("/accounts/", "/accounts/password/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/sign-in/?next={path}"


def test_the_main_navigation_links_to_the_account_just_before_sign_out(client, ana):
    assert "Your account" not in nav(client.get("/").content.decode())
    menu = nav(signed_in(ana).get("/").content.decode())
    links = re.findall(r'href="([^"]+)"[^>]*>\s*(?:<[^>]+>)*\s*([^<]+?)\s*<', menu)
    texts = [text for _href, text in links]
    assert texts[-2:] == ["Your account", "Sign out"]
    assert ("/accounts/", "Your account") in links


def test_the_navigation_marks_the_account_item_on_account_pages(ana):
    client = signed_in(ana)
    for path in ("/accounts/", "/accounts/password/", "/accounts/api-tokens/"):
        menu = nav(client.get(path).content.decode())
        item = menu[:menu.index("Your account")]
        item = item[item.rindex("<li"):]
        assert "govuk-service-navigation__item--active" in item, path
    home = nav(client.get("/").content.decode())
    item = home[:home.index("Your account")]
    assert "govuk-service-navigation__item--active" not in item[item.rindex("<li"):]


def test_the_page_says_who_you_are_and_what_your_role_lets_you_do(ana):
    response = signed_in(ana).get("/accounts/")
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Your account – Locus</title>" in page
    assert "Ana Silva" in page and 'govuk-summary-list__value">ana<p' in page
    assert "ana@example.org" in page
    assert "<strong>Analyst</strong>: Combined Authority or DSIT analyst" in page
    assert ">Role<" in page  # one role: singular
    assert 'href="/accounts/password/"' in page
    assert 'action="/accounts/sign-out/confirm/"' in page and "csrfmiddlewaretoken" in page


def test_several_roles_are_listed_and_no_role_is_said_plainly(ana):
    from django.contrib.auth.models import Group

    ana.groups.add(Group.objects.get_or_create(name="facilitator")[0])
    page = signed_in(ana).get("/accounts/").content.decode()
    assert ">Roles<" in page and "<strong>Facilitator</strong>: Facilitates peer groups" in page
    ana.groups.clear()
    page = signed_in(ana).get("/accounts/").content.decode()
    assert "No role. You can read everything public in Locus" in page


def test_the_api_tokens_section_says_what_they_are_for_and_counts_the_active_ones(ana):
    page = signed_in(ana).get("/accounts/").content.decode()
    assert "API tokens are for scripts that use the Locus API" in page
    assert 'href="/accounts/api-tokens/"' in page and "active token" not in page
    api_token_create(user=ana, name="one", days=30)
    revoked, _secret = api_token_create(user=ana, name="two", days=30)
    api_token_revoke(token=revoked)
    page = signed_in(ana).get("/accounts/").content.decode()
    assert "You have 1 active token." in page


def test_an_email_entered_by_an_administrator_is_not_confirmed(ana):
    page = signed_in(ana).get("/accounts/").content.decode()
    assert "govuk-tag--grey\">Not confirmed" in page and "An administrator entered it" in page


def test_an_email_confirmed_with_the_link_says_so(ana):
    confirmation_start(user=ana, send=False)
    row = EmailConfirmation.objects.get(user=ana)
    row.confirmed_at = timezone.now() - timedelta(days=2)
    row.save()
    ana.is_active = True
    ana.save()
    page = signed_in(ana).get("/accounts/").content.decode()
    assert "govuk-tag--green\">Confirmed" in page and "with the link we emailed" in page


def test_an_email_an_invitation_was_accepted_at_is_confirmed(db):
    _invite, token = invitation_create(email="pat@example.org", name="Pat", role="facilitator",
                                       send=False)
    accepted = invitation_accept(token=token, password=PASSWORD, password_again=PASSWORD)
    page = signed_in(accepted.user).get("/accounts/").content.decode()
    assert "Confirmed" in page and "when you accepted an invitation sent to it" in page
    assert "Not confirmed" not in page


def test_no_email_address_says_what_that_costs(ana):
    ana.email = ""
    ana.save()
    page = signed_in(ana).get("/accounts/").content.decode()
    assert "without it you cannot reset a forgotten password" in page


def test_other_rooms_add_links_that_apply_to_the_user(ana, monkeypatch):
    monkeypatch.setitem(_PROVIDERS, "Test things", lambda user: [
        AccountLink("/somewhere/", f"Things of {user.username}", "What they are")]
        if user.username == "ana" else [])
    page = signed_in(ana).get("/accounts/").content.decode()
    assert '<h2 class="govuk-heading-m">Test things</h2>' in page
    assert 'href="/somewhere/">Things of ana</a>' in page and "What they are" in page
    bob = user_create(username="bob", email="bob@example.org", password=PASSWORD,
                      role="analyst")
    assert "Test things" not in signed_in(bob).get("/accounts/").content.decode()


def test_peer_networks_registers_the_personal_data_links():
    """peers adds them in its AppConfig.ready(); each firm contact sees them (tested with a
    contact in tests/peers/test_account_links.py)."""
    assert "Your personal data" in _PROVIDERS
    account_links_register("Your personal data", _PROVIDERS["Your personal data"])  # idempotent


# --- changing the password ----------------------------------------------------------------------

def test_the_change_password_page_is_a_govuk_form(ana):
    page = signed_in(ana).get("/accounts/password/").content.decode()
    assert "<h1 class=\"govuk-heading-xl\">Change your password</h1>" in page
    for name, label in (("old_password", "Current password"), ("new_password1", "New password"),
                        ("new_password2", "Enter the new password again")):
        assert f'<label class="govuk-label" for="id_{name}">{label}</label>' in page
    assert 'autocomplete="current-password"' in page and 'autocomplete="new-password"' in page
    assert 'value="ana"' in page  # the username, for password managers


def test_an_empty_form_gets_an_error_for_each_field(ana):
    response = signed_in(ana).post("/accounts/password/", {})
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error: Change your password" in page
    for name, message in (("old_password", "Enter your current password"),
                          ("new_password1", "Enter a new password"),
                          ("new_password2", "Enter the new password again")):
        assert f'<a href="#id_{name}">{message}</a>' in page
        assert f'id="{name}-error"' in page


@pytest.mark.parametrize("data,field,message", [
    ({"old_password": "wrong-password-123", "new_password1": NEW, "new_password2": NEW},
     "old_password", "Your current password is not right"),
    ({"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
     "new_password1", "Password must be 12 characters or more"),
    ({"old_password": PASSWORD, "new_password1": "123456789012345", "new_password2":
      "123456789012345"}, "new_password1", "Password must include letters or symbols"),
    ({"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW + "x"},
     "new_password2", "The passwords do not match"),
])
def test_a_bad_change_says_what_is_wrong_at_its_field_and_changes_nothing(ana, data, field,
                                                                          message):
    page = signed_in(ana).post("/accounts/password/", data).content.decode()
    assert f'<a href="#id_{field}">{message}' in page and f'id="{field}-error"' in page
    assert "This password is too short" not in page  # Django's own words
    ana.refresh_from_db()
    assert ana.check_password(PASSWORD)


def test_a_change_keeps_you_signed_in_here_ends_other_sessions_and_says_so(ana):
    here, elsewhere = signed_in(ana), Client()
    assert elsewhere.login(username="ana", password=PASSWORD)
    response = here.post("/accounts/password/", {"old_password": PASSWORD,
                                                 "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    page = here.get("/accounts/").content.decode()
    assert page.count("Your password has been changed.") == 1
    assert "govuk-notification-banner--success" in page
    ana.refresh_from_db()
    assert ana.check_password(NEW)
    assert elsewhere.get("/accounts/")["Location"].startswith("/accounts/sign-in/")


def test_wrong_current_passwords_count_towards_the_sign_in_lock(ana):
    """Someone at a signed-in computer cannot guess the password here faster than at the
    sign-in page: the same count, the same lock."""
    client = signed_in(ana)
    wrong = {"old_password": "not-the-password-1", "new_password1": NEW, "new_password2": NEW}
    for _ in range(MAX_FAILURES - 1):
        assert "Your current password is not right" in client.post(
            "/accounts/password/", wrong).content.decode()
    locked = client.post("/accounts/password/", wrong).content.decode()
    assert "too many times" in locked
    right = client.post("/accounts/password/", {**wrong, "old_password": PASSWORD})
    assert "too many times" in right.content.decode()  # locked, whatever is given
    ana.refresh_from_db()
    assert ana.check_password(PASSWORD)
    sign_in = Client().post("/accounts/sign-in/", {"username": "ana", "password": PASSWORD})
    assert "too many times" in sign_in.content.decode()


def test_a_back_link_sits_in_a_landmark(ana):
    """A back link before the main content is in a nav landmark (axe: region): outside every landmark,
    screen-reader users moving by landmarks never reach it."""
    client = signed_in(ana)
    for path in ("/accounts/password/", "/accounts/api-tokens/new/"):
        page = client.get(path).content.decode()
        assert re.search(r'<nav aria-label="Back"><a href="[^"]+" class="govuk-back-link">', page), path
