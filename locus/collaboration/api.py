"""Collaboration endpoints: rule sets, the consortium checker, the mandate simulator, organisations,
network metrics per place and partner recommendations. Bad input -> 400 naming the field."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import WithJsonSchema

from locus.collaboration import selectors
from locus.collaboration.models import OrgType
from locus.collaboration.network_data import network_for_dataset
from locus.collaboration.partners import partners_find
from locus.collaboration.rules.engine import consortium_check, participants_validate
from locus.collaboration.rules.model import FieldErrors, rule_set_get, rule_set_list
from locus.collaboration.simulation import simulate
from locus.errors import CollaborationError
from locus.networks.metrics import place_metrics

router = Router(tags=["collaboration"])
HOW_TO_LOAD = ("No participant-level data is loaded. Import Innovate UK's funded-projects workbook "
               "('locus data import innovate-uk FILE.xlsx' or the Data page) or fetch "
               "from Gateway to Research ('locus data fetch gtr --funder \"Innovate UK\"').")


class FieldErrorOut(Schema):
    field: str
    message: str


class FieldErrorsOut(Schema):
    """A refusal: ``detail`` says what is wrong; ``errors`` names each field (``participants[1].name``)."""
    detail: str
    errors: list[FieldErrorOut] = []


def _bad(exc: FieldErrors) -> Status:
    return Status(400, {"detail": str(exc),
                        "errors": [{"field": f, "message": m} for f, m in exc.errors]})


class RuleSourceOut(Schema):
    title: str
    publisher: str
    url: str
    quote: str
    accessed: str


class ParameterOut(Schema):
    name: str
    kind: str
    default: Any
    label: str
    help: str
    options: dict[str, str] = {}


class RuleSetOut(Schema):
    id: str
    version: str
    title: str
    status: str
    summary: str
    sources: list[RuleSourceOut]
    parameters: list[ParameterOut]
    checks: list[dict[str, str]]
    notes: list[str]


def _rule_set_out(rs) -> dict:
    return {"id": rs.id, "version": rs.version, "title": rs.title, "status": rs.status,
            "summary": rs.summary, "sources": [s.__dict__ for s in rs.sources],
            "parameters": [p.__dict__ for p in rs.parameters.values()],
            "checks": [{"id": c.id, "label": c.label, "severity": c.severity} for c in rs.checks],
            "notes": rs.notes}


@router.get("/collaboration/rule-sets", response=list[RuleSetOut])
def rule_sets(request: HttpRequest):
    """Every rule set, with version, sources (and quotes), parameters and checks."""
    return [_rule_set_out(rs) for rs in rule_set_list()]


@router.get("/collaboration/rule-sets/{rule_set_id}", response={200: RuleSetOut, 404: FieldErrorsOut})
def rule_set_detail(request: HttpRequest, rule_set_id: str):
    try:
        return Status(200, _rule_set_out(rule_set_get(rule_set_id=rule_set_id)))
    except FieldErrors as exc:
        return Status(404, {"detail": str(exc)})


class ParticipantIn(Schema):
    name: str
    role: Literal["lead", "partner"]
    organisation_type: Literal["business", "research", "rto", "public", "charity"]
    size: Literal["micro", "small", "medium", "large"] | None = None
    country: str = "GB"
    eligible_costs: float
    tier: Literal["vehicle_manufacturer", "tier1"] | None = None
    publishes: bool = False
    claims_funding: bool = True
    grant_requested: float | None = None
    controlled_by: str | None = None


class CheckIn(Schema):
    rule_set: str
    participants: list[ParticipantIn]
    parameters: dict[str, Any] = {}


class CheckResultOut(Schema):
    id: str
    label: str
    severity: str
    passed: bool
    message: str


class CheckOut(Schema):
    rule_set: str
    version: str
    title: str
    passed: bool
    checks: list[CheckResultOut]
    parameters: dict[str, Any]
    needs: list[str]


@router.post("/collaboration/check", response={200: CheckOut, 400: FieldErrorsOut})
def check(request: HttpRequest, payload: CheckIn):
    """Check a consortium against a rule set: each check passes or fails, says why and what would
    fix it. Unknown rule set, negative costs, unknown country code or no lead -> 400 naming the
    field."""
    try:
        rule_set_get(rule_set_id=payload.rule_set)
        participants = participants_validate([p.dict() for p in payload.participants])
        report = consortium_check(rule_set_id=payload.rule_set, participants=participants,
                                  parameters=payload.parameters)
    except FieldErrors as exc:
        return _bad(exc)
    return Status(200, report.__dict__ | {"checks": [c.__dict__ for c in report.checks]})


class SimulateIn(Schema):
    rule_set: str
    parameters: dict[str, Any] = {}
    datasets: list[str] = []
    funder: str | None = None
    year_from: int | None = None
    year_to: int | None = None


class SimulateOut(Schema):
    rule_set: str
    version: str
    parameters: dict[str, Any]
    projects: int
    compliant_projects: int
    project_share: float | None
    money: float
    compliant_money: float
    money_share: float | None
    # money is the grant where the data give one, otherwise eligible costs: "grant", "eligible
    # costs", "grant where given, otherwise eligible costs" or "none given" (breakdown and reach
    # rows carry the same two keys)
    money_basis: str
    money_from_eligible_costs: float
    participants: int
    unknown_type_share: float
    unknown_size_share: float
    changes: list[dict[str, Any]]
    breakdowns: dict[str, list[dict[str, Any]]]
    reach: list[dict[str, Any]]
    source: str
    vintage: str
    licence: str


@router.post("/collaboration/simulate", response={200: SimulateOut, 400: FieldErrorsOut, 422: FieldErrorsOut})
def simulate_portfolio(request: HttpRequest, payload: SimulateIn):
    """Apply a rule set to the loaded participant-level portfolio (the mandate simulator)."""
    try:
        rule_set_get(rule_set_id=payload.rule_set)
        portfolio = selectors.portfolio_get(dataset_keys=payload.datasets or None,
                                            funder=payload.funder, year_from=payload.year_from,
                                            year_to=payload.year_to)
        if not len(portfolio):
            return Status(422, {"detail": HOW_TO_LOAD})
        result = simulate(portfolio, rule_set_id=payload.rule_set, parameters=payload.parameters)
    except FieldErrors as exc:
        return _bad(exc)
    provenance = selectors.portfolio_provenance(dataset_keys=payload.datasets or None)
    return Status(200, result.__dict__ | provenance.__dict__ | {
        "project_share": result.project_share, "money_share": result.money_share,
        "breakdowns": {b.dimension: b.rows for b in result.breakdowns}})


class OrganisationOut(Schema):
    id: int
    name: str
    org_type: str
    type_basis: str
    size: str
    gtr_id: str | None
    ukprn: str | None
    company_number: str | None
    postcode: str
    lad: str | None
    itl3: str | None
    combined_authority: str | None
    place_basis: str


def _org_out(o) -> dict:
    return {"id": o.pk, "name": o.name, "org_type": o.org_type, "type_basis": o.type_basis,
            "size": o.size, "gtr_id": o.gtr_id, "ukprn": o.ukprn,
            "company_number": o.company_number, "postcode": o.postcode, "lad": o.lad_id,
            "itl3": o.itl3_id, "combined_authority": o.combined_authority_id,
            "place_basis": o.place_basis}


OrgTypeParam = Annotated[str | None, WithJsonSchema({"type": "string", "enum": list(OrgType.values)})]


@router.get("/collaboration/organisations", response={200: list[OrganisationOut], 400: FieldErrorsOut})
def organisations(request: HttpRequest, q: str = "", org_type: OrgTypeParam = None):
    """Organisations in the registry whose name (or a known alias) contains ``q``, of one ``org_type``
    if given; an unknown ``org_type`` is a 400 naming it."""
    try:
        found = selectors.organisation_search(query=q, org_type=org_type)
        return Status(200, [_org_out(o) for o in found])
    except CollaborationError as exc:  # the only refusal: an unknown org_type
        message = f"{exc} Use one of {', '.join(OrgType.values)}."
        return Status(400, {"detail": f"org_type: {message}", "errors": [{"field": "org_type", "message": message}]})


@router.get("/collaboration/organisations/{organisation_id}",
            response={200: OrganisationOut, 400: FieldErrorsOut, 404: FieldErrorsOut})
def organisation(request: HttpRequest, organisation_id: int):
    try:
        return Status(200, _org_out(selectors.organisation_get(organisation_id=organisation_id)))
    except CollaborationError as exc:
        return Status(404, {"detail": str(exc)})


class PlaceMetricsOut(Schema):
    code: str
    level: str
    organisations: int
    links: int
    local_links: int
    external_links: int
    local_share: float | None
    university_business_links: int
    university_business_share: float | None
    large_sme_links: int
    sized_business_links: int
    large_sme_share: float | None
    mean_betweenness: float
    max_betweenness: float
    top_organisation: str
    communities: int


@router.get("/collaboration/network/places",
            response={200: list[PlaceMetricsOut], 400: FieldErrorsOut, 404: FieldErrorsOut})
def network_places(request: HttpRequest, dataset: str = "wales-network-2017",
                   level: Literal["lad", "itl3", "ca"] = "lad"):
    """Link mix, centrality and communities for each place, from one dataset's network."""
    try:
        _, network = network_for_dataset(dataset_key=dataset)
    except CollaborationError as exc:  # no dataset has that key
        return Status(404, {"detail": f"dataset: {exc}", "errors": [{"field": "dataset", "message": str(exc)}]})
    return Status(200, [p.__dict__ | {"local_share": p.local_share,
                               "university_business_share": p.university_business_share,
                               "large_sme_share": p.large_sme_share}
                 for p in place_metrics(network, level=level)])


class PartnersIn(Schema):
    organisation_id: int | None = None
    description: str = ""
    postcode: str = ""
    needs: list[str] = []
    partner_ids: list[int] = []
    types: list[str] = []
    k: int = 10


class SuggestionOut(Schema):
    organisation: OrganisationOut
    score: float
    components: dict[str, float]
    reasons: list[str]


class PartnersOut(Schema):
    suggestions: list[SuggestionOut]
    seconds: float
    no_topic_match: bool = Field(False, description="A description was given but no suggestion shares a "
                                                     "topic word with it: the ranking rests on place and links.")


@router.post("/collaboration/partners", response={200: PartnersOut, 400: FieldErrorsOut})
def partners(request: HttpRequest, payload: PartnersIn):
    """Ranked partner candidates with reasons: topic similarity, proximity, what the consortium
    lacks (``needs``: sme, research_or_rto, ...) and network distance."""
    try:
        found = partners_find(organisation_id=payload.organisation_id,
                              description=payload.description, postcode=payload.postcode,
                              needs=payload.needs, partner_ids=payload.partner_ids,
                              types=payload.types, k=max(1, min(payload.k, 50)))
    except FieldErrors as exc:
        return _bad(exc)
    return Status(200, {"seconds": found.seconds, "no_topic_match": found.no_topic_match, "suggestions": [
        {"organisation": _org_out(s.organisation), "score": s.score, "components": s.components,
         "reasons": s.reasons} for s in found.suggestions]})


class DatasetOut(Schema):
    key: str
    title: str
    covers: str
    kind: str
    publisher: str
    licence: str
    vintage: str
    participant_level: bool


@router.get("/collaboration/datasets", response=list[DatasetOut])
def datasets(request: HttpRequest):
    """Loaded datasets, each with what it covers and its licence."""
    return selectors.dataset_list()
