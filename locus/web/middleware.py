"""Responses Django leaves bare, given the site's words: 405 Method Not Allowed; and HEAD and
OPTIONS answered wherever GET is (django-ninja and Django's require_GET refused them with a 405)."""

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
        taken = [m.strip().upper() for m in allow.split(",") if m.strip()]
        if "GET" in taken:  # every address that answers GET answers HEAD and OPTIONS too (RFC 9110)
            if request.method == "HEAD":
                return self._head(request)
            if request.method == "OPTIONS":
                answer = HttpResponse(status=204)
                answer["Allow"] = _allow(taken)
                return answer
        methods = " or ".join(taken) or "another method"
        if request.path.startswith("/api/"):
            answer = JsonResponse({"detail": f"{request.method} is not allowed at this address: use {methods}."},
                                  status=405)
        else:
            answer = render(request, "web/problem.html", {
                "title": "Sorry, this page cannot do that",
                "paragraphs": ["The page was sent a request it does not take, so nothing was changed.",
                               "Go back, reload the page and try again."]}, status=405)
        if allow:
            answer["Allow"] = _allow(taken) if "GET" in taken else allow
        return answer

    def _head(self, request: HttpRequest) -> HttpResponse:
        """A HEAD where only GET is routed (django-ninja, Django's require_GET): the GET's answer
        (status and headers, Content-Length included) without its body."""
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        if getattr(response, "streaming", False):
            response.streaming_content = []
        else:
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return response


def _allow(taken: list[str]) -> str:
    """The Allow header of an address that takes GET: with HEAD and OPTIONS, which it also answers."""
    return ", ".join(dict.fromkeys([*taken, "HEAD", "OPTIONS"]))
