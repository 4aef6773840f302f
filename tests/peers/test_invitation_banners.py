"""Accepting a peer-network invitation lands on the programme, group or firm page with a
success banner saying what the invitation gave, or that it had been given already (the
permissions are in locus.peers.grants; the acceptance in locus.accounts.invitations)."""

from __future__ import annotations

import pytest

from locus.accounts.invitations import invitation_create
from locus.accounts.roles import Role
from locus.accounts.services import user_create
from locus.peers.grants import GROUP, PROGRAMME, contact_link, group_facilitate, programme_manage
from locus.peers.models import Contact
from tests.peers.conftest import PASSWORD

pytestmark = pytest.mark.django_db
BANNER = 'class="govuk-notification-banner govuk-notification-banner--success"'


def _banner(page: str) -> str:
    assert BANNER in page
    start = page.index('class="govuk-notification-banner__heading">', page.index(BANNER))
    return page[page.index(">", start) + 1:page.index("</p>", start)]


def test_a_new_facilitator_lands_on_the_group_with_a_banner(client, programme, grouped):
    group = programme.groups.order_by("label").last()
    _inv, token = invitation_create(email="kim@example.org", name="Kim", send=False,
                                    role=Role.FACILITATOR, grant_kind=GROUP, grant_id=group.pk)
    response = client.post(f"/accounts/invitation/{token}/",
                           {"password": PASSWORD, "password_again": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == f"/peers/groups/{group.pk}/"
    assert _banner(response.content.decode()) == (
        "Your account is ready. Your username is kim@example.org. You are now the facilitator "
        f"of group {group.label}.")


def test_a_manager_invited_again_is_told_nothing_changed(client, programme):
    lin = user_create(username="lin@example.org", email="lin@example.org", password=PASSWORD,
                      role=Role.PROGRAMME_MANAGER)
    programme.managers.add(lin)
    _inv, token = invitation_create(email="lin@example.org", name="Lin", send=False,
                                    role=Role.PROGRAMME_MANAGER, grant_kind=PROGRAMME,
                                    grant_id=programme.pk)
    client.force_login(lin)
    response = client.post(f"/accounts/invitation/{token}/", follow=True)
    assert response.redirect_chain[-1][0] == f"/peers/{programme.slug}/"
    assert _banner(response.content.decode()) == (
        f"You were already a manager of {programme.name}.")


def test_each_permission_says_whether_it_was_new(programme, group, facilitator, member):
    newcomer = user_create(username="new@example.org", email="new@example.org",
                           password=PASSWORD, role=Role.FACILITATOR)
    assert group_facilitate(facilitator, group.pk).said == (
        f"You were already the facilitator of group {group.label}.")
    assert group_facilitate(newcomer, group.pk).said == (
        f"You are now the facilitator of group {group.label}.")
    assert programme_manage(newcomer, programme.pk).said == (
        f"You are now a manager of {programme.name}.")
    linked = Contact.objects.get(user=member)
    where = f"{linked.firm.name} in {programme.name}"
    assert contact_link(member, linked.pk).said == f"Your account was already linked to {where}."
    free = Contact.objects.filter(user__isnull=True).exclude(firm=linked.firm).first()
    other = user_create(username="oz@example.org", email="oz@example.org", password=PASSWORD,
                        role=Role.FIRM_MEMBER)
    assert contact_link(other, free.pk).said == (
        f"Your account is now linked to {free.firm.name} in {programme.name}.")
