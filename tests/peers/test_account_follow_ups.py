"""Peer networks and the accounts pages: a firm contact's "Your account" page links to their
personal data; one-off messages on peers pages show once (the site layout shows them); a
contact invitation the mail server refuses is a form error at the address, with nothing kept;
registration's password rules are in the project's words; and an address that already has an
account never gets a second one, from registration or a contact invitation (ADR 20)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from locus.accounts.models import Invitation
from locus.accounts.services import user_create
from locus.peers.models import Contact, Firm
from tests.peers.conftest import PASSWORD, login
from tests.peers.test_registration import post

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture(autouse=True)
def _site(settings):
    settings.LOCUS_SITE_URL = "http://testserver.example"


def _invite_path(programme, contact) -> str:
    return f"/peers/{programme.slug}/firms/{contact.firm_id}/contacts/{contact.pk}/invite/"


def test_a_contacts_account_page_links_to_their_personal_data(client, firms):
    contact = Contact.objects.order_by("pk").first()
    user = user_create(username="c0", email=contact.email, password=PASSWORD,
                       role="firm member")
    login(client, user)
    assert "Your personal data" not in client.get("/accounts/").content.decode()
    contact.user = user
    contact.save()
    page = client.get("/accounts/").content.decode()
    assert '<h2 class="govuk-heading-m">Your personal data</h2>' in page
    assert 'href="/peers/my/data/">See or download your personal data</a>' in page
    assert 'href="/peers/my/erase/">Erase your personal data</a>' in page
    assert f"as a contact of {contact.firm.name}" in page


def test_a_message_on_a_peers_page_shows_once(client, programme, firms, manager):
    contact = Contact.objects.order_by("pk").first()
    login(client, manager)
    response = client.post(_invite_path(programme, contact))
    page = client.get(response["Location"]).content.decode()
    said = f"An invitation to sign in has been emailed to {contact.email}."
    assert page.count(said) == 1
    assert page.count("govuk-notification-banner--success") == 1


def test_a_refused_contact_invitation_is_an_error_at_the_address_and_keeps_nothing(
        client, programme, firms, manager, settings):
    settings.EMAIL_BACKEND = "tests.accounts.test_email_background.BrokenBackend"
    contact = Contact.objects.order_by("pk").first()
    login(client, manager)
    response = client.post(_invite_path(programme, contact))
    page = response.content.decode()
    assert response.status_code == 200 and "<title>Error:" in page
    assert '<a href="#email">The invitation could not be emailed: the mail server did not ' \
           'accept it. Try again later</a>' in page
    field = page[page.index('id="email"') - 80:]
    assert "govuk-form-group--error" in field[:200] and "govuk-error-message" in field[:400]
    assert contact.email in field[:1000]
    assert not Invitation.objects.exists() and "Send invitation" in page
    contact.refresh_from_db()
    assert contact.user is None


def test_registration_password_rules_are_in_the_projects_words(client, programme):
    page = post(client, programme, password="short").content.decode()
    assert "Password must be 12 characters or more" in page
    assert 'href="#id_password"' in page and 'id="password-error"' in page
    assert "This password is too short" not in page
    page = post(client, programme, password="123456789012345").content.decode()
    assert "Password must include letters or symbols, not only numbers" in page
    assert not Firm.objects.exists() and not User.objects.filter(email="ada@example.org").exists()


def test_registering_with_a_password_at_an_address_another_account_uses_makes_no_account(
        client, programme):
    user_create(username="ada", email="ADA@example.org", password=PASSWORD, role="analyst")
    assert post(client, programme, password=PASSWORD).status_code == 302  # same as a new address
    assert User.objects.count() == 2  # ada and the programme's manager: no second Ada
    assert Contact.objects.get().user is None  # and the firm is not linked to ada


def test_a_contact_invited_at_an_address_with_an_account_links_that_account(
        client, programme, firms, manager):
    contact = Contact.objects.order_by("pk").first()
    existing = user_create(username="casey", email=contact.email.upper(), password=PASSWORD,
                           role="analyst")
    login(client, manager)
    client.post(_invite_path(programme, contact))
    path = re.search(r"http://testserver.example(/\S+)", mail.outbox[0].body).group(1)
    browser = Client()
    assert "An account already uses this email address" in browser.get(path).content.decode()
    login(browser, existing)
    response = browser.post(path)
    assert response.status_code == 302 and response["Location"] == "/peers/my/"
    contact.refresh_from_db()
    assert contact.user == existing
    assert not User.objects.filter(username__iexact=contact.email).exists()
    assert browser.get("/peers/my/").content.decode().count(
        f"Your account is now linked to {contact.firm.name}") == 1
