"""Invitations match existing accounts by email address, in any case (ADR 20): an address that
already belongs to an account (whatever its username) never gets a second account. Signed out,
the invitee is asked to sign in to that account; signed in to it, accepting gives the role and
the permission to it; signed in to another account, they are told so; an address whose only
account is deactivated cannot accept until an administrator reactivates it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from locus.accounts.confirmation import confirmation_start
from locus.accounts.invitations import (
    Granted,
    InvitationError,
    grant_register,
    invitation_accept,
    invitation_create,
    invitation_match,
)
from locus.accounts.models import Invitation
from locus.accounts.selectors import users_by_email
from locus.accounts.services import user_create, user_roles

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-passphrase-42"
User = get_user_model()


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ann(db):
    """An account made with the command line: its own username, the address as its email."""
    return user_create(username="ann", email="Ann@Example.org", password=PASSWORD,
                       role="analyst")


@pytest.fixture
def granted():
    """A grant that records who it went to."""
    given: list = []

    def grant(user, object_id):
        given.append((user.pk, object_id))
        return Granted("/somewhere/", f"You now look after thing {object_id}.")

    grant_register("test.thing", grant)
    return given


def _invite(email: str = "ann@example.org", **extra) -> tuple[str, str]:
    invitation, token = invitation_create(email=email, name="Ann", role="facilitator",
                                          send=False, **extra)
    return token, f"/accounts/invitation/{token}/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_accounts_are_found_by_email_or_username_in_any_case(ann):
    other = User.objects.create_user(username="ANN@example.ORG", email="", password=PASSWORD)
    assert users_by_email(email=" ann@EXAMPLE.org ") == [ann, other]
    assert users_by_email(email="nobody@example.org") == [] and users_by_email(email="") == []


def test_signed_out_the_invitee_is_asked_to_sign_in_to_the_existing_account(client, ann):
    token, path = _invite()
    page = client.get(path).content.decode()
    assert "An account already uses this email address" in page
    assert f'href="/accounts/sign-in/?next={path}"' in page
    assert "the email we send gives the username" in page
    assert 'name="password"' not in page  # no form to make a second account
    response = client.post(path, {"password": PASSWORD, "password_again": PASSWORD})
    assert response.status_code == 400
    assert "An account already uses ann@example.org. Sign in with it" in response.content.decode()
    assert User.objects.count() == 1 and not Invitation.objects.get().accepted_at
    with pytest.raises(InvitationError, match="Sign in with it"):
        invitation_accept(token=token, password=PASSWORD, password_again=PASSWORD)
    assert User.objects.count() == 1


def test_signed_in_to_it_accepting_gives_the_role_and_permission_to_that_account(ann, granted):
    token, path = _invite(grant_kind="test.thing", grant_id=7)
    client = signed_in(ann)
    page = client.get(path).content.decode()
    assert "You are signed in as ann, the account that uses this email address" in page
    assert "Accept invitation" in page
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == "/somewhere/"
    assert User.objects.count() == 1 and granted == [(ann.pk, 7)]
    assert user_roles(user=ann) == {"analyst", "facilitator"}
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == ann and invitation.accepted_at is not None
    assert client.get("/accounts/").wsgi_request.user == ann  # still signed in as ann


def test_signed_in_to_another_account_the_invitee_is_told_and_nothing_is_made(ann, granted):
    bob = user_create(username="bob", email="bob@example.org", password=PASSWORD,
                      role="analyst")
    token, path = _invite(grant_kind="test.thing", grant_id=7)
    client = signed_in(bob)
    page = client.get(path).content.decode()
    assert "You are signed in as bob, which is a different account" in page
    assert client.post(path).status_code == 400
    with pytest.raises(InvitationError):
        invitation_accept(token=token, user=bob)
    assert User.objects.count() == 2 and granted == []
    assert user_roles(user=bob) == {"analyst"}


def test_an_address_whose_only_account_is_deactivated_cannot_accept(client, ann):
    ann.is_active = False
    ann.save()
    token, path = _invite()
    assert invitation_match(invitation=Invitation.objects.get(), user=None).kind == "deactivated"
    page = client.get(path).content.decode()
    assert "has been deactivated" in page and 'name="password"' not in page
    response = client.post(path, {"password": PASSWORD, "password_again": PASSWORD})
    assert response.status_code == 400 and "Ask an administrator to reactivate it" in \
        response.content.decode()
    assert User.objects.count() == 1


def test_a_deactivated_account_beside_an_active_one_asks_to_sign_in(client, ann):
    old = user_create(username="ann-old", email="ann@example.org", password=PASSWORD,
                      role="analyst")
    old.is_active = False
    old.save()
    _invite()
    assert invitation_match(invitation=Invitation.objects.get(), user=None).kind == "sign_in"
    assert invitation_match(invitation=Invitation.objects.get(), user=ann).kind == "accept"


def test_an_account_waiting_for_confirmation_is_replaced_not_doubled(client, db):
    """Whoever registered with the address made the waiting account; the invitation proves the
    address, so accepting replaces it with a new account (ADR 20, third addendum)."""
    waiting = User.objects.create_user(username="kit@example.org", email="kit@example.org",
                                       password="chosen-at-registration-1", is_active=False)
    confirmation_start(user=waiting, send=False)
    token, path = _invite("KIT@example.org")
    assert invitation_match(invitation=Invitation.objects.get(), user=None).kind == "confirm"
    page = client.get(path).content.decode()
    assert "the account made with it was never confirmed. Accepting removes that account" in page
    assert client.post(path, {"password": PASSWORD, "password_again": PASSWORD}).status_code == 302
    assert not User.objects.filter(pk=waiting.pk).exists()
    [new] = User.objects.all()
    assert new.is_active and new.check_password(PASSWORD) and new.username == "kit@example.org"


def test_a_refused_password_keeps_the_waiting_account(client, db):
    waiting = User.objects.create_user(username="lou@example.org", email="lou@example.org",
                                       password="chosen-at-registration-1", is_active=False)
    confirmation_start(user=waiting, send=False)
    token, path = _invite("lou@example.org")
    page = client.post(path, {"password": PASSWORD, "password_again": "different"})
    assert "The passwords do not match" in page.content.decode()
    assert list(User.objects.all()) == [waiting]


def test_a_new_address_still_gets_a_new_account(client, db):
    token, path = _invite("new@example.org")
    assert 'name="password"' in client.get(path).content.decode()
    client.post(path, {"password": PASSWORD, "password_again": PASSWORD})
    assert User.objects.get().username == "new@example.org"


def test_signed_in_to_another_account_a_new_address_makes_its_account_and_switches_to_it(ann):
    """The person holding the link chose the new account's password: they end signed in to
    it, and the page said so before they accepted."""
    token, path = _invite("ann.home@example.org")
    client = signed_in(ann)
    page = client.get(path).content.decode()
    assert "Accepting creates a new account for ann.home@example.org and signs you in to it " \
           "instead" in page
    response = client.post(path, {"password": PASSWORD, "password_again": PASSWORD})
    assert response.status_code == 302
    new = User.objects.get(username="ann.home@example.org")
    assert client.get(response["Location"]).wsgi_request.user == new
    assert user_roles(user=ann) == {"analyst"}
