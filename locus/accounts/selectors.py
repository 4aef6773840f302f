"""Reads about accounts shared by the accounts pages and other rooms."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from locus.accounts.roles import Role


def display_name(*, user, fallback: str) -> str:
    """The name to show other people for an account: its full name, else ``fallback`` (say
    "Your facilitator", or the role), never its username, which is a sign-in name and so half of
    what a password guesser needs (H30 finding 11)."""
    name = user.get_full_name().strip() if user is not None else ""
    return name or fallback


def users_by_email(*, email: str) -> list:
    """The accounts an email address belongs to: those whose email address or username is the
    address, in any case, oldest first (ADR 20). An account made with the command line has its
    own username ("ann") and the address only as its email; one made by an invitation or a
    registration has the address as its username too."""
    email = email.strip()
    if not email:
        return []
    return list(get_user_model().objects.filter(
        Q(email__iexact=email) | Q(username__iexact=email)).order_by("pk"))


# Where signing in leads when no safe "next" says otherwise: the work page of the user's most
# specific role, narrowest first (one business, then the groups one facilitates, then the
# programmes one manages); other roles (administrator, analyst) and none lead home. The pages
# belong to the peer-networks room and are named, not imported (DESIGN rule 13).
WORK_PAGES: tuple[tuple[Role, str], ...] = (
    (Role.FIRM_MEMBER, "peers:my"),  # Your business
    (Role.FACILITATOR, "peers:facilitate"),  # Groups you facilitate
    (Role.PROGRAMME_MANAGER, "peers:landing"),  # its "Your work" panel lists their programmes
)
HOME = "web:home"


def work_page_name(*, roles: Iterable[Role | str]) -> str:
    """The URL name of the work page for a set of roles: the first of WORK_PAGES they hold,
    else the home page."""
    held = {str(role) for role in roles}
    return next((name for role, name in WORK_PAGES if role.value in held), HOME)


def sign_in_destination(*, user, next_url: str = "", allowed_hosts: Iterable[str] = (),
                        require_https: bool = False) -> str:
    """Where to send a user who has just signed in: a safe ``next`` (same site, as Django's
    url_has_allowed_host_and_scheme decides) as asked, else their work page
    (``work_page_name``). A work page whose room is not installed falls back to home."""
    if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts=set(allowed_hosts), require_https=require_https):
        return next_url
    roles = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    try:
        return reverse(work_page_name(roles=roles))
    except NoReverseMatch:
        return reverse(HOME)
