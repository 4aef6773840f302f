"""Collaboration endpoints: rule sets, the consortium checker, the mandate simulator, organisations,
network metrics per place and partner recommendations. Bad input -> 400 naming the field."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator, StrictInt, WithJsonSchema

from locus.collaboration import selectors
from locus.collaboration.models import OrgType
from locus.collaboration.network_data import network_for_dataset
from locus.collaboration.partner_sources import (
    EVIDENCE_USE,
    METHODOLOGY_URL,
    POSTCODE_PLACE,
    evidence_sources,
    partner_method,
    postcode_source,
    query_sources,
)
from locus.collaboration.partners import TYPE_CHOICES, partner_evidence, partners_find
from locus.collaboration.rules.engine import consortium_check, participants_validate
from locus.collaboration.rules.model import FieldErrors, rule_set_get, rule_set_list
from locus.collaboration.simulation import simulate
from locus.errors import CollaborationError
from locus.networks.metrics import place_metrics
from locus.networks.recommend import NEED_LABELS

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


@router.get("/collaboration/rule-sets", response=list[RuleSetOut], summary="Collaboration rule sets")
def rule_sets(request: HttpRequest):
    """Every rule set, with version, sources (and quotes), parameters and checks."""
    return [_rule_set_out(rs) for rs in rule_set_list()]


# the bundled rule sets' ids, listed in the OpenAPI document (H29 ST202); another id is still a 404
RuleSetPath = Annotated[str, WithJsonSchema({"type": "string", "enum": [rs.id for rs in rule_set_list()]})]


@router.get("/collaboration/rule-sets/{rule_set_id}", response={200: RuleSetOut, 400: FieldErrorsOut, 404: FieldErrorsOut},
            summary="One rule set")
def rule_set_detail(request: HttpRequest, rule_set_id: RuleSetPath):
    """One rule set by its id (as in ``GET /collaboration/rule-sets``); an unknown id is a 404."""
    try:
        return Status(200, _rule_set_out(rule_set_get(rule_set_id=rule_set_id)))
    except FieldErrors as exc:
        return Status(404, {"detail": str(exc)})


def _not_a_boolean(value):
    if isinstance(value, bool):  # pydantic reads true as 1.0
        raise ValueError("give an amount in pounds, not true or false")
    return value


def _true_or_false(value):
    if not isinstance(value, bool):  # pydantic reads "yes", "on", "1" and 1 as true
        raise ValueError(f"give true or false, not {value!r}")
    return value


# documented forms the engine checks itself (a 400 naming the field): a name is not blank, money not
# negative (and not a JSON true or false)
NameIn = Annotated[str, WithJsonSchema({"type": "string", "pattern": r"\S"})]
MoneyIn = Annotated[float, BeforeValidator(_not_a_boolean), WithJsonSchema({"type": "number", "minimum": 0})]
# a yes/no answer is JSON true or false, nothing else ("yes" and 1 were read as true)
FlagIn = Annotated[bool, BeforeValidator(_true_or_false), WithJsonSchema({"type": "boolean"})]


class ParticipantIn(Schema):
    name: NameIn
    role: Literal["lead", "partner"]
    organisation_type: Literal["business", "research", "rto", "public", "charity"]
    size: Literal["micro", "small", "medium", "large"] | None = None
    country: str = "GB"
    eligible_costs: MoneyIn
    tier: Literal["vehicle_manufacturer", "tier1"] | None = None
    publishes: FlagIn = False
    claims_funding: FlagIn = True
    grant_requested: MoneyIn | None = None
    controlled_by: str | None = None


# the ids of the bundled rule sets, listed in the OpenAPI document; the views check the value themselves
# and answer a 400 naming rule_set and listing them
RuleSetId = Annotated[str, WithJsonSchema({"type": "string", "enum": [rs.id for rs in rule_set_list()]})]


class CheckIn(Schema):
    rule_set: RuleSetId
    participants: list[ParticipantIn] = Field(json_schema_extra={"minItems": 1})  # the lead at least
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


@router.post("/collaboration/check", response={200: CheckOut, 400: FieldErrorsOut}, summary="Check a consortium")
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
    rule_set: RuleSetId
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


def _empty_portfolio(payload: SimulateIn, loaded: list[str]) -> str:
    """Why no participant is left: nothing loaded, or the filters leave none out of what is."""
    if not selectors.portfolio_get(dataset_keys=payload.datasets or None).project:
        return HOW_TO_LOAD
    given = [f"{name} {value!r}" for name, value in (("funder", payload.funder), ("year_from", payload.year_from),
                                                      ("year_to", payload.year_to)) if value]
    funders = ", ".join(selectors.portfolio_funders())
    return (f"No participant of the loaded data ({', '.join(payload.datasets or loaded)}) matches "
            f"{' and '.join(given)}. Funders in the data: {funders}.")


@router.post("/collaboration/simulate", response={200: SimulateOut, 400: FieldErrorsOut, 422: FieldErrorsOut},
             summary="Simulate a mandate over real grants")
def simulate_portfolio(request: HttpRequest, payload: SimulateIn):
    """Apply a rule set to the loaded participant-level portfolio (the mandate simulator), with the
    portfolio's source, vintage and licence. An unknown rule set or dataset, or a parameter out of
    range, is a 400 naming the field; a 422 says no participant-level data is loaded (or none matches
    the filters) and how to load some."""
    try:
        rule_set_get(rule_set_id=payload.rule_set)
        loaded = [d.key for d in selectors.participant_datasets()]
        if unknown := [k for k in payload.datasets if k not in loaded]:
            raise FieldErrors([("datasets", f"no participant-level dataset has the key {unknown[0]!r}; "
                                            f"use one of {', '.join(loaded) or 'none (none is loaded)'}")])
        portfolio = selectors.portfolio_get(dataset_keys=payload.datasets or None,
                                            funder=payload.funder, year_from=payload.year_from,
                                            year_to=payload.year_to)
        if not len(portfolio):
            return Status(422, {"detail": _empty_portfolio(payload, loaded)})
        result = simulate(portfolio, rule_set_id=payload.rule_set, parameters=payload.parameters)
    except FieldErrors as exc:
        return _bad(exc)
    provenance = selectors.portfolio_provenance(dataset_keys=payload.datasets or None)
    return Status(200, result.__dict__ | provenance.__dict__ | {
        "project_share": result.project_share, "money_share": result.money_share,
        "breakdowns": {b.dimension: b.rows for b in result.breakdowns}})


class RegistrySourceOut(Schema):
    dataset: str
    source: str
    publisher: str
    vintage: str
    licence: str


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
    sources: list[RegistrySourceOut] = Field(
        default_factory=list, description="The loaded datasets that name the organisation, where its "
        "row comes from, each with its title (`source`), publisher, vintage and licence; the postcode "
        "table last when a postcode placed it (`place_basis`)")


def _org_out(o, datasets: list | None = None) -> dict:
    sources = [{"dataset": d.key, "source": d.title, "publisher": d.publisher, "vintage": d.vintage,
                "licence": d.licence} for d in (datasets or [])]
    if o.place_basis == POSTCODE_PLACE:
        p = postcode_source()
        sources.append({"dataset": p.dataset, "source": p.source, "publisher": p.publisher,
                        "vintage": p.vintage, "licence": p.licence})
    return {"id": o.pk, "name": o.name, "org_type": o.org_type, "type_basis": o.type_basis,
            "size": o.size, "gtr_id": o.gtr_id, "ukprn": o.ukprn,
            "company_number": o.company_number, "postcode": o.postcode, "lad": o.lad_id,
            "itl3": o.itl3_id, "combined_authority": o.combined_authority_id,
            "place_basis": o.place_basis, "sources": sources}


OrgTypeParam = Annotated[str | None, WithJsonSchema({"type": "string", "enum": list(OrgType.values)})]


@router.get("/collaboration/organisations", response={200: list[OrganisationOut], 400: FieldErrorsOut},
            summary="Search the organisation registry")
def organisations(request: HttpRequest, q: str = "", org_type: OrgTypeParam = None,
                  limit: int = Query(selectors.SEARCH_LIMIT, ge=1, le=500)):
    """Organisations in the registry whose name (or a known alias) contains ``q``, of one ``org_type``
    if given, most projects first, at most ``limit`` (1-500, 50 when left out). An unknown or blank
    ``org_type``, or a ``limit`` outside 1-500, is a 400 naming the parameter."""
    try:
        if org_type == "":  # blank is not "any type": leave the parameter out for that
            raise CollaborationError("A blank value is not an organisation type.")
        found = selectors.organisation_search(query=q, org_type=org_type, limit=limit)
        named = selectors.organisation_datasets(organisation_ids=[o.pk for o in found])
        return Status(200, [_org_out(o, named.get(o.pk)) for o in found])
    except CollaborationError as exc:  # the only refusal: an unknown org_type
        message = f"{exc} Use one of {', '.join(OrgType.values)}."
        return Status(400, {"detail": f"org_type: {message}", "errors": [{"field": "org_type", "message": message}]})


class NetworkProvenanceOut(Schema):
    dataset: str
    source: str
    publisher: str
    vintage: str
    licence: str
    method: str


EvidencePart = Literal[tuple(EVIDENCE_USE)]  # collaborations, topics, project titles, place, type


class PartnerSourceOut(NetworkProvenanceOut):
    """One source of the partner finder's evidence about an organisation: a loaded dataset (or the
    postcode table) with its title (`source`), publisher, vintage and licence, the parts of the
    evidence it gave and how they enter the score (`method`). A type guessed from the name has no
    source: the organisation's `type_basis` says so."""
    evidence: list[EvidencePart] = Field(
        description="What this source gave: collaborations (links), topics, project titles, place, "
                    "type")


class PartnerFinderOut(Schema):
    available: bool = Field(description="Whether partners can be suggested for it (and it to others)")
    collaborations: int = Field(description="Links recorded for it in the loaded networks and "
                                            "projects; 0: suggestions rest on topics, place and type")
    basis: list[str] = Field(description="The evidence the finder can use: collaborations, topics, "
                                         "project titles, place, type")
    message: str = Field(description="The same in words; when not available, why and what would "
                                     "make suggestions possible")
    sources: list[PartnerSourceOut] = Field(
        default_factory=list, description="Where what the finder knows about it comes from: each "
                                          "dataset with its title, publisher, vintage and licence, "
                                          "and the parts of the evidence it gave")


class OrganisationDetailOut(OrganisationOut):
    partner_finder: PartnerFinderOut


@router.get("/collaboration/organisations/{organisation_id}",
            response={200: OrganisationDetailOut, 400: FieldErrorsOut, 404: FieldErrorsOut},
            summary="One organisation")
def organisation(request: HttpRequest, organisation_id: int):
    """One organisation of the registry by its id, with what the partner finder can go on for it
    (``partner_finder``); an id that is not a whole number is a 400, an unknown id a 404."""
    try:
        org = selectors.organisation_get(organisation_id=organisation_id)
    except CollaborationError as exc:
        return Status(404, {"detail": str(exc)})
    named = selectors.organisation_datasets(organisation_ids=[org.pk])
    return Status(200, _org_out(org, named.get(org.pk)) | {"partner_finder": partner_evidence(org).__dict__ | {
        "sources": [s.__dict__ for s in evidence_sources([org])[org.pk]]}})


NETWORK_METHOD = ("Links join organisations that share a project or that the published network links; a "
                  "place's links have at least one end among its organisations; betweenness and Louvain "
                  "communities (igraph) over the whole network; see docs/methodology/collaboration.md, "
                  "section 4")


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
    provenance: NetworkProvenanceOut


@router.get("/collaboration/network/places",
            response={200: list[PlaceMetricsOut], 400: FieldErrorsOut},
            summary="Collaboration network metrics per place")
def network_places(request: HttpRequest, dataset: str = "wales-network-2017",
                   level: Literal["lad", "itl3", "ca"] = "lad"):
    """Link mix, centrality and communities for each place, from one dataset's network, each row with
    the dataset's source, vintage and licence. A ``dataset`` that is not a network dataset's key, or
    a ``level`` outside lad, itl3, ca, is a 400 naming the parameter (a query value, not a path: no
    404)."""
    try:
        source, network = network_for_dataset(dataset_key=dataset)
    except CollaborationError as exc:  # not a network dataset's key: the message lists those
        return Status(400, {"detail": f"dataset: {exc}", "errors": [{"field": "dataset", "message": str(exc)}]})
    provenance = {"dataset": source.key, "source": source.title, "publisher": source.publisher,
                  "vintage": source.vintage, "licence": source.licence, "method": NETWORK_METHOD}
    return Status(200, [p.__dict__ | {"local_share": p.local_share,
                               "university_business_share": p.university_business_share,
                               "large_sme_share": p.large_sme_share, "provenance": provenance}
                 for p in place_metrics(network, level=level)])


class PartnersIn(Schema):
    # strict: a JSON true/false is not an id (partner_ids [false] was read as 0 and ignored)
    organisation_id: StrictInt | None = None
    description: str = ""
    postcode: str = ""
    needs: list[Annotated[str, WithJsonSchema({"type": "string", "enum": list(NEED_LABELS)})]] = []
    partner_ids: list[StrictInt] = []
    types: list[Annotated[str, WithJsonSchema({"type": "string", "enum": list(TYPE_CHOICES)})]] = []
    # strict: a JSON true/false is not a number of suggestions (false was read as 0, then raised to 1)
    k: int = Field(10, ge=1, le=50, strict=True, description="How many suggestions, 1-50")


class SuggestionOut(Schema):
    organisation: OrganisationOut
    score: float
    components: dict[str, float]
    reasons: list[str]
    collaborations: int = Field(0, description="Links recorded for the suggested organisation in the "
                                               "loaded data")
    evidence: Literal["collaborations", "no_recorded_collaborations"] = Field(
        "collaborations", description="no_recorded_collaborations: no link supports this suggestion; "
                                      "it rests on topics, place and type alone (the first reason "
                                      "says so), and ranks below a linked organisation as close in "
                                      "those")
    match: Literal["strong", "weak"] = Field(
        "strong", description="weak: no partner in common with the organisation asked about (or its "
                              "consortium) and a topic similarity below 0.2, a word or two in common "
                              "at most; weak matches come after the others")
    sources: list[PartnerSourceOut] = Field(
        default_factory=list, description="Where the evidence about the suggested organisation comes "
                                          "from: each dataset with its title, publisher, vintage and "
                                          "licence, the parts it gave and how they enter the score")


class PartnersOut(Schema):
    suggestions: list[SuggestionOut]
    seconds: float
    no_topic_match: bool = Field(False, description="A description was given but no suggestion shares a "
                                                     "topic word with it: the ranking rests on place and links.")
    organisation_without_collaborations: bool = Field(
        False, description="The organisation asked about has no recorded collaborations: no suggestion "
                           "rests on shared partners, only on its topics, place and type.")
    method: str = Field("", description="How each score is worked out from its components, with "
                                        "the weights")
    methodology: str = Field("", description="Address of the methodology section on partner "
                                             "recommendations")
    query_sources: list[PartnerSourceOut] = Field(
        default_factory=list, description="Where the evidence about the organisation asked about comes "
                                          "from, and the postcode table when a postcode was given; "
                                          "empty for a description alone (your own words)")


@router.post("/collaboration/partners", response={200: PartnersOut, 400: FieldErrorsOut},
             summary="Recommend partners")
def partners(request: HttpRequest, payload: PartnersIn):
    """Ranked partner candidates with reasons: topic similarity, proximity, what the consortium
    lacks (``needs``: sme, research_or_rto, ...) and network distance. Give ``organisation_id`` or
    ``description``; without either, an unknown postcode or a ``k`` outside 1-50 is a 400 naming the
    field, and so is an organisation the loaded data say nothing comparable about (the message says
    why and what would make suggestions possible). A suggested organisation with no recorded
    collaborations has ``evidence`` ``no_recorded_collaborations``; an organisation asked about with
    none gives ``organisation_without_collaborations``."""
    try:
        found = partners_find(organisation_id=payload.organisation_id,
                              description=payload.description, postcode=payload.postcode,
                              needs=payload.needs, partner_ids=payload.partner_ids,
                              types=payload.types, k=payload.k)
    except FieldErrors as exc:
        return _bad(exc)
    asked = [found.query_organisation] if found.query_organisation else []
    sources = evidence_sources([*asked, *(s.organisation for s in found.suggestions)])
    asked_sources = query_sources(sources[asked[0].pk] if asked else [],
                                  postcode_given=bool(found.place_name))
    return Status(200, {
        "seconds": found.seconds, "no_topic_match": found.no_topic_match,
        "organisation_without_collaborations": found.organisation_without_collaborations,
        "method": partner_method(), "methodology": METHODOLOGY_URL,
        "query_sources": [q.__dict__ for q in asked_sources],
        "suggestions": [
            {"organisation": _org_out(s.organisation), "score": s.score, "components": s.components,
             "reasons": s.reasons, "collaborations": s.links, "evidence": s.evidence,
             "match": s.match,
             "sources": [x.__dict__ for x in sources[s.organisation.pk]]}
            for s in found.suggestions]})


class DatasetOut(Schema):
    key: str
    title: str
    covers: str
    kind: str
    publisher: str
    licence: str
    vintage: str
    participant_level: bool


@router.get("/collaboration/datasets", response=list[DatasetOut], summary="Loaded datasets")
def datasets(request: HttpRequest):
    """Loaded datasets, each with what it covers and its licence."""
    return selectors.dataset_list()
