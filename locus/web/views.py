"""Views of the web shell. Thin: they parse input, call selectors and render."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static

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
        return JsonResponse({"detail": "Not found."}, status=404)
    message = str(exception) if exception and "resolve" not in str(exception).lower() else ""
    return render(request, "web/404.html", {"message": message}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Something went wrong on our side."}, status=500)
    return render(request, "web/500.html", {}, status=500)
