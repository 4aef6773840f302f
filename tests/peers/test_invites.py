"""Managers invite a firm's contact to sign in, and a new facilitator for a group; accepting
gives the role and the object permission."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from locus.accounts.roles import Role
from locus.accounts.services import user_roles
from locus.peers.models import Contact
from tests.peers.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db


def _accept(message) -> Client:
    path = re.search(r"http://testserver.example(/\S+)", message.body).group(1)
    browser = Client(HTTP_HOST="localhost")
    response = browser.post(path, {"password": PASSWORD, "password_again": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return browser, response["Location"]


@pytest.fixture(autouse=True)
def _site(settings):
    settings.LOCUS_SITE_URL = "http://testserver.example"


def test_a_contact_invited_by_a_manager_signs_in_to_their_own_firm(client, programme, group,
                                                                   manager):
    contact = Contact.objects.filter(firm__group=group, user__isnull=True).first()
    firm = contact.firm
    login(client, manager)
    path = f"/peers/{programme.slug}/firms/{firm.pk}/contacts/{contact.pk}/invite/"
    assert contact.email in client.get(path).content.decode()
    assert client.post(path)["Location"] == f"/peers/{programme.slug}/firms/{firm.pk}/"
    assert mail.outbox[0].to == [contact.email]
    browser, following = _accept(mail.outbox[0])
    assert following == "/peers/my/"
    contact.refresh_from_db()
    assert contact.user.username == contact.email
    assert user_roles(user=contact.user) == {Role.FIRM_MEMBER}
    assert firm.name in browser.get("/peers/my/").content.decode()
    again = client.get(path).content.decode()
    assert "already has a sign-in account" in again


def test_a_new_facilitator_is_invited_for_a_group(client, programme, grouped, manager):
    group = programme.groups.order_by("label").last()
    login(client, manager)
    path = f"/peers/groups/{group.pk}/invite-facilitator/"
    bad = client.post(path, {"name": "Kim", "email": "kim"}).content.decode()
    assert "Enter an email address in the correct format" in bad and 'href="#id_email"' in bad
    assert client.post(path, {"name": "Kim Lee", "email": "kim@example.org"}).status_code == 302
    browser, following = _accept(mail.outbox[0])
    assert following == f"/peers/groups/{group.pk}/"
    group.refresh_from_db()
    assert group.facilitator.user.username == "kim@example.org"
    assert browser.get(f"/peers/groups/{group.pk}/").status_code == 200
    assert "Groups you facilitate" in browser.get("/peers/facilitate/").content.decode()


def test_the_survey_page_says_its_wording_is_a_paraphrase_and_cites_ons(client, member):
    page = login(client, member).get("/peers/my/diagnostic/").content.decode()
    note = page[page.index('id="instrument-source"'):]
    assert "The wording is our own short version, not the ONS questionnaire" in note
    assert "managementpracticesintheukqmi" in note and "5 July 2024" in note


def test_a_manager_invites_a_co_manager_for_their_programme(client, programme, manager):
    login(client, manager)
    assert "Invite another programme manager" in client.get(
        f"/peers/{programme.slug}/edit/").content.decode()
    response = client.post(f"/peers/{programme.slug}/managers/invite/",
                           {"name": "Lin Park", "email": "lin@example.org"})
    assert response["Location"] == f"/peers/{programme.slug}/edit/"
    browser, following = _accept(mail.outbox[0])
    assert following == f"/peers/{programme.slug}/"
    assert browser.get(following).status_code == 200
    assert set(programme.managers.values_list("username", flat=True)) == {
        "manager", "lin@example.org"}
    assert Role.PROGRAMME_MANAGER in user_roles(user=programme.managers.get(
        username="lin@example.org"))

