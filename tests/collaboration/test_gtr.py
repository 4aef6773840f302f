"""The Gateway to Research client on format-faithful fixtures: paging, links, participant
values, retries with back-off, a polite delay, and an interrupted fetch that resumes."""

from __future__ import annotations

import datetime as dt
import json
import urllib.parse
from pathlib import Path

import pytest

from locus.collaboration.connectors.gtr import (
    ACCEPT,
    DiskCache,
    GtrApiError,
    GtrClient,
    Response,
    link_target,
)
from locus.collaboration.connectors.gtr_records import gtr_fetch

FIXTURES = Path(__file__).parent / "fixtures" / "gtr"
P1, P2, P3 = ("4DE350EC-21F2-4C45-9E8B-459A13C277E3", "7F2E1C00-1111-4A00-9000-00000000000A",
              "7F2E1C00-1111-4A00-9000-00000000000C")
CARDIFF = "9C10D78F-6430-4CA7-9528-B96B0762A4C6"


class FixtureTransport:
    """Serves the fixture files by URL; can fail on chosen calls to test retries and crashes."""

    def __init__(self, fail: dict[int, object] | None = None):
        self.calls: list[str] = []
        self.headers: list[dict] = []
        self.fail = fail or {}

    def __call__(self, url: str, headers: dict[str, str]) -> Response:
        self.calls.append(url)
        self.headers.append(headers)
        failure = self.fail.get(len(self.calls))
        if isinstance(failure, BaseException):
            raise failure
        if isinstance(failure, Response):
            return failure
        parts = urllib.parse.urlsplit(url)
        path = parts.path.split("/gtr/api/")[1]
        if path == "projects":
            page = urllib.parse.parse_qs(parts.query)["p"][0]
            file = FIXTURES / f"projects_p{page}.json"
        else:
            file = FIXTURES / f"{path}.json"
        if not file.exists():
            return Response(404, {}, b'{"error": "not found"}')
        return Response(200, {"Content-Type": ACCEPT}, file.read_bytes())


def client(transport, tmp_path=None, **kw):
    cache = DiskCache(tmp_path / "cache") if tmp_path else None
    return GtrClient(transport=transport, cache=cache, delay=0.0, sleep=lambda s: None, **kw)


@pytest.mark.parametrize("href,expected", [
    ("http://gtr.rcuk.ac.uk:80/gtr/api/organisations/2512ef1c-401b", ("organisations", "2512EF1C-401B")),
    ("https://gtr.ukri.org:443/gtr/api/projects/ABC/", ("projects", "ABC")),
    ("http://internal-gtr-tomcat-alb-1.eu-west-2.elb.amazonaws.com:8080/gtr/api/funds/F1?x=1",
     ("funds", "F1")),
])
def test_link_urls_are_normalised_whatever_the_host(href, expected):
    assert link_target(href) == expected


def test_fetch_reads_pages_participants_costs_and_funds():
    transport = FixtureTransport()
    result = gtr_fetch(client(transport), page_size=10)
    assert set(result.projects) == {P1, P2, P3}       # P3 is on both pages: kept once
    assert result.pages == 2
    iuk = result.projects[P1]
    assert iuk.reference == "104567" and iuk.lead_funder == "Innovate UK"
    assert iuk.award == 310869 and iuk.start == dt.date(2010, 11, 1)
    lead = next(p for p in iuk.participants.values() if p.is_lead)
    assert lead.cost == 700000 and lead.grant == 350000 and lead.source_role == "LEAD_ORG"
    assert iuk.participants[CARDIFF].cost == 200000
    epsrc = result.projects[P2]
    assert {p.source_role for p in epsrc.participants.values()} == {"LEAD_ORG", "COLLAB_ORG", "PP_ORG"}
    assert "Unclassified" not in epsrc.topics and "Artificial Intelligence" in epsrc.topics
    assert len(result.projects[P3].participants) == 1   # a COFUND_ORG is not a partner
    assert result.organisations[CARDIFF].postcode == "CF10 3AT"
    assert all(h["Accept"] == "application/vnd.rcuk.gtr.json-v7" for h in transport.headers)
    first = urllib.parse.parse_qs(urllib.parse.urlsplit(transport.calls[0]).query)
    assert first == {"p": ["1"], "s": ["10"], "sf": ["pro.sd"], "so": ["D"]}


def test_funder_and_since_filters():
    transport = FixtureTransport()
    result = gtr_fetch(client(transport), funder="EPSRC", since=dt.date(2015, 1, 1), page_size=10)
    assert set(result.projects) == {P2}
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(transport.calls[0]).query)
    assert query["q"] == ["EPSRC"] and query["f"] == ["pro.lf"]


def test_since_stops_paging_once_a_page_is_all_older():
    pages = {n: {"page": n, "size": 10, "totalPages": 50, "totalSize": 500, "project": [
        {"id": f"P{n}", "title": "t", "links": {"link": [{
            "href": "https://gtr.ukri.org:443/gtr/api/funds/X", "rel": "FUND",
            "start": int(dt.datetime(2024 - n, 1, 1).timestamp() * 1000), "end": None}]}}]}
        for n in range(1, 51)}

    def transport(url, headers):
        if "/funds/" in url:
            return Response(200, {}, json.dumps({"valuePounds": {"amount": 1}}).encode())
        page = int(urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["p"][0])
        return Response(200, {}, json.dumps(pages[page]).encode())

    result = gtr_fetch(client(transport), since=dt.date(2021, 6, 1))
    assert set(result.projects) == {"P1", "P2"} and result.pages == 3


def test_retries_with_backoff_and_retry_after_then_succeeds():
    waits = []
    transport = FixtureTransport(fail={1: Response(429, {"Retry-After": "7"}, b""),
                                       2: Response(503, {}, b""), 3: ConnectionResetError("reset"),
                                       4: Response(200, {}, b"<html>not json")})
    c = GtrClient(transport=transport, delay=0.0, sleep=waits.append, backoff=2.0)
    body = c.get_json("projects", {"p": 1, "s": 10})
    assert body["page"] == 1 and c.requests == 5
    assert waits == [7.0, 2.0, 4.0, 8.0]


def test_gives_up_after_max_retries_and_does_not_retry_a_404():
    transport = FixtureTransport(fail={i: Response(500, {}, b"") for i in range(1, 10)})
    with pytest.raises(GtrApiError, match="gave up after 3 attempts"):
        GtrClient(transport=transport, delay=0, sleep=lambda s: None, max_retries=2).get_json("x")
    with pytest.raises(GtrApiError, match="HTTP 404"):
        client(FixtureTransport()).entity("organisations", "NOPE")


def test_polite_delay_between_requests():
    clock, waits = [0.0], []
    c = GtrClient(transport=FixtureTransport(), delay=0.5, sleep=waits.append,
                  clock=lambda: clock[0])
    c.get_json("projects", {"p": 1})
    clock[0] += 0.1
    c.get_json("projects", {"p": 2})
    assert waits == [pytest.approx(0.4)]


def test_an_interrupted_fetch_resumes_from_the_cache_without_duplicates(tmp_path):
    crashing = FixtureTransport(fail={6: KeyboardInterrupt()})
    with pytest.raises(KeyboardInterrupt):
        gtr_fetch(client(crashing, tmp_path), page_size=10)
    cached = len(DiskCache(tmp_path / "cache"))
    assert cached == 5 and not list((tmp_path / "cache").glob(".partial-*"))
    (tmp_path / "cache" / ".partial-left-by-a-crash.json").write_text('{"half')
    resumed = FixtureTransport()
    result = gtr_fetch(client(resumed, tmp_path), page_size=10)
    assert len(resumed.calls) == 10 - cached  # 10 distinct URLs; only those not fetched yet
    assert set(result.projects) == {P1, P2, P3}
    again = FixtureTransport()
    gtr_fetch(client(again, tmp_path), page_size=10)
    assert again.calls == []                          # everything from the cache now


def test_a_damaged_cache_file_is_fetched_again(tmp_path):
    c = client(FixtureTransport(), tmp_path)
    c.get_json("projects", {"p": 1})
    for path in (tmp_path / "cache").glob("*.json"):
        path.write_text("{truncated")
    fresh = FixtureTransport()
    assert client(fresh, tmp_path).get_json("projects", {"p": 1})["page"] == 1
    assert len(fresh.calls) == 1


@pytest.mark.django_db
def test_a_fetch_imports_into_the_registry_and_a_rerun_replaces_it(tmp_path):
    from locus.collaboration.gtr_import import gtr_import
    from locus.collaboration.models import Organisation, Participation, Project

    result = gtr_fetch(client(FixtureTransport(), tmp_path), page_size=10)
    summary = gtr_import(result=result, funder=None, since=None)
    again = gtr_import(result=gtr_fetch(client(FixtureTransport(), tmp_path), page_size=10),
                       funder=None, since=None)
    assert summary["dataset"] == again["dataset"]
    assert Project.objects.filter(dataset__key=summary["dataset"]).count() == 3
    cardiff = Organisation.objects.get(gtr_id=CARDIFF)
    assert cardiff.ukprn == "10007814"    # joined to the HE provider by GtR id
    tata = Organisation.objects.get(name="Tata Coatings Ltd")
    assert tata.org_type == "business" and tata.lad.code == "E08000003"
    lead = Participation.objects.get(project__reference="104567", is_lead=True)
    assert lead.organisation == tata and lead.eligible_costs == 700000
