"""Content-Security-Policy: the browser runs only the site's own scripts.

Every page's scripts are files served by Locus (GOV.UK Frontend, MapLibre and the site's own),
except the one line GOV.UK Frontend's page template writes inline to mark the page as having
JavaScript; that line carries a nonce made afresh for each response (``cspNonce`` in the template's
context). So an injected ``<script>`` or ``onclick=`` would not run even if escaping ever failed.

- ``style-src 'unsafe-inline'``: the charts and the map legend set ``style`` attributes (colours,
  widths); styles cannot run code, and a nonce cannot cover attributes.
- ``worker-src blob:`` and ``img-src data: blob:``: MapLibre draws the boundary maps in a web worker
  it starts from a blob and decodes images into blobs; nothing is fetched from another site (the
  maps use Locus's own boundary files, no tile server).
- The API's Swagger page (django-ninja's template) keeps its own scripts and styles from Locus's
  static files, so the same policy applies to it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


def policy(nonce: str) -> str:
    """The policy sent with a response whose inline script (if any) carries ``nonce``."""
    return "; ".join((
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "child-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))


class ContentSecurityPolicy:
    """Make a nonce for each request (``request.csp_nonce``) and send the policy with every response
    that does not set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if HEADER not in response:
            response[HEADER] = policy(request.csp_nonce)
        return response


def csp_context(request: HttpRequest) -> dict:
    """Template context: the nonce GOV.UK Frontend's page template puts on its inline script."""
    return {"cspNonce": getattr(request, "csp_nonce", "")}
