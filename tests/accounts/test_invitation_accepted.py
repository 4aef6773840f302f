"""Every accepted invitation says what happened: a new account ("Your account is ready"), a
confirmed one, a role newly given ("You have joined Locus as ...") or already held ("You were
already ..."), on the "Invitation accepted" page when the invitation leads nowhere in
particular, or as a success banner on the page its permission leads to."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core import mail

from locus.accounts.confirmation import confirmation_start
from locus.accounts.invitations import (
    Granted,
    grant_register,
    invitation_accept,
    invitation_create,
    role_with_article,
)
from locus.accounts.services import user_create

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-passphrase-42"


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _invite(email: str, role: str = "facilitator", **grant) -> str:
    _invitation, token = invitation_create(email=email, name="Pat", role=role, send=False,
                                           **grant)
    return f"/accounts/invitation/{token}/"


def _accepted_page(client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200
    text = page.content.decode()
    assert '<h1 class="govuk-panel__title">Invitation accepted</h1>' in text
    return text


def test_a_new_account_with_nothing_else_attached_ends_on_the_accepted_page(client):
    path = _invite("pat@example.org")
    response = client.post(path, {"password": PASSWORD, "password_again": PASSWORD})
    assert response.status_code == 302 and response["Location"] == path
    page = _accepted_page(client, path)
    assert "You are a facilitator in Locus" in page
    assert ("Your account is ready. Your username is pat@example.org. You have joined Locus as "
            "a facilitator.") in page
    assert "You are signed in as pat@example.org" in page
    again = _accepted_page(client, path)  # a reload still says it, without the one-off message
    assert "You are a facilitator in Locus" in again and "Your account is ready" not in again


def test_the_accepted_page_is_only_for_the_person_who_accepted(client):
    path = _invite("quin@example.org")
    invitation_accept(token=path.split("/")[-2], password=PASSWORD, password_again=PASSWORD)
    other = client.get(path)
    assert other.status_code == 404 and "already been used" in other.content.decode()
    client.force_login(user_create(username="rex", email="rex@example.org", password=PASSWORD,
                                   role="analyst"))
    assert client.get(path).status_code == 404


def test_an_existing_account_given_a_new_role_is_told_it_joined(client):
    user = user_create(username="sal@example.org", email="sal@example.org", password=PASSWORD,
                       role="analyst")
    path = _invite("sal@example.org")
    client.force_login(user)
    assert client.post(path)["Location"] == path
    page = _accepted_page(client, path)
    assert "You have joined Locus as a facilitator." in page and "account is ready" not in page


def test_an_existing_account_that_already_had_the_role_is_told_nothing_changed(client):
    user = user_create(username="tam@example.org", email="tam@example.org", password=PASSWORD,
                       role="analyst")
    path = _invite("tam@example.org", role="analyst")
    client.force_login(user)
    client.post(path)
    page = _accepted_page(client, path)
    assert "You are an analyst in Locus" in page
    assert "You were already an analyst in Locus, so nothing has changed." in page


def test_an_account_waiting_for_its_email_is_told_it_was_replaced(
        client, django_capture_on_commit_callbacks):
    waiting = get_user_model().objects.create_user(
        username="uma@example.org", email="uma@example.org", password="someone-elses-pass-1",
        is_active=False)
    confirmation_start(user=waiting, send=False)
    path = _invite("uma@example.org", role="firm member")
    client.post(path, {"password": PASSWORD, "password_again": PASSWORD})
    page = _accepted_page(client, path)
    assert ("Your account is ready. Your username is uma@example.org. The unconfirmed account "
            "made with this address when a business was registered has been removed; the "
            "registration itself is kept. You have joined Locus as a firm member.") in page


def test_a_permission_says_what_it_gave_in_a_banner_on_its_page(client):
    grant_register("tests.said", lambda user, pk: Granted(
        next=f"/thing/{pk}/", said=f"You now look after thing {pk}."))
    path = _invite("val@example.org", grant_kind="tests.said", grant_id=4)
    response = client.post(path, {"password": PASSWORD, "password_again": PASSWORD})
    assert response["Location"] == "/thing/4/"
    [message] = get_messages(response.wsgi_request)
    assert message.level_tag == "success"
    assert str(message) == ("Your account is ready. Your username is val@example.org. "
                            "You now look after thing 4.")


def test_a_permission_that_only_gives_an_address_still_gets_a_banner(client):
    grant_register("tests.plain", lambda user, pk: "/plain/")
    path = _invite("wyn@example.org", grant_kind="tests.plain", grant_id=1)
    response = client.post(path, {"password": PASSWORD, "password_again": PASSWORD})
    assert response["Location"] == "/plain/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your account is ready. Your username is wyn@example.org. You have joined Locus as a "
        "facilitator."]


def test_roles_read_with_the_right_article(client):
    assert [role_with_article(r) for r in ("analyst", "facilitator", "programme manager")] == [
        "an analyst", "a facilitator", "a programme manager"]
    page = client.get(_invite("xan@example.org", role="analyst")).content.decode()
    assert "invited to Locus as <strong>an analyst</strong>" in page
    invitation_create(email="yve@example.org", name="Yve", role="analyst")
    assert "has invited you to Locus as an analyst." in mail.outbox[-1].body
