"""What accepting an invitation gives in this room (registered with locus.accounts): a firm
contact's sign-in account, the facilitation of one group, or a programme to manage. Each says
what it did, or that it had been done already, for the banner on the page it leads to."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from locus.accounts.invitations import Granted, InvitationError, grant_register
from locus.peers.groups import group_assign_facilitator
from locus.peers.models import Contact, PeerGroup, Programme

CONTACT = "peers.contact"
GROUP = "peers.group"
PROGRAMME = "peers.programme"


@transaction.atomic
def contact_link(user, contact_id: int) -> Granted:
    contact = Contact.objects.select_for_update().filter(pk=contact_id).first()
    if contact is None or contact.erased_at is not None:
        raise InvitationError("The business contact this invitation was for no longer exists")
    if contact.user_id and contact.user_id != user.pk:
        raise InvitationError("This contact already has a sign-in account")
    other = Contact.objects.filter(user=user).exclude(pk=contact.pk).first()
    if other is not None:
        raise InvitationError("Your account is already linked to another business contact")
    already = contact.user_id == user.pk
    contact.user = user
    contact.save(update_fields=["user"])
    where = f"{contact.firm.name} in {contact.firm.programme.name}"
    return Granted(reverse("peers:my"), f"Your account was already linked to {where}."
                   if already else f"Your account is now linked to {where}.")


def group_facilitate(user, group_id: int) -> Granted:
    group = PeerGroup.objects.select_related("facilitator").filter(pk=group_id).first()
    if group is None:
        raise InvitationError("The group this invitation was for no longer exists")
    already = group.facilitator is not None and group.facilitator.user_id == user.pk
    group_assign_facilitator(group=group, user=user)
    return Granted(reverse("peers:group", args=[group.pk]),
                   f"You were already the facilitator of group {group.label}." if already
                   else f"You are now the facilitator of group {group.label}.")


def programme_manage(user, programme_id: int) -> Granted:
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        raise InvitationError("The programme this invitation was for no longer exists")
    already = programme.managers.filter(pk=user.pk).exists()
    programme.managers.add(user)
    return Granted(reverse("peers:dashboard", args=[programme.slug]),
                   f"You were already a manager of {programme.name}." if already
                   else f"You are now a manager of {programme.name}.")


def grants_register() -> None:
    grant_register(CONTACT, contact_link)
    grant_register(GROUP, group_facilitate)
    grant_register(PROGRAMME, programme_manage)
