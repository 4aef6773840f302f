"""Responses Django leaves bare, given the site's words: 405 Method Not Allowed."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


class MethodNotAllowedPages:
    """A 405 (a method the address does not take: PUT to the API, a POST to a page that only
    shows) says which methods the address takes, as JSON under /api/ and as a GOV.UK page
    elsewhere; Django and django-ninja answer with an empty body or the bare words."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or getattr(response, "streaming", False):
            return response
        allow = response.get("Allow", "")
        methods = " or ".join(m.strip() for m in allow.split(",") if m.strip()) or "another method"
        if request.path.startswith("/api/"):
            answer = JsonResponse({"detail": f"{request.method} is not allowed at this address: use {methods}."},
                                  status=405)
        else:
            answer = render(request, "web/problem.html", {
                "title": "Sorry, this page cannot do that",
                "paragraphs": ["The page was sent a request it does not take, so nothing was changed.",
                               "Go back, reload the page and try again."]}, status=405)
        if allow:
            answer["Allow"] = allow
        return answer
