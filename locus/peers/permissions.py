"""Who may see and do what in the peer-networks room.

Administrators see everything; programme managers their programmes; facilitators the groups
they facilitate (and those groups' meetings); firm members their own firm, its diagnostics and
their group's meetings. Anyone may read the landing page and register a firm.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from locus.accounts.roles import Role
from locus.peers.models import Firm, Meeting, PeerGroup, Programme


def _roles(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_peer_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._peer_roles = cached
    return cached


def is_admin(user) -> bool:
    return user.is_authenticated and (user.is_superuser or Role.ADMINISTRATOR.value in _roles(user))


def is_manager(user) -> bool:
    return Role.PROGRAMME_MANAGER.value in _roles(user)


def is_facilitator(user) -> bool:
    return Role.FACILITATOR.value in _roles(user)


def programmes_managed(*, user) -> QuerySet[Programme]:
    if is_admin(user):
        return Programme.objects.all()
    if not is_manager(user):
        return Programme.objects.none()
    return Programme.objects.filter(managers=user)


def programme_can_manage(*, user, programme: Programme) -> bool:
    if is_admin(user):
        return True
    return is_manager(user) and programme.managers.filter(pk=user.pk).exists()


def user_firm(*, user) -> Firm | None:
    """The firm of a signed-in firm member (through their contact record), if any."""
    if not user.is_authenticated:
        return None
    contact = getattr(user, "peer_contact", None)
    if contact is None or contact.erased_at is not None:
        return None
    return contact.firm


def groups_facilitated(*, user) -> QuerySet[PeerGroup]:
    if not user.is_authenticated or not is_facilitator(user):
        return PeerGroup.objects.none()
    return PeerGroup.objects.filter(facilitator__user=user)


def group_can_manage(*, user, group: PeerGroup) -> bool:
    return programme_can_manage(user=user, programme=group.programme)


def group_can_facilitate(*, user, group: PeerGroup) -> bool:
    """Record attendance, notes and actions: the group's facilitator, its managers, admins."""
    if group_can_manage(user=user, group=group):
        return True
    return is_facilitator(user) and group.facilitator_id is not None \
        and group.facilitator.user_id == user.pk


def group_can_view(*, user, group: PeerGroup) -> bool:
    if group_can_facilitate(user=user, group=group):
        return True
    firm = user_firm(user=user)
    return firm is not None and firm.group_id == group.pk and firm.withdrawn_at is None


def meeting_can_view(*, user, meeting: Meeting) -> bool:
    return group_can_view(user=user, group=meeting.group)


def firm_can_view(*, user, firm: Firm) -> bool:
    """A firm's record and diagnostics: its own members, its programme's managers, admins."""
    if programme_can_manage(user=user, programme=firm.programme):
        return True
    own = user_firm(user=user)
    return own is not None and own.pk == firm.pk


def meetings_visible(*, user) -> QuerySet[Meeting]:
    """Every meeting the user may see (for the calendar feed)."""
    if is_admin(user):
        return Meeting.objects.none()  # administrators' feeds would hold every meeting
    q = Q(group__facilitator__user=user) if is_facilitator(user) else Q(pk__in=[])
    if is_manager(user):
        q |= Q(group__programme__managers=user)
    firm = user_firm(user=user)
    if firm is not None and firm.group_id and firm.withdrawn_at is None:
        q |= Q(group_id=firm.group_id)
    return Meeting.objects.filter(q).distinct()
