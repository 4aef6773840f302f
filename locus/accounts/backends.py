"""The authentication backend: Django's ModelBackend with the sign-in throttle
(``locus.accounts.throttle``), so every sign-in that checks a password, the site's and the admin
site's alike, counts wrong passwords and refuses a locked username whatever password is given."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from locus.accounts.throttle import (
    sign_in_client_failed,
    sign_in_client_locked_until,
    sign_in_failed,
    sign_in_locked_until,
    sign_in_succeeded,
)


class ThrottledModelBackend(ModelBackend):
    """A locked username, or a client address with too many wrong passwords, is refused before
    the password is checked; a wrong password is counted for both.
    Either way PermissionDenied, so no later backend checks the same password again (Django's
    ``authenticate`` then returns None, as for any failed sign-in)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        if sign_in_locked_until(username=username) is not None:
            raise PermissionDenied("This username is locked for a while after too many wrong "
                                   "passwords")
        if sign_in_client_locked_until(request=request) is not None:
            raise PermissionDenied("Too many wrong passwords from this client address")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            sign_in_failed(username=username)
            sign_in_client_failed(request=request)
            raise PermissionDenied("Wrong username or password")
        sign_in_succeeded(username=username)
        return user
