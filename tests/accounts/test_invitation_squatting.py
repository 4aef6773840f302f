"""An account waiting for its email address to be confirmed was made by whoever registered with
that address, who need not own it (ADR 17). An invitation to the address must not hand the
invitee that account, its firm, role or name: accepting removes it (its contact keeps the firm,
without an account, as an expired one is released) and makes a fresh account with only what the
invitation gives (ADR 20, third addendum). Found by the security review (H30, finding 2)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from locus.accounts.invitations import invitation_create, invitation_match
from locus.accounts.models import EmailConfirmation
from locus.accounts.roles import Role
from locus.accounts.services import user_roles
from locus.peers.grants import CONTACT, GROUP, PROGRAMME
from locus.peers.models import Contact, Firm
from tests.peers.conftest import (  # noqa: F401 - fixtures
    facilitator,
    firms,
    gm_postcodes,
    group,
    grouped,
    inline_jobs,
    manager,
    programme,
)
from tests.peers.test_registration import form

pytestmark = pytest.mark.django_db
User = get_user_model()
VICTIM = "victim@example.org"
SQUATTER_PASSWORD = "squatters-own-passphrase-9"
PASSWORD = "the-invitees-passphrase-42"


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _squat(client, programme):  # noqa: F811
    """Anyone registers a business of their own with the victim's address and a password."""
    response = client.post(f"/peers/{programme.slug}/register/", form(
        programme, business_name="Squatter Widgets Ltd", company_number="",
        contact_name="Squatter call 07700 900123", email=VICTIM, password=SQUATTER_PASSWORD))
    assert response.status_code == 302
    squat = User.objects.get(username=VICTIM)
    assert not squat.is_active and squat.peer_contact.firm.name == "Squatter Widgets Ltd"
    return squat


def _accept(client, *, role, grant_kind, grant_id, name="Vic Tim"):
    _inv, token = invitation_create(email=VICTIM, name=name, role=role, grant_kind=grant_kind,
                                    grant_id=grant_id, send=False)
    path = f"/accounts/invitation/{token}/"
    page = client.get(path).content.decode()
    assert 'name="password"' in page
    response = client.post(path, {"password": PASSWORD, "password_again": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return response, client.get(response["Location"]).wsgi_request.user


def _nothing_of_the_squat(squat, user):
    """The invitee's account is a new one; the squatter's is gone, its firm kept without it."""
    assert user.pk != squat.pk and not User.objects.filter(pk=squat.pk).exists()
    assert not EmailConfirmation.objects.filter(user_id=squat.pk).exists()
    left = Contact.objects.get(firm__name="Squatter Widgets Ltd")
    assert left.user_id is None and Firm.objects.filter(name="Squatter Widgets Ltd").exists()
    user.refresh_from_db()
    assert user.is_active and user.username == VICTIM and user.first_name == "Vic Tim"
    assert user.check_password(PASSWORD) and not user.check_password(SQUATTER_PASSWORD)
    assert User.objects.filter(username__iexact=VICTIM).count() == 1


def test_a_contact_invitation_to_a_squatted_address_links_the_real_firm(client, programme,  # noqa: F811
                                                                        firms):  # noqa: F811
    squat = _squat(client, programme)
    real = Contact.objects.create(firm=firms[0], name="Vic Tim", email=VICTIM)
    assert invitation_match(invitation=invitation_create(
        email=VICTIM, name="x", role=Role.FIRM_MEMBER, send=False)[0]).kind == "confirm"
    client.logout()
    response, user = _accept(client, role=Role.FIRM_MEMBER, grant_kind=CONTACT, grant_id=real.pk)
    assert response["Location"] == "/peers/my/"
    _nothing_of_the_squat(squat, user)
    real.refresh_from_db()
    assert real.user_id == user.pk and user.peer_contact.firm == firms[0]
    assert user_roles(user=user) == {Role.FIRM_MEMBER}
    page = client.get("/peers/my/").content.decode()
    assert firms[0].name in page and "Squatter" not in page


def test_a_facilitator_invitation_gives_nothing_the_squatter_set(client, programme, group):  # noqa: F811
    squat = _squat(client, programme)
    client.logout()
    response, user = _accept(client, role=Role.FACILITATOR, grant_kind=GROUP, grant_id=group.pk)
    assert response["Location"] == f"/peers/groups/{group.pk}/"
    _nothing_of_the_squat(squat, user)
    assert user_roles(user=user) == {Role.FACILITATOR}  # not the squat's firm member role
    assert not Contact.objects.filter(user=user).exists()
    group.refresh_from_db()
    assert group.facilitator.user_id == user.pk and "Squatter" not in group.facilitator.name


def test_a_manager_invitation_gives_nothing_the_squatter_set(client, programme):  # noqa: F811
    squat = _squat(client, programme)
    client.logout()
    response, user = _accept(client, role=Role.PROGRAMME_MANAGER, grant_kind=PROGRAMME,
                             grant_id=programme.pk)
    assert response["Location"] == f"/peers/{programme.slug}/"
    _nothing_of_the_squat(squat, user)
    assert user_roles(user=user) == {Role.PROGRAMME_MANAGER}
    assert programme.managers.filter(pk=user.pk).exists()
    assert not Contact.objects.filter(user=user).exists()
