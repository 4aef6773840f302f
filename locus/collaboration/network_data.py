"""Build ``locus.networks`` graphs and the recommender index from the registry (Django side)."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max, Q

from locus.collaboration.models import (
    Dataset,
    MatchDecision,
    NetworkLink,
    Organisation,
    Participation,
    Project,
)
from locus.errors import CollaborationError
from locus.networks.graph import Network, Node, coparticipation_links, network_from_links
from locus.networks.recommend import RecommenderIndex, index_build

_CACHE: dict = {}
_LOCK = threading.Lock()
TITLES_PER_ORGANISATION = 40


def _node(org: Organisation, text: str = "") -> Node:
    places = {}
    if org.lad_id:
        places = {"lad": org.lad_id, "lad_name": org.lad.name, "itl3": org.itl3_id or "",
                  "ca": org.combined_authority_id or ""}
    return Node(key=org.pk, name=org.name, org_type=org.org_type, size=org.size, places=places,
                lat=org.lat, lon=org.lon, text=text or org.topics)


def dataset_links(dataset: Dataset) -> list[tuple[int, int, float]]:
    if dataset.participant_level:
        pairs = Participation.objects.filter(project__dataset=dataset).values_list(
            "project_id", "organisation_id")
        return coparticipation_links(pairs)
    return [(a, b, float(w)) for a, b, w in
            NetworkLink.objects.filter(dataset=dataset).values_list("source", "target", "weight")]


def network_dataset_keys() -> list[str]:
    """Keys of the datasets that make a network: published links or participant-level projects
    (in the order of ``selectors.network_datasets``)."""
    return list(Dataset.objects.filter(Q(links__isnull=False) | Q(participant_level=True))
                .distinct().order_by("kind", "title").values_list("key", flat=True))


def network_for_dataset(*, dataset_key: str) -> tuple[Dataset, Network]:
    """The network of one dataset. A key that is not a network dataset's (unknown, or a dataset of
    organisations or funding decisions with no links, such as he-providers) is refused with the
    keys that are, rather than drawn as an empty network."""
    keys = network_dataset_keys()
    if dataset_key not in keys:
        raise CollaborationError(f"no network dataset has the key {dataset_key!r}; use one of "
                                 f"{', '.join(keys) or 'none (none is loaded)'}")
    dataset = Dataset.objects.get(key=dataset_key)
    links = dataset_links(dataset)
    if dataset.participant_level:
        keys = set(Participation.objects.filter(project__dataset=dataset)
                   .values_list("organisation_id", flat=True))
    else:
        keys = set(dataset.nodes.values_list("organisation_id", flat=True))
    orgs = Organisation.objects.filter(pk__in=keys).select_related("lad").order_by("name")
    return dataset, network_from_links([_node(o) for o in orgs], links)


def _texts() -> tuple[dict[int, str], dict[int, set[int]]]:
    """Each organisation's project titles (its most recent ``TITLES_PER_ORGANISATION``) as one
    text, and the datasets those titles come from."""
    texts: dict[int, list[str]] = defaultdict(list)
    sources: dict[int, set[int]] = defaultdict(set)
    rows = (Participation.objects.values_list("organisation_id", "project__title",
                                              "project__dataset_id")
            .order_by("organisation_id", "-project__year"))
    for org_id, title, dataset_id in rows:
        if len(texts[org_id]) < TITLES_PER_ORGANISATION:
            texts[org_id].append(title)
            sources[org_id].add(dataset_id)
    return {k: " ".join(v) for k, v in texts.items()}, dict(sources)


def _version() -> tuple:
    return (Dataset.objects.aggregate(m=Max("loaded_at"))["m"], Organisation.objects.count(),
            MatchDecision.objects.count(), Project.objects.count())


def recommender_index() -> RecommenderIndex:
    """One index over every organisation the loaded data say something about that the finder can
    compare: its projects (titles), its network links or its topics (Nesta's topics for the Welsh
    network, GtR's research topics). Organisations with topics but no links (78 of the 255 in
    Nesta's network of Wales) are in it, so they can be suggested and can ask; organisations known
    only by place, type or funding decisions are not (see ``partner_evidence``). Rebuilt on new
    data."""
    version = _version()
    with _LOCK:
        if _CACHE.get("version") == version:
            return _CACHE["index"]
    texts, title_sources = _texts()
    links: list[tuple[int, int]] = []
    link_sources: dict[int, set[int]] = defaultdict(set)
    for dataset in Dataset.objects.filter(kind__in=["bundled", "imported", "fetched"]):
        if dataset.participant_level or dataset.links.exists():
            for a, b, _ in dataset_links(dataset):
                links.append((a, b))
                if a != b:
                    link_sources[a].add(dataset.pk)
                    link_sources[b].add(dataset.pk)
    linked = {k for pair in links for k in pair}
    orgs = (Organisation.objects.filter(Q(pk__in=set(texts) | linked) | ~Q(topics=""))
            .select_related("lad").order_by("pk"))
    nodes = [_node(o, " ".join(filter(None, [o.topics, texts.get(o.pk, "")]))) for o in orgs]
    index = index_build(nodes, links)
    with _LOCK:
        _CACHE.update(version=version, index=index, sources=IndexSources(
            links={k: frozenset(v) for k, v in link_sources.items()},
            titles={k: frozenset(v) for k, v in title_sources.items()}))
    return index


@dataclass(frozen=True)
class IndexSources:
    """Which loaded datasets gave each organisation's links and project titles in the index (by
    dataset id), so that a suggestion can name the sources of its evidence."""
    links: dict[int, frozenset[int]]
    titles: dict[int, frozenset[int]]


def recommender_index_sources() -> IndexSources:
    """The datasets behind the current ``recommender_index`` (built and cached with it)."""
    recommender_index()
    with _LOCK:
        return _CACHE["sources"]
