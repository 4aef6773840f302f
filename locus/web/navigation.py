"""Main navigation: Places, the four capabilities that are installed, Data sources, your account
and sign in/out."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpRequest
from django.urls import Resolver404, resolve, reverse

from locus.web.capabilities import CAPABILITIES


def _exists(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def capability_available(path: str) -> bool:
    return _exists(path)


def nav_items(request: HttpRequest) -> list[dict]:
    items = [{"href": reverse("geography:search"), "text": "Places"}]
    items += [{"href": c.path, "text": c.title} for c in CAPABILITIES if _exists(c.path)]
    items.append({"href": reverse("web:data_sources"), "text": "Data sources"})
    for item in items:
        item["active"] = request.path.startswith(item["href"])
    user = getattr(request, "user", None)  # absent on a 400 raised before the auth middleware (bad Host)
    if user is not None and user.is_authenticated:
        account = reverse("accounts:account")
        items.append({"href": account, "text": "Your account", "active": request.path in (
            account, reverse("accounts:password_change")) or request.path.startswith(
            reverse("accounts:api_tokens"))})
        items.append({"href": reverse("accounts:logout_confirm"), "text": "Sign out"})
    else:
        items.append({"href": f"{reverse('accounts:login')}?next={quote(request.path)}",
                      "text": "Sign in"})
    return items
