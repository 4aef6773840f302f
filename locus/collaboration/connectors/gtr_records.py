"""Turn Gateway to Research v7 JSON into project, participant and organisation records.

Participants come from two places in a project: ``links.link`` (rel LEAD_ORG, PARTICIPANT_ORG,
COLLAB_ORG, PP_ORG, FELLOW_ORG; COFUND_ORG and STUDENT_PP_ORG are not consortium members) and,
mainly for Innovate UK projects, ``participantValues.participant`` with ``projectCost`` and
``grantOffer`` per organisation (role LEAD_PARTICIPANT or PARTICIPANT). The FUND link gives the
project's dates (epoch milliseconds) and the fund record its value in pounds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from locus.collaboration.connectors.gtr import GtrApiError, GtrClient, link_target

MEMBER_RELS = {"LEAD_ORG": True, "PARTICIPANT_ORG": False, "COLLAB_ORG": False,
               "PP_ORG": False, "FELLOW_ORG": False}


@dataclass
class GtrParticipant:
    organisation_id: str
    is_lead: bool
    source_role: str
    cost: float | None = None
    grant: float | None = None
    name: str = ""


@dataclass
class GtrProject:
    id: str
    reference: str
    title: str
    abstract: str
    status: str
    category: str
    lead_funder: str
    topics: str
    start: dt.date | None
    end: dt.date | None
    award: float | None
    participants: dict[str, GtrParticipant] = field(default_factory=dict)


@dataclass(frozen=True)
class GtrOrganisation:
    id: str
    name: str
    postcode: str
    region: str
    country: str


def _date(epoch_ms) -> dt.date | None:
    if epoch_ms in (None, ""):
        return None
    return dt.datetime.fromtimestamp(int(epoch_ms) / 1000, tz=dt.UTC).date()


def _links(raw: dict) -> list[dict]:
    links = (raw.get("links") or {}).get("link") or []
    return [links] if isinstance(links, dict) else list(links)


def _listed(container: dict | None, key: str) -> list[dict]:
    items = (container or {}).get(key) or []
    return [items] if isinstance(items, dict) else list(items)


def _reference(raw: dict) -> str:
    for ident in _listed(raw.get("identifiers"), "identifier"):
        if ident.get("type") == "RCUK" and ident.get("value"):
            return str(ident["value"]).split(":")[0]
    return raw["id"]


def _money(value) -> float | None:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def project_record(raw: dict) -> GtrProject:
    """One project from a page of ``projects`` (dates and value are filled from its fund)."""
    if not raw.get("id") or "title" not in raw:
        raise GtrApiError(f"project without id or title: {str(raw)[:120]}")
    topics = [t.get("text", "") for t in _listed(raw.get("researchTopics"), "researchTopic")]
    topics += [s.get("text", "") for s in _listed(raw.get("researchSubjects"), "researchSubject")]
    fund = next((link for link in _links(raw) if link.get("rel") == "FUND"), None)
    project = GtrProject(
        id=str(raw["id"]).upper(), reference=_reference(raw), title=raw.get("title") or "",
        abstract=raw.get("abstractText") or "", status=raw.get("status") or "",
        category=raw.get("grantCategory") or "", lead_funder=raw.get("leadFunder") or "",
        topics=", ".join(t for t in topics if t and t != "Unclassified"),
        start=_date(fund.get("start")) if fund else None,
        end=_date(fund.get("end")) if fund else None, award=None)
    for link in _links(raw):
        rel = link.get("rel", "")
        if rel in MEMBER_RELS:
            _, org_id = link_target(link["href"])
            known = project.participants.get(org_id)
            if known is None or (MEMBER_RELS[rel] and not known.is_lead):
                project.participants[org_id] = GtrParticipant(org_id, MEMBER_RELS[rel], rel)
    for value in _listed(raw.get("participantValues"), "participant"):
        org_id = str(value.get("organisationId") or "").upper()
        if not org_id:
            continue
        part = project.participants.setdefault(org_id, GtrParticipant(
            org_id, False, value.get("role") or "PARTICIPANT"))
        part.is_lead = part.is_lead or value.get("role") == "LEAD_PARTICIPANT"
        part.cost, part.grant = _money(value.get("projectCost")), _money(value.get("grantOffer"))
        part.name = value.get("organisationName") or part.name
    return project


def organisation_record(raw: dict) -> GtrOrganisation:
    addresses = _listed(raw.get("addresses"), "address")
    main = next((a for a in addresses if a.get("type") == "MAIN_ADDRESS"), addresses[0]
                if addresses else {})
    return GtrOrganisation(id=str(raw["id"]).upper(), name=raw.get("name") or "",
                           postcode=main.get("postCode") or "", region=main.get("region") or "",
                           country=main.get("country") or "")


def fund_value(raw: dict) -> tuple[float | None, dt.date | None, dt.date | None]:
    value = raw.get("valuePounds") or {}
    amount = value.get("amount") if isinstance(value, dict) else value
    return _money(amount), _date(raw.get("start")), _date(raw.get("end"))


@dataclass
class FetchResult:
    projects: dict[str, GtrProject]
    organisations: dict[str, GtrOrganisation]
    pages: int
    requests: int
    cache_hits: int


def gtr_fetch(client: GtrClient, *, funder: str | None = None, since: dt.date | None = None,
              max_pages: int | None = None, page_size: int = 100) -> FetchResult:
    """Projects (newest first) down to ``since``, with their organisations and fund values.

    Projects are keyed by GtR id, so a project seen twice (pages shift while crawling, or a
    resumed run) is kept once.
    """
    projects: dict[str, GtrProject] = {}
    pages = 0
    for page in client.project_pages(funder=funder, page_size=page_size, max_pages=max_pages):
        pages += 1
        batch = [project_record(raw) for raw in _listed(page, "project")]
        for project in batch:
            _fill_fund(client, project, next((r for r in _listed(page, "project")
                                              if str(r["id"]).upper() == project.id), {}))
            if since is None or project.start is None or project.start >= since:
                projects[project.id] = project
        if since is not None and batch and all(p.start and p.start < since for p in batch):
            break
    organisations = {org_id: organisation_record(client.entity("organisations", org_id))
                     for org_id in sorted({o for p in projects.values() for o in p.participants})}
    return FetchResult(projects, organisations, pages, client.requests, client.cache_hits)


def _fill_fund(client: GtrClient, project: GtrProject, raw: dict) -> None:
    for link in _links(raw):
        if link.get("rel") == "FUND":
            _, fund_id = link_target(link["href"])
            amount, start, end = fund_value(client.entity("funds", fund_id))
            project.award = amount
            project.start, project.end = project.start or start, project.end or end
            return


def funders_of(projects: Iterable[GtrProject]) -> list[str]:
    return sorted({p.lead_funder for p in projects if p.lead_funder})
