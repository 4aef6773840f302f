"""What accepting an invitation gives in this room (registered with locus.accounts): a firm
contact's sign-in account, or the facilitation of one group."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from locus.accounts.invitations import InvitationError, grant_register
from locus.peers.groups import group_assign_facilitator
from locus.peers.models import Contact, PeerGroup, Programme

CONTACT = "peers.contact"
GROUP = "peers.group"
PROGRAMME = "peers.programme"


@transaction.atomic
def contact_link(user, contact_id: int) -> str:
    contact = Contact.objects.select_for_update().filter(pk=contact_id).first()
    if contact is None or contact.erased_at is not None:
        raise InvitationError("The business contact this invitation was for no longer exists")
    if contact.user_id and contact.user_id != user.pk:
        raise InvitationError("This contact already has a sign-in account")
    other = Contact.objects.filter(user=user).exclude(pk=contact.pk).first()
    if other is not None:
        raise InvitationError("Your account is already linked to another business contact")
    contact.user = user
    contact.save(update_fields=["user"])
    return reverse("peers:my")


def group_facilitate(user, group_id: int) -> str:
    group = PeerGroup.objects.filter(pk=group_id).first()
    if group is None:
        raise InvitationError("The group this invitation was for no longer exists")
    group_assign_facilitator(group=group, user=user)
    return reverse("peers:group", args=[group.pk])


def programme_manage(user, programme_id: int) -> str:
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        raise InvitationError("The programme this invitation was for no longer exists")
    programme.managers.add(user)
    return reverse("peers:dashboard", args=[programme.slug])


def grants_register() -> None:
    grant_register(CONTACT, contact_link)
    grant_register(GROUP, group_facilitate)
    grant_register(PROGRAMME, programme_manage)
