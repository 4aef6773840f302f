"""Invitations (single-use, expiring, role and object permission on acceptance) and the
password-reset flow, with links on LOCUS_SITE_URL."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.utils import timezone

from locus.accounts.invitations import (
    InvitationError,
    grant_register,
    invitation_accept,
    invitation_create,
)
from locus.accounts.models import Invitation
from locus.accounts.roles import Role
from locus.accounts.services import user_create, user_roles

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-passphrase-42"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.LOCUS_SITE_URL = "https://locus.example.org"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _link(message) -> str:
    return re.search(r"https://locus\.example\.org(/\S+)", message.body).group(1)


def test_an_invitation_email_links_to_the_site_and_stores_only_a_hash():
    invitation, token = invitation_create(email="Fay@Example.org", name="Fay",
                                          role=Role.FACILITATOR)
    assert invitation.email == "fay@example.org" and token not in invitation.token_hash
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["fay@example.org"]
    assert _link(mail.outbox[0]) == f"/accounts/invitation/{token}/"
    assert invitation.expires_at - timezone.now() > timedelta(days=6)


def test_accepting_creates_the_account_with_the_role_then_the_link_is_used_up(client):
    seen = []
    grant_register("tests.thing", lambda user, pk: seen.append((user.username, pk)) or "/done/")
    _inv, token = invitation_create(email="gil@example.org", name="Gil", role="facilitator",
                                    grant_kind="tests.thing", grant_id=7)
    path = f"/accounts/invitation/{token}/"
    page = client.get(path).content.decode()
    assert "Accept your invitation" in page and "facilitator" in page
    mismatch = client.post(path, {"password": PASSWORD, "password_again": PASSWORD + "x"})
    assert "The passwords do not match" in mismatch.content.decode()
    assert 'href="#id_password_again"' in mismatch.content.decode()
    short = client.post(path, {"password": "short", "password_again": "short"})
    assert "Password must be 12 characters or more" in short.content.decode()
    response = client.post(path, {"password": PASSWORD, "password_again": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/done/"
    user = get_user_model().objects.get(username="gil@example.org")
    assert user_roles(user=user) == {Role.FACILITATOR} and seen == [("gil@example.org", 7)]
    assert user.check_password(PASSWORD) and user.first_name == "Gil"
    mine = client.get(path)  # the person who accepted sees that they did (signed in now)
    assert mine.status_code == 200 and "Invitation accepted" in mine.content.decode()
    again = Client().get(path)
    assert again.status_code == 404 and "already been used" in again.content.decode()


def test_expired_and_unknown_links_are_refused(client):
    invitation, token = invitation_create(email="h@example.org", name="H", role="analyst",
                                          send=False)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    assert "has expired" in client.get(f"/accounts/invitation/{token}/").content.decode()
    assert "not valid" in client.get("/accounts/invitation/nope/").content.decode()
    with pytest.raises(InvitationError, match="expired"):
        invitation_accept(token=token, password=PASSWORD, password_again=PASSWORD)


def test_an_existing_account_must_sign_in_to_accept(client):
    user = user_create(username="ivy@example.org", email="ivy@example.org", password=PASSWORD,
                       role="analyst")
    _inv, token = invitation_create(email="ivy@example.org", name="Ivy", role="facilitator")
    path = f"/accounts/invitation/{token}/"
    assert "Sign in with it" in client.get(path).content.decode()
    refused = client.post(path)
    assert refused.status_code == 400 and "Sign in with it to accept" in \
        refused.content.decode()
    client.force_login(user)
    assert client.post(path).status_code == 302
    assert user_roles(user=user) == {Role.ANALYST, Role.FACILITATOR}


def test_an_invitation_replaces_an_account_waiting_for_its_email_with_a_new_one(
        client, django_capture_on_commit_callbacks):
    """The invitation link went to the address, so it proves ownership; the waiting account was
    made by whoever registered with the address, so the invitee gets a new account instead, with
    none of its password, name or roles (ADR 20, third addendum)."""
    from locus.accounts.confirmation import confirmation_start

    waiting = get_user_model().objects.create_user(
        username="kay@example.org", email="kay@example.org", password="someone-elses-pass-1",
        first_name="Someone Else", is_active=False)
    waiting.groups.add(Group.objects.get_or_create(name=Role.FIRM_MEMBER.value)[0])
    confirmation_start(user=waiting, purpose="register Kay Ltd", send=False)
    _inv, token = invitation_create(email="kay@example.org", name="Kay", role="facilitator",
                                    send=False)
    path = f"/accounts/invitation/{token}/"
    assert "Choose a password" in client.get(path).content.decode()
    response = client.post(path, {"password": PASSWORD, "password_again": PASSWORD})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=waiting.pk).exists()
    new = get_user_model().objects.get(username__iexact="kay@example.org")
    assert new.is_active and new.first_name == "Kay"
    assert new.check_password(PASSWORD) and not new.check_password("someone-elses-pass-1")
    assert user_roles(user=new) == {Role.FACILITATOR}


def test_administrators_are_not_invited():
    with pytest.raises(InvitationError, match="command line"):
        invitation_create(email="a@example.org", name="A", role=Role.ADMINISTRATOR)
    with pytest.raises(InvitationError, match="correct format"):
        invitation_create(email="nope", name="A", role=Role.ANALYST)


def test_password_reset_sends_a_site_link_that_sets_a_new_password(client):
    user_create(username="jo", email="jo@example.org", password=PASSWORD, role="analyst")
    page = client.get("/accounts/sign-in/").content.decode()
    assert 'href="/accounts/password-reset/"' in page
    bad = client.post("/accounts/password-reset/", {"email": "jo"}).content.decode()
    assert "Enter an email address in the correct format" in bad and "<title>Error:" in bad
    response = client.post("/accounts/password-reset/", {"email": "jo@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Reset your Locus password"
    link = _link(mail.outbox[0])
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    post_to = form.redirect_chain[-1][0]
    mismatch = client.post(post_to, {"new_password1": "another-long-passphrase-7",
                                     "new_password2": "different-passphrase-77"})
    assert "The passwords do not match" in mismatch.content.decode()
    done = client.post(post_to, {"new_password1": "another-long-passphrase-7",
                                 "new_password2": "another-long-passphrase-7"})
    assert done["Location"] == "/accounts/password-reset/done/"
    assert client.login(username="jo", password="another-long-passphrase-7")
    used = client.get(link, follow=True).content.decode()
    assert "This reset link cannot be used" in used


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/" and not mail.outbox


def test_the_invitation_email_never_names_the_inviter_by_their_username(db):
    """A username is a sign-in name: an inviter without a full name is "The Locus team" (H30
    finding 11); one with a full name is named."""
    from locus.accounts.selectors import display_name

    quiet = user_create(username="pm-quiet", email="q@example.org", password=PASSWORD,
                        role="programme manager")
    invitation_create(email="zed@example.org", name="Zed", role="analyst", created_by=quiet)
    assert "The Locus team has invited you" in mail.outbox[-1].body
    assert "pm-quiet" not in mail.outbox[-1].body
    quiet.first_name, quiet.last_name = "Pat", "Morgan"
    quiet.save()
    invitation_create(email="zoe@example.org", name="Zoe", role="analyst", created_by=quiet)
    assert "Pat Morgan has invited you" in mail.outbox[-1].body
    assert display_name(user=None, fallback="Your facilitator") == "Your facilitator"
