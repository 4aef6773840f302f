"""Write a Gateway to Research fetch into the registry: one dataset per query, replaced on re-run."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from locus.collaboration.classify import org_type_guess
from locus.collaboration.connectors.gtr_records import FetchResult, GtrOrganisation
from locus.collaboration.models import Dataset, Participation, Project
from locus.collaboration.registry import OrgRecord, Places, RegistryWriter
from locus.collaboration.rules.model import country_names


def _country(name: str) -> str:
    text = (name or "").strip().lower()
    if text in {"united kingdom", "uk", "great britain", "england", "wales", "scotland",
                "northern ireland"}:
        return "GB"
    return next((code for code, label in country_names().items() if label.lower() == text), "")


def _record(org: GtrOrganisation, fallback_name: str) -> OrgRecord:
    name = org.name or fallback_name or org.id
    kind, basis = org_type_guess(name)
    return OrgRecord(name=name, gtr_id=org.id, org_type="" if kind == "unknown" else kind,
                     type_basis=basis, type_strength="name" if kind != "unknown" else "",
                     postcode=org.postcode, region_name=org.region, country=_country(org.country))


def gtr_import(*, result: FetchResult, funder: str | None, since: dt.date | None) -> dict:
    key = f"gtr-api:{(funder or 'all').lower()}:{since.isoformat() if since else 'all'}"
    places = Places()
    names = {pid: part.name for p in result.projects.values()
             for pid, part in p.participants.items() if part.name}
    records = {oid: _record(org, names.get(oid, "")) for oid, org in result.organisations.items()}
    Places.geocode(records.values())
    years = sorted({p.start.year for p in result.projects.values() if p.start})
    with transaction.atomic():
        Dataset.objects.filter(key=key).delete()
        dataset = Dataset.objects.create(
            key=key, title=f"Gateway to Research: {funder or 'all funders'}"
                           f"{f' since {since:%d %B %Y}' if since else ''}",
            covers=f"{len(result.projects):,} projects fetched from the GtR API with their lead, "
                   "participant and partner organisations (and, for Innovate UK projects, costs "
                   "and grant per participant).",
            kind="fetched", publisher="UK Research and Innovation", url="https://gtr.ukri.org/",
            licence="Open Government Licence v3.0",
            attribution="UK Research and Innovation, Gateway to Research",
            vintage=f"{years[0]}-{years[-1]}" if years else "unknown", participant_level=True)
        writer = RegistryWriter(dataset, places)
        orgs = {oid: writer.organisation(record) for oid, record in records.items()}
        Project.objects.bulk_create([Project(
            dataset=dataset, reference=p.reference[:100], title=p.title[:500], abstract=p.abstract,
            funder=p.lead_funder[:100], category=p.category[:200], status=p.status[:50],
            year=p.start.year if p.start else None, start_date=p.start, end_date=p.end,
            award=p.award, url=f"https://gtr.ukri.org/projects?ref={p.reference}")
            for p in result.projects.values()], batch_size=1000, ignore_conflicts=True)
        saved = {p.reference: p for p in Project.objects.filter(dataset=dataset)}
        parts = {}
        for p in result.projects.values():
            for oid, part in p.participants.items():
                if oid in orgs:
                    parts[(saved[p.reference[:100]].pk, orgs[oid].pk)] = Participation(
                        project=saved[p.reference[:100]], organisation=orgs[oid],
                        is_lead=part.is_lead, source_role=part.source_role,
                        eligible_costs=part.cost, grant=part.grant)
        Participation.objects.bulk_create(parts.values(), batch_size=1000)
        summary = {"projects": len(saved), "participations": len(parts),
                   "organisations": len(orgs), "matches": dict(writer.counts)}
        dataset.summary = summary
        dataset.save(update_fields=["summary"])
    return summary | {"dataset": key}
