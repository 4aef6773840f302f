"""Views of the web shell. Thin: they parse input, call selectors and render."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import Resolver404, resolve

from locus.web.capabilities import CAPABILITIES
from locus.web.sources import data_sources_list


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"capabilities": CAPABILITIES})


def data_sources(request: HttpRequest) -> HttpResponse:
    return render(request, "web/data_sources.html", {"sources": data_sources_list()})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html", {})


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponsePermanentRedirect(static("locus/favicon.svg"))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _api_not_found(request.path)}, status=404)
    message = str(exception) if exception and "resolve" not in str(exception).lower() else ""
    return render(request, "web/404.html", {"message": message}, status=404)


def _api_not_found(path: str) -> str:
    """'Not found.', and when the address without its trailing slash exists, that address (the API's
    addresses end without one)."""
    if path.endswith("/") and path.rstrip("/") != "/api/v1":
        try:
            resolve(path.rstrip("/"))
        except Resolver404:
            pass
        else:
            return f"Not found. API addresses do not end with a slash: try {path.rstrip('/')}"
    return "Not found."


def _problem(request: HttpRequest, *, status: int, title: str, paragraphs: list[str], detail: str) -> HttpResponse:
    """A GOV.UK page (JSON ``{"detail": ...}`` under /api/) for a request Locus refuses."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail}, status=status)
    return render(request, "web/problem.html", {"title": title, "paragraphs": paragraphs}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request no page of Locus makes (a changed form or address): say so, without internals."""
    return _problem(request, status=400, title="Sorry, Locus cannot use that request",
                    paragraphs=["Something in the form or the web address was not what the page sent, so "
                                "nothing was changed.", "Go back, reload the page and try again."],
                    detail="Bad request.")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _problem(request, status=403, title="You cannot see this page",
                    paragraphs=["Your account does not give you access to this page. If you think it should, "
                                "ask whoever runs Locus for your organisation."],
                    detail="You do not have permission to do this.")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF check refused a form (it was open too long, was sent from another site, or the
    browser blocks cookies): explain how to send it again instead of Django's bare 403 page."""
    return _problem(request, status=403, title="Sorry, your form could not be sent",
                    paragraphs=["Locus could not confirm that the form came from this site, so nothing was "
                                "saved. This happens when a page has been open for a long time, after you "
                                "sign in or out in another tab, or when your browser blocks cookies from "
                                "this site.",
                                "Go back, reload the page, enter your answers again and send the form. "
                                "If it happens again, allow cookies for this site: Locus uses them only "
                                "to protect forms and to keep you signed in."],
                    detail="The form could not be verified (CSRF check failed): reload the page and send it again.")


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Something went wrong on our side."}, status=500)
    return render(request, "web/500.html", {}, status=500)
