"""Where the partner finder's evidence comes from: for each organisation, the loaded datasets that
gave it what the score compares (links, topics, project titles, place, type), each with its title,
publisher, vintage and licence, and how the score is worked out. Used by the API, so that every
suggestion names its sources."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from locus.collaboration.models import Dataset, NetworkNode, Organisation, OrganisationAlias
from locus.collaboration.network_data import recommender_index_sources
from locus.geography.sources import geo_source
from locus.networks.recommend import Weights

METHODOLOGY_URL = "/docs/methodology/collaboration.md#5-partner-recommendations"
# the order in which a source's parts are listed, and how each enters the score
EVIDENCE_USE = {
    "collaborations": "links: the network part (Adamic-Adar over shared partners) and the "
                      "popularity part",
    "topics": "topic labels: the topic part (TF-IDF cosine similarity)",
    "project titles": "project titles: the topic part (TF-IDF cosine similarity)",
    "place": "place: the proximity part (exp(-km / 50), or the same district)",
    "type": "type: the complement part (a kind the consortium lacks)",
}
# the place bases the loaders write (see registry.Places.geocode, bundled._load_wales and
# services._iuk_org)
NESTA_PLACE = "principal area given by Nesta"
POSTCODE_PLACE = "postcode (ONS postcode lookup)"
IUK_PLACE = "Innovate UK"
HE_TYPE = "UK higher education providers list"
IUK_TYPE = "Innovate UK Enterprise Size"
POSTCODES_KEY = "postcodes"   # the geography room's postcode table (geography.sources)


def partner_method(weights: Weights | None = None) -> str:
    """How a suggestion's score is worked out, with the weights the finder uses."""
    weights = weights or Weights()
    return (f"score = {weights.topic:.2f} x topic + {weights.network:.2f} x network + "
            f"{weights.proximity:.2f} x proximity + {weights.complement:.2f} x complement + "
            f"{weights.popularity:.2f} x popularity. topic: TF-IDF cosine similarity of topic labels "
            "and up to 40 project titles (with the description), scaled to the best candidate; "
            "network: Adamic-Adar over shared partners, scaled to the best candidate (0.25 at "
            "three steps); proximity: exp(-km / 50) from the postcode or the organisation's "
            "coordinates (1 in the same district without coordinates); complement: 1 for a type "
            "the consortium lacks, 0.5 for the university-business complement; popularity: "
            "log(1 + links) / log(1 + most links). `components` are the parts before weighting "
            f"(topic unscaled). Weights fixed before evaluation. See {METHODOLOGY_URL}")


@dataclass(frozen=True)
class EvidenceSource:
    """One source of what the finder knows about an organisation (the API's PartnerSourceOut)."""
    dataset: str        # the dataset's key (``postcodes`` for the postcode table)
    source: str         # its title
    publisher: str
    vintage: str
    licence: str
    method: str         # how the parts it gave enter the score
    evidence: list[str]  # the parts it gave: collaborations, topics, project titles, place, type


def _source(dataset: Dataset, parts: Iterable[str]) -> EvidenceSource:
    ordered = [p for p in EVIDENCE_USE if p in set(parts)]
    return EvidenceSource(dataset=dataset.key, source=dataset.title, publisher=dataset.publisher,
                          vintage=dataset.vintage, licence=dataset.licence,
                          method=_uses(ordered), evidence=ordered)


def _uses(parts: list[str]) -> str:
    return "; ".join(EVIDENCE_USE[p] for p in parts) + f" (see {METHODOLOGY_URL})"


def postcode_source() -> EvidenceSource:
    """The postcode table, when a postcode placed an organisation or the query."""
    s = geo_source(POSTCODES_KEY)
    return EvidenceSource(dataset=POSTCODES_KEY, source=s.title, publisher=s.publisher,
                          vintage=s.vintage, licence=s.licence, method=_uses(["place"]),
                          evidence=["place"])


def _place_dataset(org: Organisation, named: list[Dataset], nodes: set[int]) -> Dataset | None:
    """The dataset that placed ``org``: Nesta's network for a principal area it gave, Innovate
    UK's workbook for its local authority, else the first loaded dataset naming it that gives
    postcodes (the HE providers list first: it is loaded first and carries coordinates)."""
    if org.lad_id is None and org.lat is None:
        return None
    if org.place_basis == NESTA_PLACE:
        return next((d for d in named if d.pk in nodes), None)
    if org.place_basis.startswith(IUK_PLACE):
        return next((d for d in named if d.key.startswith("innovate-uk:")), None)
    with_postcodes = [d for d in named if d.key == "he-providers" or d.kind in ("fetched", "imported")]
    return with_postcodes[0] if with_postcodes else None


def _type_dataset(org: Organisation, named: list[Dataset]) -> Dataset | None:
    """The dataset that stated ``org``'s type (a type guessed from its name has none: its
    ``type_basis`` says so)."""
    if org.type_basis == HE_TYPE:
        return next((d for d in named if d.key == "he-providers"), None)
    if org.type_basis.startswith(IUK_TYPE):
        return next((d for d in named if d.key.startswith("innovate-uk:")), None)
    return None


def evidence_sources(orgs: Iterable[Organisation]) -> dict[int, list[EvidenceSource]]:
    """For each organisation in the partner finder's index, the sources of its evidence, in the
    order the datasets are listed on the data page; the postcode table last when it placed it."""
    orgs = list(orgs)
    ids = [o.pk for o in orgs]
    index = recommender_index_sources()
    named: dict[int, list[Dataset]] = defaultdict(list)
    for alias in (OrganisationAlias.objects.filter(organisation_id__in=ids).select_related("dataset")
                  .order_by("dataset__pk")):
        if alias.dataset not in named[alias.organisation_id]:
            named[alias.organisation_id].append(alias.dataset)
    topic_nodes: dict[int, set[int]] = defaultdict(set)
    all_nodes: dict[int, set[int]] = defaultdict(set)
    for org_id, dataset_id, topics in NetworkNode.objects.filter(organisation_id__in=ids) \
            .values_list("organisation_id", "dataset_id", "topics"):
        all_nodes[org_id].add(dataset_id)
        if topics.strip():
            topic_nodes[org_id].add(dataset_id)
    datasets = Dataset.objects.in_bulk({d for pk in ids for d in (
        *index.links.get(pk, ()), *index.titles.get(pk, ()), *topic_nodes[pk])})
    out = {}
    for org in orgs:
        parts: dict[int, set[str]] = defaultdict(set)
        for pk in index.links.get(org.pk, ()):
            parts[pk].add("collaborations")
        if org.topics.strip():
            for pk in topic_nodes[org.pk]:
                parts[pk].add("topics")
        for pk in index.titles.get(org.pk, ()):
            parts[pk].add("project titles")
        known = {d.pk: d for d in named[org.pk]} | {pk: datasets[pk] for pk in parts}
        for part, dataset in (("place", _place_dataset(org, named[org.pk], all_nodes[org.pk])),
                              ("type", _type_dataset(org, named[org.pk]))):
            if dataset is not None:
                parts[dataset.pk].add(part)
                known[dataset.pk] = dataset
        ordered = sorted(parts, key=lambda pk: (known[pk].kind, known[pk].title))
        out[org.pk] = [_source(known[pk], parts[pk]) for pk in ordered]
        if org.place_basis == POSTCODE_PLACE:
            out[org.pk].append(postcode_source())
    return out



def query_sources(asked: list[EvidenceSource], *, postcode_given: bool) -> list[EvidenceSource]:
    """The sources of a query's evidence: the organisation asked about (``asked``: its sources),
    except that a postcode given with the query places it instead of the organisation's own
    place (the proximity part then measures from the postcode)."""
    if not postcode_given:
        return list(asked)
    out = []
    for s in asked:
        parts = [p for p in s.evidence if p != "place"]
        if parts and s.dataset != POSTCODES_KEY:
            out.append(EvidenceSource(dataset=s.dataset, source=s.source, publisher=s.publisher,
                                      vintage=s.vintage, licence=s.licence, method=_uses(parts),
                                      evidence=parts))
    return [*out, postcode_source()]
