"""Who may do what: imports and the review queue are for analysts and administrators."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from locus.accounts.roles import Role
from locus.accounts.services import user_roles

DATA_ROLES = frozenset({Role.ADMINISTRATOR, Role.ANALYST})


def is_analyst(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user_roles(user=user) & DATA_ROLES))


def analysts_only(view):
    """Signed-out users go to sign in; other roles get a 403 page that says who may."""
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_analyst(request.user):
            return render(request, "collaboration/forbidden.html", status=403)
        return view(request, *args, **kwargs)
    return wrapper
