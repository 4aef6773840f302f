"""Sign-in for the JSON API: a personal API token (``Authorization: Bearer lcs_…``) or the site's
session cookie. Routers that need a signed-in user take ``auth=SIGNED_IN``.

The token is tried first: a request that sends one is judged by it alone (a bad token is a 401
saying why, never a fall-back to a session), and needs no CSRF token, since no cookie is involved
and another site cannot make a browser send an Authorization header. A request without one goes
on to the session, whose POSTs need the CSRF token as before; a request with neither is a 401
saying what to send. An Authorization header of another
scheme (a proxy's Basic sign-in, say) is left alone for the session to decide.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from locus.accounts.api_tokens import TOKENS_PAGE, ApiTokenError, api_token_authenticate


class BearerRejected(HttpError):
    """A 401 for a token that cannot be used; the API answers it with a WWW-Authenticate
    header (RFC 6750)."""

    def __init__(self, message: str) -> None:
        super().__init__(401, message)


class ApiTokenAuth(HttpBearer):
    openapi_bearerFormat = "lcs_ followed by 43 characters"
    openapi_description = (f"A personal API token, created at {TOKENS_PAGE} and shown once. It "
                           "acts as its owner, with the owner's role and permissions. No CSRF "
                           "token is needed.")

    def __call__(self, request: HttpRequest):
        # never logged: ninja's own HttpBearer logs an unexpected header in DEBUG
        scheme, _, token = request.headers.get(self.header, "").strip().partition(" ")
        if scheme.lower() != self.openapi_scheme:
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str):
        try:
            row = api_token_authenticate(token=token)
        except ApiTokenError as exc:
            raise BearerRejected(str(exc)) from None
        request.user = row.user
        request.api_token = row
        return row.user


class SessionCookieAuth(SessionAuth):
    """ninja's session sign-in (``django_auth``), with the CSRF check made only for a request
    that is signed in: ninja's checks it first, so a script that sent no credentials at all was
    told "CSRF check failed" (403) instead of how to sign in (401)."""

    def __call__(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


api_token_auth = ApiTokenAuth()
session_auth = SessionCookieAuth()
SIGNED_IN = [api_token_auth, session_auth]
