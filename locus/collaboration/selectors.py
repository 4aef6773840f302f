"""Reads for collaboration: plain functions shared by the views, the API and the CLI."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear

from locus.collaboration.models import (
    Dataset,
    FundingDecision,
    MatchReview,
    NetworkLink,
    Organisation,
    OrganisationAlias,
    OrgType,
    Participation,
    Project,
)
from locus.collaboration.simulation import Portfolio, Provenance
from locus.collaboration.sources import no_dates_reason
from locus.errors import CollaborationError
from locus.geography.models import Area

SEARCH_LIMIT = 50


def dataset_list() -> list[Dataset]:
    return list(Dataset.objects.annotate(n_projects=Count("projects")).order_by("kind", "title"))


def participant_datasets() -> list[Dataset]:
    return list(Dataset.objects.filter(participant_level=True).order_by("title"))


def network_datasets() -> list[Dataset]:
    """Datasets with links between organisations: published networks and participant-level data."""
    return list(Dataset.objects.filter(Q(links__isnull=False) | Q(participant_level=True))
                .distinct().order_by("kind", "title"))


def organisation_search(*, query: str = "", org_type: str | None = None,
                        limit: int = SEARCH_LIMIT) -> list[Organisation]:
    return list(organisation_matches(query=query, org_type=org_type)[:limit])


def organisation_matches(*, query: str = "", org_type: str | None = None):
    """Organisations matching a name (or alias) and type, most projects first (a query set)."""
    orgs = Organisation.objects.select_related("lad")
    if org_type:
        if org_type not in OrgType.values:
            raise CollaborationError(f"Unknown organisation type {org_type!r}.")
        orgs = orgs.filter(org_type=org_type)
    text = query.strip()
    if text:
        orgs = orgs.filter(Q(name__icontains=text) | Q(aliases__name__icontains=text)).distinct()
    return orgs.annotate(n=Count("participations")).order_by("-n", "name", "pk")


def organisation_datasets(*, organisation_ids: list[int]) -> dict[int, list[Dataset]]:
    """For each organisation, the loaded datasets that name it (its registry row comes from them),
    in the order they were loaded: one query for a page of search results."""
    out: dict[int, list[Dataset]] = defaultdict(list)
    for alias in (OrganisationAlias.objects.filter(organisation_id__in=organisation_ids)
                  .select_related("dataset").order_by("dataset__pk")):
        if alias.dataset not in out[alias.organisation_id]:
            out[alias.organisation_id].append(alias.dataset)
    return out


def organisation_get(*, organisation_id: int) -> Organisation:
    try:
        return Organisation.objects.select_related("lad", "itl3", "combined_authority").get(
            pk=organisation_id)
    except Organisation.DoesNotExist:
        raise CollaborationError(f"No organisation has the id {organisation_id}.") from None


@dataclass(frozen=True)
class Partner:
    organisation: Organisation
    projects: int
    network_weight: int
    sources: str


@dataclass(frozen=True)
class OrganisationProfile:
    organisation: Organisation
    projects: list[Project]
    project_count: int
    lead_count: int
    partners: list[Partner]
    decisions: list[dict]
    datasets: list[Dataset]
    aliases: list[str]
    # (dataset title, why) for the listed projects whose source gives no year
    undated: list[tuple[str, str]]


def _partners(org: Organisation, limit: int = 30) -> list[Partner]:
    counts: dict[int, list] = defaultdict(lambda: [0, 0, set()])
    projects = Participation.objects.filter(organisation=org).values("project")
    for row in (Participation.objects.filter(project__in=projects).exclude(organisation=org)
                .values("organisation").annotate(n=Count("project"))):
        counts[row["organisation"]][0] += row["n"]
        counts[row["organisation"]][2].add("Loaded projects")
    for link in NetworkLink.objects.filter(Q(source=org) | Q(target=org)).select_related("dataset"):
        other = link.target_id if link.source_id == org.pk else link.source_id
        counts[other][1] += link.weight
        counts[other][2].add(link.dataset.title)
    orgs = Organisation.objects.in_bulk(list(counts))
    ranked = sorted(counts.items(), key=lambda kv: (-(kv[1][0] + kv[1][1]), orgs[kv[0]].name))
    return [Partner(orgs[k], v[0], v[1], "; ".join(sorted(v[2]))) for k, v in ranked[:limit]]


@dataclass(frozen=True)
class Topics:
    labels: list[str]
    source: str          # where the labels come from, with its vintage


def organisation_topics(org: Organisation) -> Topics | None:
    """The organisation's topic labels in words ("design & heritage", not "design_&_heritage") and
    their source: the network dataset that gave them, else Gateway to Research's research topics."""
    if not org.topics.strip():
        return None
    labels = [t.strip().replace("_", " ") for t in org.topics.split(",") if t.strip()]
    node = org.nodes.exclude(topics="").select_related("dataset").order_by("dataset__title").first()
    source = (f"{node.dataset.title}, {node.dataset.vintage}" if node else
              "Gateway to Research research topics and subjects of its fetched projects")
    return Topics(labels=labels, source=source)


def organisation_profile(*, organisation: Organisation) -> OrganisationProfile:
    parts = Participation.objects.filter(organisation=organisation)
    # A participant-level source (Innovate UK's workbook) gives each participant's grant, not the
    # project's: its award is their sum. Missing years and awards sort last on every database.
    grants = (Participation.objects.filter(project=OuterRef("pk")).values("project")
              .annotate(total=Sum("grant")).values("total"))
    # A source's own year, else its start date's (a GtR fetch, an Innovate UK row without
    # "Competition Year"); the bundled AHRC export has neither, and the page says why.
    projects = list(Project.objects.filter(pk__in=parts.values("project"))
                    .annotate(award_shown=Coalesce("award", Subquery(grants)),
                              year_shown=Coalesce("year", ExtractYear("start_date")))
                    .select_related("dataset")
                    .order_by(F("year_shown").desc(nulls_last=True),
                              F("award_shown").desc(nulls_last=True), "pk")[:25])
    decisions = list(FundingDecision.objects.filter(organisation=organisation)
                     .values("council").annotate(applications=Sum("applications"),
                                                 awards=Sum("awards"),
                                                 awarded=Sum("awarded_thousands"))
                     .order_by("-awarded"))
    for d in decisions:
        d["rate"] = d["awards"] / d["applications"] if d["applications"] else None
    datasets = list(Dataset.objects.filter(aliases__organisation=organisation).distinct())
    return OrganisationProfile(
        organisation=organisation, projects=projects, project_count=parts.count(),
        lead_count=parts.filter(is_lead=True).count(), partners=_partners(organisation),
        decisions=decisions, datasets=datasets,
        aliases=sorted(set(organisation.aliases.values_list("name", flat=True)) -
                       {organisation.name}),
        undated=sorted({(p.dataset.title, no_dates_reason(p.dataset.key)) for p in projects
                        if p.year_shown is None}))


def portfolio_provenance(*, dataset_keys: list[str] | None = None) -> Provenance:
    """Source, vintage and licence of the participant-level datasets a simulation reads (the
    same selection as ``portfolio_get``), for every row of its CSV."""
    datasets = [d for d in participant_datasets() if not dataset_keys or d.key in dataset_keys]

    def joined(values: list[str]) -> str:
        return "; ".join(dict.fromkeys(v for v in values if v)) or "not known"

    return Provenance(
        source=joined([f"{d.title}, {d.publisher}" + (f", {d.url}" if d.url else "")
                       for d in datasets]),
        vintage=joined([d.vintage for d in datasets]), licence=joined([d.licence for d in datasets]))


def portfolio_get(*, dataset_keys: list[str] | None = None, funder: str | None = None,
                  year_from: int | None = None, year_to: int | None = None) -> Portfolio:
    """Every participant of the participant-level datasets (optionally filtered)."""
    rows = Participation.objects.filter(project__dataset__participant_level=True)
    if dataset_keys:
        rows = rows.filter(project__dataset__key__in=dataset_keys)
    if funder:
        rows = rows.filter(project__funder=funder)
    if year_from:
        rows = rows.filter(project__year__gte=year_from)
    if year_to:
        rows = rows.filter(project__year__lte=year_to)
    values = list(rows.values_list(
        "project_id", "project__funder", "project__year", "organisation__org_type",
        "organisation__size", "organisation__country", "is_lead", "eligible_costs", "grant",
        "organisation__lad_id", "organisation__itl3_id", "organisation__combined_authority_id"))
    columns = list(zip(*values, strict=True)) if values else [()] * 12
    codes = {c for col in columns[9:12] for c in col if c}
    names = dict(Area.objects.filter(code__in=codes).values_list("code", "name"))
    return Portfolio(project=columns[0], funder=columns[1], year=columns[2],
                     org_type=columns[3], size=columns[4], country=columns[5], is_lead=columns[6],
                     costs=columns[7], grant=columns[8],
                     lad=[c or "" for c in columns[9]], itl3=[c or "" for c in columns[10]],
                     ca=[c or "" for c in columns[11]], area_names=names)


def portfolio_coverage(*, dataset_keys: list[str] | None = None) -> list[dict]:
    """What the participant-level data hold, by funder: its first and last year and its projects,
    so that "No projects match those filters" can say which filters would."""
    from django.db.models import Count, Max, Min

    projects = Project.objects.filter(dataset__participant_level=True)
    if dataset_keys:
        projects = projects.filter(dataset__key__in=dataset_keys)
    return list(projects.values("funder").annotate(first=Min("year"), last=Max("year"),
                                                   projects=Count("id")).order_by("funder"))


def portfolio_funders() -> list[str]:
    return sorted(set(Project.objects.filter(dataset__participant_level=True)
                      .values_list("funder", flat=True)))


def review_queue() -> QuerySet[MatchReview]:
    return MatchReview.objects.select_related("candidate", "existing", "dataset")
