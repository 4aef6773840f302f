"""Registering with a password reads the same whether or not the address already has an account
(QA H11 defect 3; ADR 20 addendum): no error naming the account, the same "check your email"
page, nothing made or changed for the existing account, and its owner told by email instead."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from locus.accounts.confirmation import confirmation_start
from locus.accounts.models import EmailConfirmation
from locus.accounts.services import user_create
from locus.peers.mail import ADDRESS_TAKEN_SUBJECT
from locus.peers.models import Contact, Firm
from tests.peers.test_registration import PASSWORD, post

pytestmark = pytest.mark.django_db
User = get_user_model()


def _account(kind: str):
    """An account at ada@example.org: active (username not the address), waiting for its
    address to be confirmed, or deactivated by an administrator."""
    if kind == "active":
        return user_create(username="ada", email="ADA@example.org", password="her-own-pass-42",
                           role="analyst")
    user = User.objects.create_user(username="ada@example.org", email="ada@example.org",
                                    password="her-own-pass-42")
    if kind == "waiting":
        confirmation_start(user=user, purpose="register Old Ltd", send=False)
    else:
        user.is_active = False
        user.save()
    return user


def _done_page(client, response, name: str, email: str) -> str:
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    page = re.sub(r'nonce="[^"]*"', "", page)  # a new one on every page
    page = re.sub(r"register/done/[^/]+/", "register/done/TOKEN/", page)  # the firm's id
    return page.replace(name, "NAME").replace(email, "EMAIL")


@pytest.mark.parametrize("kind", ["active", "waiting", "deactivated"])
def test_an_address_with_an_account_gets_the_same_page_and_its_owner_an_email(
        client, programme, mailoutbox, django_capture_on_commit_callbacks, kind):
    existing = _account(kind)
    before = (existing.password, existing.is_active, set(existing.groups.all()),
              list(EmailConfirmation.objects.values_list("pk", "token_hash")))
    users = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        new = post(client, programme, password=PASSWORD, email="new@example.org",
                   business_name="New Widgets Ltd", company_number="")
        taken = post(client, programme, password=PASSWORD, email="ada@example.org",
                     business_name="Ada Widgets Ltd", company_number="")
    assert _done_page(client, taken, "Ada Widgets Ltd", "ada@example.org") == \
        _done_page(client, new, "New Widgets Ltd", "new@example.org")
    assert "Check your email to sign in" in client.get(taken["Location"]).content.decode()
    # only the new address got an account; nothing of the existing one changed
    assert User.objects.count() == users + 1
    existing.refresh_from_db()
    assert before == (existing.password, existing.is_active, set(existing.groups.all()),
                      list(EmailConfirmation.objects.exclude(user__email="new@example.org")
                           .values_list("pk", "token_hash")))
    contact = Contact.objects.get(firm__name="Ada Widgets Ltd")
    assert contact.user is None and contact.email == "ada@example.org"
    # the registration itself is recorded, as one without a password would be
    assert Firm.objects.get(name="Ada Widgets Ltd").eligible
    notice = [m for m in mailoutbox if m.to == ["ada@example.org"]]
    assert [m.subject for m in notice] == [ADDRESS_TAKEN_SUBJECT]
    body = notice[0].body
    assert "Ada Widgets Ltd" in body and "we did not create another one" in body
    assert PASSWORD not in body and not re.search(r"/accounts/(invitation|confirm-email/\w)",
                                                  body)
    if kind == "waiting":
        assert "/accounts/confirm-email/" in body
    else:
        assert "/accounts/sign-in/" in body and "/accounts/password-reset/" in body


def test_a_weak_password_is_refused_alike_for_every_address(client, programme, manager):
    _account("active")
    for email in ("ada@example.org", "new@example.org"):
        page = post(client, programme, password="short", email=email).content.decode()
        assert "Password must be 12 characters or more" in page and 'href="#id_password"' in page
        assert "already" not in page
    assert not Firm.objects.exists() and User.objects.count() == 2


def test_the_owner_is_emailed_at_most_once_an_hour(client, programme, mailoutbox,
                                                   django_capture_on_commit_callbacks):
    _account("active")
    for i in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = post(client, programme, password=PASSWORD, email="ada@example.org",
                            business_name=f"Flood {i} Ltd", company_number="")
        assert response.status_code == 302
    assert len(mailoutbox) == 1 and Firm.objects.count() == 3


def test_an_older_done_link_still_opens(client, programme):
    from django.core import signing

    response = post(client, programme)
    firm = Firm.objects.get()
    old = signing.dumps(firm.pk, salt="peers-registration")
    page = client.get(response["Location"].replace(response["Location"].split("/")[-2], old))
    assert page.status_code == 200 and "Check your email" not in page.content.decode()
