"""Writes for collaboration: imports (all or nothing) and review decisions."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from locus.collaboration.classify import enterprise_size_parse, org_type_guess
from locus.collaboration.connectors.innovate_uk import ParticipantRow, workbook_read
from locus.collaboration.models import (
    Dataset,
    FundingDecision,
    MatchDecision,
    MatchReview,
    NetworkLink,
    NetworkNode,
    Organisation,
    OrganisationAlias,
    Participation,
    Project,
)
from locus.collaboration.registry import OrgRecord, Places, RegistryWriter
from locus.collaboration.resolution import name_normalise
from locus.errors import CollaborationError

IUK_LICENCE = "Open Government Licence v3.0"
IUK_URL = "https://www.ukri.org/publications/innovate-uk-funded-projects-since-2004/"


def _iuk_org(row: ParticipantRow, places: Places) -> OrgRecord:
    kind, size = enterprise_size_parse(row.enterprise_size)
    basis = f"Innovate UK Enterprise Size '{row.enterprise_size}'" if kind else ""
    strength = "source" if kind else ""
    if not kind:
        kind, basis = org_type_guess(row.participant)
        kind, strength = ("", "") if kind == "unknown" else (kind, "name")
    return OrgRecord(
        name=row.participant, company_number=row.company_number or None, org_type=kind,
        type_basis=basis, type_strength=strength, size=size,
        size_basis=basis if size else "", postcode=row.postcode,
        lad_code=None if row.postcode else places.lad_code_for_name(row.local_authority),
        region_name=row.region,
        place_basis="" if row.postcode else "Innovate UK 'Address Local Authority'")


def _place_fallback(records: list[OrgRecord], rows: list[ParticipantRow], places: Places) -> None:
    """Where a postcode is unknown to the geocoder, use the workbook's local authority name."""
    for record, row in zip(records, rows, strict=True):
        if not record.lad_code:
            record.lad_code = places.lad_code_for_name(row.local_authority)
            if record.lad_code:
                record.place_basis = "Innovate UK 'Address Local Authority'"


def innovate_uk_import(*, path: Path, display_name: str | None = None) -> dict:
    """Import the workbook as one participant-level dataset; re-importing a file replaces it."""
    rows = workbook_read(path)                       # every row checked before any write
    digest = _content_digest(rows)
    active = [r for r in rows if not r.withdrawn]
    places = Places()
    records = [_iuk_org(r, places) for r in active]
    Places.geocode(records)
    _place_fallback(records, active, places)
    name = display_name or Path(path).name
    vintage = _vintage(active)
    with transaction.atomic():
        Dataset.objects.filter(key=f"innovate-uk:{digest[:16]}").delete()
        # the file's name is the importer's (it can be private: "board-draft-grants.xlsx") and
        # the title is shown publicly (Places pages, the simulator), so the title names what the
        # data are, and the file's name is kept in the summary for analysts
        dataset = Dataset.objects.create(
            key=f"innovate-uk:{digest[:16]}",
            title=f"Innovate UK funded projects {vintage} (imported copy {digest[:6]})",
            covers="Participant-level Innovate UK grants from an imported copy of Innovate UK's "
                   "funded-projects workbook: "
                   f"{len(active):,} participations, with lead flag, Companies House number, "
                   "enterprise size, award and total costs, postcode and local authority.",
            kind="imported", publisher="Innovate UK (UK Research and Innovation)", url=IUK_URL,
            licence=IUK_LICENCE, attribution="Innovate UK", checksum=digest,
            vintage=vintage, participant_level=True)
        summary = _write_projects(dataset, active, records, places)
        summary["replaced_from_earlier_imports"] = _drop_overlaps(dataset)
        summary |= {"rows": len(rows), "withdrawn_skipped": len(rows) - len(active),
                    "file": Path(name).name}
        dataset.summary = summary
        dataset.save(update_fields=["summary"])
    return summary | {"dataset": dataset.key}


def _content_digest(rows: list[ParticipantRow]) -> str:
    """Same rows, same dataset: a re-saved or re-downloaded copy of a workbook replaces itself."""
    digest = hashlib.sha256()
    for r in rows:
        digest.update(repr((r.project_number, r.participant, r.is_lead, r.company_number,
                            r.award, r.total_costs, r.enterprise_size, r.postcode, r.year,
                            r.withdrawn)).encode())
    return digest.hexdigest()


def _drop_overlaps(dataset: Dataset) -> int:
    """A newer release repeats earlier projects: keep each project number once, from the newest
    import, so the simulator never counts a project twice."""
    refs = Project.objects.filter(dataset=dataset).values("reference")
    older = Project.objects.filter(dataset__key__startswith="innovate-uk:",
                                   reference__in=refs).exclude(dataset=dataset)
    count = older.count()
    older.delete()
    Dataset.objects.filter(key__startswith="innovate-uk:", projects__isnull=True).exclude(
        pk=dataset.pk).delete()
    return count


def _vintage(rows: list[ParticipantRow]) -> str:
    years = sorted({r.year for r in rows if r.year})
    return f"{years[0]}-{years[-1]}" if years else "unknown"


def _write_projects(dataset: Dataset, rows: list[ParticipantRow], records: list[OrgRecord],
                    places: Places) -> dict:
    writer = RegistryWriter(dataset, places)
    projects: dict[str, Project] = {}
    shares: dict[tuple[str, int], list] = defaultdict(lambda: [False, None, None, ""])
    for row, record in zip(rows, records, strict=True):
        org = writer.organisation(record)
        if row.project_number not in projects:
            projects[row.project_number] = Project(
                dataset=dataset, reference=row.project_number, title=row.project_title[:500],
                abstract=row.description, funder="Innovate UK", category=row.product_type[:200],
                competition=row.competition[:300], status=row.status[:50], year=row.year,
                start_date=row.start, end_date=row.end)
        item = shares[(row.project_number, org.pk)]
        item[0] = item[0] or row.is_lead
        item[1] = _add(item[1], row.total_costs)
        item[2] = _add(item[2], row.award)
        item[3] = "Is Lead Participant: Yes" if item[0] else "Is Lead Participant: No"
    Project.objects.bulk_create(projects.values(), batch_size=1000)
    saved = {p.reference: p for p in Project.objects.filter(dataset=dataset)}
    Participation.objects.bulk_create([
        Participation(project=saved[ref], organisation_id=org_id, is_lead=lead,
                      eligible_costs=costs, grant=award, source_role=role)
        for (ref, org_id), (lead, costs, award, role) in shares.items()], batch_size=1000)
    return {"projects": len(projects), "participations": len(shares),
            "matches": dict(writer.counts)}


def _add(total: float | None, value: float | None) -> float | None:
    return value if total is None else total + (value or 0.0)


def _merge_participations(candidate: Organisation, existing: Organisation) -> None:
    for part in Participation.objects.filter(organisation=candidate):
        twin = Participation.objects.filter(project=part.project_id, organisation=existing).first()
        if twin is None:
            part.organisation = existing
            part.save(update_fields=["organisation"])
            continue
        twin.is_lead = twin.is_lead or part.is_lead
        twin.eligible_costs = _add(twin.eligible_costs, part.eligible_costs)
        twin.grant = _add(twin.grant, part.grant)
        twin.save()
        part.delete()


def _merge_links(candidate: Organisation, existing: Organisation) -> None:
    for link in NetworkLink.objects.filter(Q(source=candidate) | Q(target=candidate)):
        other = link.target_id if link.source_id == candidate.pk else link.source_id
        link.delete()
        if other == existing.pk:
            continue
        a, b = min(other, existing.pk), max(other, existing.pk)
        twin, created = NetworkLink.objects.get_or_create(
            dataset_id=link.dataset_id, source_id=a, target_id=b, defaults={"weight": link.weight})
        if not created:
            twin.weight += link.weight
            twin.save(update_fields=["weight"])


@transaction.atomic
def review_decide(*, review_id: int, same: bool, user=None) -> MatchDecision:
    """Record an analyst's decision; 'same' merges the candidate into the existing organisation."""
    try:
        review = MatchReview.objects.select_related("candidate", "existing").get(pk=review_id)
    except MatchReview.DoesNotExist:
        raise CollaborationError(f"No review item has the id {review_id}; "
                                 "someone may have decided it already.") from None
    a, b = sorted([name_normalise(review.candidate_name), name_normalise(review.existing_name)])
    decision, _ = MatchDecision.objects.update_or_create(
        name_a=a, name_b=b, defaults={"same": same, "decided_by": user})
    candidate, existing = review.candidate, review.existing
    review.delete()
    if same:
        _merge_participations(candidate, existing)
        _merge_links(candidate, existing)
        NetworkNode.objects.filter(organisation=candidate).update(organisation=existing)
        FundingDecision.objects.filter(organisation=candidate).update(organisation=existing)
        for alias in OrganisationAlias.objects.filter(organisation=candidate):
            if not OrganisationAlias.objects.filter(organisation=existing, dataset=alias.dataset,
                                                    normalised_name=alias.normalised_name).exists():
                OrganisationAlias.objects.create(organisation=existing, dataset=alias.dataset,
                                                 name=alias.name, method="review",
                                                 normalised_name=alias.normalised_name)
        MatchReview.objects.filter(Q(candidate=candidate) | Q(existing=candidate)).delete()
        candidate.delete()
    return decision
