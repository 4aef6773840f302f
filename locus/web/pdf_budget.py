"""How many new PDFs one client may have made (WeasyPrint: 1-12 s of a web worker each), so that nobody can
keep the workers busy by asking for pack after pack of places no one has downloaded yet. A PDF already made
(the file cache, ADR 27) costs nothing and is never counted; the printable HTML of every pack stays free.

A signed-in user is counted by account, anyone else by network address (``client_address``: behind
LOCUS_TRUSTED_PROXIES, the address the outermost proxy saw). The budgets suit an analyst downloading the packs
of every Combined Authority in one sitting (15) several times an hour.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from locus.accounts.throttle import attempt_allowed, client_address, retry_after

WINDOW = timedelta(hours=1)
ANONYMOUS_PER_HOUR = 30
SIGNED_IN_PER_HOUR = 120


class RenderRefused(Exception):
    """A new PDF would go over the client's budget; ``until`` is when the window ends."""

    def __init__(self, until: datetime):
        super().__init__(f"too many new PDFs until {until:%H:%M}")
        self.until = until


@dataclass(frozen=True)
class PdfBudget:
    scope: str
    value: str
    limit: int

    def admit(self) -> None:
        """Count one new PDF, or raise RenderRefused: called just before rendering, never for a cached file."""
        until = attempt_allowed(scope=self.scope, value=self.value, limit=self.limit, window=WINDOW)
        if until is not None:
            raise RenderRefused(until)


def pdf_budget(request: HttpRequest, *, kind: str) -> PdfBudget:
    """The budget this request draws on for new PDFs of ``kind`` (one budget for all packs of that kind)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return PdfBudget(scope=f"pdf-{kind}-user", value=str(user.pk), limit=SIGNED_IN_PER_HOUR)
    return PdfBudget(scope=f"pdf-{kind}-client", value=client_address(request), limit=ANONYMOUS_PER_HOUR)


def pdf_refused_page(request: HttpRequest, exc: RenderRefused, *, what: str, online_url: str) -> HttpResponse:
    """429 with a page that says why, when to try again, and where the same pack can be read now."""
    when = timezone.localtime(exc.until)
    response = render(request, "web/pdf_refused.html", {"what": what, "online_url": online_url,
                                                        "when": when.strftime("%H:%M")}, status=429)
    response["Retry-After"] = retry_after(exc.until)
    return response


def with_admit(make: Callable[[], bytes], budget: PdfBudget | None) -> Callable[[], bytes]:
    """``make``, counted against ``budget`` first (None: not counted, as for the command line)."""
    if budget is None:
        return make

    def counted() -> bytes:
        budget.admit()
        return make()
    return counted
