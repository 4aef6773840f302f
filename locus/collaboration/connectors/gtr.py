"""UKRI Gateway to Research API 2 (https://gtr.ukri.org/gtr/api/), JSON version 7.

- ``Accept: application/vnd.rcuk.gtr.json-v7`` (plain application/json returns the oldest version);
- paging with ``p`` (from 1) and ``s`` (10-100); bodies carry page, size, totalPages, totalSize;
- polite: at least ``delay`` seconds between requests (no published limit: "follow web etiquette");
- retries 429, 5xx, network errors and undecodable JSON with exponential back-off, honouring
  ``Retry-After``;
- every response is cached on disk under its URL and written atomically (temporary file then
  rename), so an interrupted fetch resumes from the cache and never leaves a half-written file;
- link URLs are normalised to (resource, id) whatever host or port GtR wrote.

The HTTP layer is injectable (``transport``) so tests run offline on fixture responses.
No Django here.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from locus.errors import ConnectorError

BASE_URL = "https://gtr.ukri.org/gtr/api/"
ACCEPT = "application/vnd.rcuk.gtr.json-v7"
USER_AGENT = "Locus (open-source local innovation platform; polite crawler)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_HREF = re.compile(r"/gtr/api/(?P<resource>[a-z]+)/(?P<id>[^/?#]+)/?(?:[?#].*)?$", re.IGNORECASE)


class GtrApiError(ConnectorError):
    """Gateway to Research could not be read (after retries), or answered something unexpected."""


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


Transport = Callable[[str, dict[str, str]], Response]


def urllib_transport(url: str, headers: dict[str, str], timeout: float = 60.0) -> Response:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:  # noqa: S310 (https only)
            return Response(reply.status, dict(reply.headers), reply.read())
    except urllib.error.HTTPError as exc:
        return Response(exc.code, dict(exc.headers or {}), exc.read() or b"")


def link_target(href: str) -> tuple[str, str]:
    """'http://gtr.rcuk.ac.uk:80/gtr/api/organisations/ABC' -> ('organisations', 'ABC').

    Hosts vary (gtr.ukri.org:443, gtr.rcuk.ac.uk:80, internal load-balancer names); only the
    resource and the last path segment identify the target.
    """
    path = urllib.parse.urlsplit(href.strip()).path
    match = _HREF.search(path)
    if not match:
        raise GtrApiError(f"not a Gateway to Research link: {href!r}")
    return match.group("resource").lower(), match.group("id").upper()


class DiskCache:
    """One file per URL; writes go to a temporary file that is renamed into place."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    def _path(self, url: str) -> Path:
        return self.directory / f"{hashlib.sha256(url.encode()).hexdigest()[:32]}.json"

    def get(self, url: str) -> dict | None:
        path = self._path(url)
        try:
            return json.loads(path.read_bytes())
        except FileNotFoundError:
            return None
        except (json.JSONDecodeError, UnicodeDecodeError):
            path.unlink(missing_ok=True)  # damaged outside Locus: fetch again
            return None

    def put(self, url: str, data: dict) -> None:
        handle, tmp = tempfile.mkstemp(dir=self.directory, prefix=".partial-", suffix=".json")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(json.dumps(data).encode())
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self._path(url))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def __len__(self) -> int:
        return sum(1 for p in self.directory.glob("*.json") if not p.name.startswith(".partial-"))


class GtrClient:
    def __init__(self, *, transport: Transport = urllib_transport, cache: DiskCache | None = None,
                 base_url: str = BASE_URL, delay: float = 0.5, max_retries: int = 5,
                 backoff: float = 2.0, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.transport, self.cache, self.base_url = transport, cache, base_url
        self.delay, self.max_retries, self.backoff = delay, max_retries, backoff
        self.sleep, self.clock = sleep, clock
        self._last: float | None = None
        self.requests = 0
        self.cache_hits = 0

    def url(self, path: str, params: dict | None = None) -> str:
        query = urllib.parse.urlencode(sorted((params or {}).items()), doseq=True)
        return self.base_url + path.lstrip("/") + (f"?{query}" if query else "")

    def _wait_turn(self) -> None:
        if self._last is not None:
            gap = self.delay - (self.clock() - self._last)
            if gap > 0:
                self.sleep(gap)
        self._last = self.clock()

    def get_json(self, path: str, params: dict | None = None) -> dict:
        url = self.url(path, params)
        if self.cache is not None and (cached := self.cache.get(url)) is not None:
            self.cache_hits += 1
            return cached
        data = self._fetch(url)
        if self.cache is not None:
            self.cache.put(url, data)
        return data

    def _fetch(self, url: str) -> dict:
        headers = {"Accept": ACCEPT, "User-Agent": USER_AGENT}
        problem = ""
        for attempt in range(self.max_retries + 1):
            self._wait_turn()
            self.requests += 1
            try:
                reply = self.transport(url, headers)
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
                problem, wait = f"network error: {exc}", self.backoff ** attempt
            else:
                if reply.status == 200:
                    try:
                        return json.loads(reply.body)
                    except (json.JSONDecodeError, UnicodeDecodeError):
                        problem, wait = "the reply was not JSON", self.backoff ** attempt
                elif reply.status in RETRY_STATUSES:
                    problem = f"HTTP {reply.status}"
                    wait = _retry_after(reply.headers) or self.backoff ** attempt
                else:
                    raise GtrApiError(f"{url}: HTTP {reply.status} (not retried)")
            if attempt < self.max_retries:
                self.sleep(wait)
        raise GtrApiError(f"{url}: gave up after {self.max_retries + 1} attempts ({problem})")

    def project_pages(self, *, funder: str | None = None, page_size: int = 100,
                      max_pages: int | None = None) -> Iterator[dict]:
        """Pages of projects, newest start date first (sf=pro.sd, so=D)."""
        params = {"s": max(10, min(page_size, 100)), "sf": "pro.sd", "so": "D"}
        if funder:
            params |= {"q": funder, "f": "pro.lf"}
        page, total = 1, None
        while total is None or page <= total:
            body = self.get_json("projects", params | {"p": page})
            total = int(body.get("totalPages") or 0)
            yield body
            if max_pages is not None and page >= max_pages:
                return
            page += 1

    def entity(self, resource: str, entity_id: str) -> dict:
        return self.get_json(f"{resource}/{entity_id}")


def _retry_after(headers: dict[str, str]) -> float | None:
    value = {k.lower(): v for k, v in headers.items()}.get("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None
