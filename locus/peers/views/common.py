"""Shared view helpers: permission checks that render a GOV.UK page, and form errors."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from locus.errors import PeersError
from locus.peers import permissions as perms
from locus.peers.models import Meeting, PeerGroup, Programme


class Denied(Exception):
    """Raised inside a view when the user may not see or do this."""


def deny(request: HttpRequest, message: str = "") -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=reverse("accounts:login"))
    return page(request, "peers/forbidden.html",
                  {"message": message or "You do not have permission to see this page."},
                  status=403)


def guarded(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Denied as exc:
            return deny(request, str(exc))
    return wrapper


def need(ok: bool, message: str = "") -> None:
    if not ok:
        raise Denied(message)


def managed_programme(request: HttpRequest, slug: str) -> Programme:
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None:
        raise Http404("There is no programme at this address.")
    need(perms.programme_can_manage(user=request.user, programme=programme),
         "Only the programme's managers can see this page.")
    return programme


def group_or_404(pk: int) -> PeerGroup:
    group = PeerGroup.objects.select_related("programme", "facilitator__user").filter(pk=pk).first()
    if group is None:
        raise Http404("There is no group at this address.")
    return group


def meeting_or_404(pk: int) -> Meeting:
    meeting = (Meeting.objects.select_related("group__programme", "group__facilitator__user", "venue",
                                              "theme").filter(pk=pk).first())
    if meeting is None:
        raise Http404("There is no meeting at this address.")
    return meeting


def field_error(form, exc: PeersError) -> None:
    """Attach a service error to the form field it concerns (or the whole form, for a
    PeersError that names no field); a PeersFieldErrors attaches each of its errors."""
    for error in getattr(exc, "errors", None) or [exc]:
        field = getattr(error, "field", None)
        field = field if field in form.fields else None
        form.add_error(field, str(error))


def base_url(request: HttpRequest) -> str:
    """The site address for links in emails: LOCUS_SITE_URL (not the request's host, which
    behind a proxy may be an internal name)."""
    return settings.LOCUS_SITE_URL


def page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    """Render a page with the user's one-off messages (GOV.UK notification banners)."""
    from django.contrib.messages import get_messages

    from locus.peers.scheduling import LONDON

    if not context.get("programme"):  # the DEMO banner needs the programme whatever the page shows
        context = {**context, "programme": _programme_of(context)}
    return render(request, template, {**context, "messages": get_messages(request),
                                      "london": LONDON}, status=status)


def _programme_of(context: dict):
    """The programme behind a page's meeting, group, firm or contact, if any."""
    for key, path in (("meeting", ("group", "programme")), ("group", ("programme",)),
                      ("firm", ("programme",)), ("contact", ("firm", "programme"))):
        obj = context.get(key)
        for attr in path:
            obj = getattr(obj, attr, None) if obj is not None else None
        if obj is not None:
            return obj
    return None
