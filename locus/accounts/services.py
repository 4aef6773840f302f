"""Writes for users and roles."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from locus.accounts.roles import Role
from locus.errors import LocusError


class AccountError(LocusError):
    """A user or role request that cannot be carried out."""


def roles_ensure() -> list[Group]:
    """Create the role groups if missing (idempotent)."""
    return [Group.objects.get_or_create(name=role.value)[0] for role in Role]


@transaction.atomic
def user_create(*, username: str, email: str, password: str, role: Role | str):
    """Create a user with one role; administrators may use the admin site."""
    try:
        role = Role(role)
    except ValueError:
        raise AccountError(f"Unknown role {role!r}: use one of {', '.join(r.value for r in Role)}.") from None
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise AccountError(f"A user called {username!r} already exists.")
    try:
        validate_email(email)
    except ValidationError:
        raise AccountError(f"{email!r} is not an email address: invitations and password resets are sent there.") from None
    try:
        validate_password(password)
    except Exception as exc:  # django.core.exceptions.ValidationError
        raise AccountError(" ".join(getattr(exc, "messages", [str(exc)]))) from None
    is_admin = role is Role.ADMINISTRATOR
    user = User.objects.create_user(username=username, email=email, password=password,
                                    is_staff=is_admin, is_superuser=is_admin)
    roles_ensure()
    user.groups.add(Group.objects.get(name=role.value))
    return user


def user_roles(*, user) -> set[Role]:
    names = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return {role for role in Role if role.value in names}
