"""Partner recommendations: topic similarity, proximity, complementarity and network distance.

score = w_topic * cosine(TF-IDF of texts), scaled to the best candidate
      + w_network * Adamic-Adar over shared partners (scaled to the best candidate), or a small
        bonus at three steps
      + w_proximity * exp(-distance / 50 km) (same area = 1 when coordinates are missing)
      + w_complement * (1 if the candidate is of a kind the consortium lacks, 0.5 for the usual
        university-business complement)
      + w_popularity * log(1 + links) / log(1 + most links)

Every recommendation carries its reasons. Organisations already linked to the query are left
out (they are partners already), and so is the query itself. No Django here: the index is built
from ``Node``s and links.

An organisation with no recorded collaborations (no links in the index) is still suggested, and
can still ask, on the evidence it has: topics, place and type. Its network and popularity parts
are 0, so it ranks below a linked organisation that is as close in topic, place and type, and its
reasons say first that no link supports it. A candidate with no evidence at all (a score of 0:
no shared topic, not near, not a type wanted, no links) is never suggested.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from locus.networks.graph import Node

# A weak match: a suggestion with no partner in common with the query (or its consortium) that
# shares fewer than WEAK_WORDS words with the query's description and topics ("power", or
# "electronics" alone of a six-word description), or whose topic similarity (raw cosine) is below
# WEAK_SIMILARITY. It is labelled, and listed after the others, never ranked among confident
# suggestions (ADR 32). The ranking itself is unchanged.
WEAK_SIMILARITY = 0.1
WEAK_WORDS = 2
KNOWLEDGE_TYPES = frozenset({"university", "research", "rto"})
NEED_LABELS = {"sme": "an SME", "research_or_rto": "a university, research institute or RTO",
               "research": "a university or research institute", "business": "a business",
               "large_business": "a large business", "oem_or_tier1": "a vehicle manufacturer or "
               "Tier 1 supplier"}


@dataclass(frozen=True)
class Weights:
    topic: float = 0.35
    network: float = 0.35
    proximity: float = 0.15
    complement: float = 0.10
    popularity: float = 0.05


@dataclass(frozen=True)
class Recommendation:
    key: Hashable
    name: str
    score: float
    components: dict[str, float]
    reasons: list[str]
    links: int = 0          # the candidate's recorded collaborations (links in the index)
    # little to go on: the query asks on topics (a description or an organisation), and the
    # candidate has no partner in common with it and shares one word with it, or has a topic
    # similarity below WEAK_SIMILARITY; shown as a weak match, never as a confident one
    weak: bool = False

    @property
    def linked(self) -> bool:
        """Whether any recorded collaboration (a link) supports this organisation."""
        return self.links > 0


@dataclass
class RecommenderIndex:
    nodes: list[Node]
    position: dict[Hashable, int]
    tfidf: sparse.csr_matrix
    terms: np.ndarray
    adjacency: sparse.csr_matrix     # binary, symmetric, no self-links
    degree: np.ndarray
    vectorizer: TfidfVectorizer = field(repr=False)
    label_words: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)


# A web address: a scheme ("https://") or "www." and what follows, or a domain followed by a path
# ("example.org/about"). A bare "booking.com" is left alone: some organisations are called that.
WEB_ADDRESS = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)\S*|[\w-]+(?:\.[\w-]+)+/\S*", re.I)


def text_without_links(text: str) -> str:
    """The text with its web addresses taken out, so that "https", "www", "com" or the words of a
    path never count as topics ("see https://www.example.com/hydrogen" matches no one on 'www')."""
    return WEB_ADDRESS.sub(" ", text or "")


# Words that say nothing about what an organisation works on, so they never count as a shared
# topic: the kind of organisation or funding ("university", "grant", "competition" from project
# titles such as "Research Grant" or "Innovation competition") and the UK's nations. Place names
# of the indexed organisations are added per index (``_place_words``): "wales" or "cardiff" in
# two project titles is where they are, not what they do.
GENERIC_WORDS = frozenset("""
    grant grants award awards funding fund funded competition competitions project projects
    programme programmes research researcher researchers study university universities college
    colleges school schools institute institutes centre center council ltd limited plc llp company
    companies group uk united kingdom britain british great england english wales welsh cymru
    scotland scottish ireland irish phase stage year years new feasibility""".split())
TOKEN = re.compile(r"(?u)\b[a-zA-Z][a-zA-Z0-9_&]+\b")


@dataclass(frozen=True)
class Analyser:
    """Words of a text for TF-IDF: English stop words, generic words and place names dropped. A
    multi-word label as Nesta writes it ("electronics_transistors") stays one term, so that two
    organisations are compared label by label; a description's words meet such labels through
    ``label_words`` (see ``_description_terms``)."""
    stop: frozenset[str]

    def __call__(self, text: str) -> list[str]:
        return [t for t in TOKEN.findall(text.lower()) if t not in self.stop]


def _label_words(terms: Iterable[str], stop: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """Each word of the multi-word labels in the vocabulary, with the labels it is part of:
    "electronics" -> ("electronics_transistors",)."""
    out: dict[str, list[str]] = {}
    for term in terms:
        if "_" in term:
            for word in dict.fromkeys(term.split("_")):
                if len(word) > 1 and word not in stop:
                    out.setdefault(word, []).append(term)
    return {w: tuple(labels) for w, labels in out.items()}


def _description_terms(index: RecommenderIndex, text: str) -> str:
    """A description as the vectorizer reads it, with the labels its words are part of added: a
    description saying "power electronics" meets Nesta's label "electronics_transistors"."""
    words = index.vectorizer.build_analyzer()(text)
    labels = [label for w in dict.fromkeys(words) for label in index.label_words.get(w, ())]
    return " ".join([text, *labels])


def _place_words(nodes: Sequence[Node]) -> frozenset[str]:
    """The words of the indexed organisations' place names ("Neath Port Talbot": neath, port,
    talbot), not codes."""
    return frozenset(w for n in nodes for value in n.places.values()
                     for w in TOKEN.findall(str(value).lower()) if w.isalpha())


def _vectorizer(stop: frozenset[str] = frozenset()) -> TfidfVectorizer:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return TfidfVectorizer(analyzer=Analyser(frozenset(ENGLISH_STOP_WORDS) | GENERIC_WORDS | stop),
                           sublinear_tf=True, min_df=1)


def index_build(nodes: Sequence[Node], links: Iterable[tuple[Hashable, Hashable]]) -> RecommenderIndex:
    position = {n.key: i for i, n in enumerate(nodes)}
    texts = [text_without_links(n.text.replace(",", " ")).strip() or n.name for n in nodes]
    stop = _place_words(nodes)
    vectorizer = _vectorizer(stop)
    tfidf = vectorizer.fit_transform(texts).tocsr()
    rows, cols = [], []
    for a, b in links:
        i, j = position[a], position[b]
        if i != j:
            rows += [i, j]
            cols += [j, i]
    n = len(nodes)
    adjacency = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    adjacency.data[:] = 1.0
    adjacency.sum_duplicates()
    adjacency.data[:] = 1.0
    return RecommenderIndex(nodes=list(nodes), position=position, tfidf=tfidf,
                            terms=vectorizer.get_feature_names_out(), adjacency=adjacency,
                            degree=np.asarray(adjacency.sum(axis=1)).ravel(),
                            vectorizer=vectorizer,
                            label_words=_label_words(vectorizer.get_feature_names_out(),
                                                     vectorizer.analyzer.stop))


@dataclass(frozen=True)
class Query:
    key: Hashable | None = None          # an organisation in the index
    text: str = ""                       # or a description of the project
    partners: tuple[Hashable, ...] = ()  # organisations already in the consortium
    lat: float | None = None
    lon: float | None = None
    place: str | None = None             # area code (same level as Node.places["lad"])
    needs: tuple[str, ...] = ()          # groups the consortium lacks (see NEED_LABELS)
    need_reason: str = ""                # e.g. "for Innovate UK collaborative R&D"
    types: tuple[str, ...] = ()          # only recommend these organisation types


def _query_vector(index: RecommenderIndex, query: Query) -> sparse.csr_matrix:
    parts = []
    if query.key is not None and query.key in index.position:
        parts.append(index.tfidf[index.position[query.key]])
    text = text_without_links(query.text)
    if text.strip():
        parts.append(index.vectorizer.transform([_description_terms(index, text)]))
    if not parts:
        return sparse.csr_matrix((1, index.tfidf.shape[1]))
    vec = parts[0] if len(parts) == 1 else parts[0] + parts[1]
    norm = math.sqrt(vec.multiply(vec).sum()) or 1.0
    return vec / norm


def _network_scores(index: RecommenderIndex, seeds: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Adamic-Adar from the seed organisations, and a 0/1 flag for three steps away."""
    n = len(index.nodes)
    if not seeds:
        return np.zeros(n), np.zeros(n)
    a = index.adjacency
    start = np.zeros(n)
    start[seeds] = 1.0
    first = a.T @ start > 0                                   # the seeds' partners
    inv_log = np.zeros(n)
    mask = index.degree > 1
    inv_log[mask] = 1.0 / np.log(index.degree[mask])
    adamic = a.T @ (first * inv_log)
    third = (a.T @ (a.T @ first.astype(float) > 0).astype(float)) > 0
    return adamic, third.astype(float)


def _proximity(index: RecommenderIndex, query: Query, origin: Node | None) -> np.ndarray:
    lat = query.lat if query.lat is not None else (origin.lat if origin else None)
    lon = query.lon if query.lon is not None else (origin.lon if origin else None)
    place = query.place or (origin.places.get("lad") if origin else None)
    out = np.zeros(len(index.nodes))
    for i, node in enumerate(index.nodes):
        if lat is not None and node.lat is not None:
            out[i] = math.exp(-_km(lat, lon, node.lat, node.lon) / 50.0)
        elif place and node.places.get("lad") == place:
            out[i] = 1.0
    return out


def _km(lat1, lon1, lat2, lon2) -> float:
    from locus.networks.metrics import haversine_km

    return haversine_km(lat1, lon1, lat2, lon2)


def _fits(node: Node, need: str) -> bool:
    return {"sme": node.is_sme, "business": node.is_business, "large_business": node.is_large,
            "research": node.org_type in {"university", "research"},
            "research_or_rto": node.org_type in KNOWLEDGE_TYPES}.get(need, False)


def _complement(index: RecommenderIndex, query: Query, origin: Node | None) -> np.ndarray:
    out = np.zeros(len(index.nodes))
    for i, node in enumerate(index.nodes):
        if any(_fits(node, need) for need in query.needs):
            out[i] = 1.0
        elif origin is not None and not query.needs:
            pair = {origin.org_type in KNOWLEDGE_TYPES, node.org_type in KNOWLEDGE_TYPES}
            if pair == {True, False} and "business" in {origin.org_type, node.org_type}:
                out[i] = 0.5
    return out


def components(index: RecommenderIndex, query: Query) -> tuple[dict[str, np.ndarray], list[int]]:
    origin = index.nodes[index.position[query.key]] if query.key in index.position else None
    seeds = [index.position[k] for k in (query.key, *query.partners) if k in index.position]
    qvec = _query_vector(index, query)
    topic = np.asarray((index.tfidf @ qvec.T).todense()).ravel()
    adamic, third = _network_scores(index, seeds)
    best = adamic.max() if adamic.size and adamic.max() > 0 else 1.0
    network = np.where(adamic > 0, adamic / best, 0.25 * third)
    top_degree = max(float(index.degree.max()) if index.degree.size else 0.0, 1.0)
    return {"topic": topic, "network": network,
            "proximity": _proximity(index, query, origin),
            "complement": _complement(index, query, origin),
            "popularity": np.log1p(index.degree) / math.log1p(top_degree)}, seeds


def scored(name: str, values: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """A component as it enters the score. Topic similarity is scaled to the best candidate that
    may be suggested (not the organisation itself, whose similarity is 1), as the network part is:
    raw cosines of a short description are small (0.1 is a good match), so unscaled they lost to
    the popularity tie-breaker and the best-connected organisations topped every search whatever
    its topic. The reasons quote the raw cosine."""
    if name == "topic" and allowed.any():
        best = float(values[allowed].max())
        if best > 0:
            return values / best
    return values


def recommend(index: RecommenderIndex, query: Query, *, k: int = 10,
              weights: Weights = Weights(), explain: bool = True) -> list[Recommendation]:
    parts, seeds = components(index, query)
    excluded = set(seeds)
    for s in seeds:
        excluded |= set(index.adjacency[s].indices.tolist())
    allowed = np.ones(len(index.nodes), dtype=bool)
    allowed[list(excluded)] = False
    if query.types:
        allowed &= np.array([n.org_type in query.types for n in index.nodes])
    score = sum(getattr(weights, name) * scored(name, values, allowed) for name, values in parts.items())
    # a candidate nothing points to (score 0) says nothing: it is left out rather than listed
    allowed &= score > 0
    order = [i for i in np.argsort(-score, kind="stable") if allowed[i]][:k]
    shared = _shares_partners(index, seeds)
    # weak is about topics: a search on place and needs alone asks for no topic to be shared
    on_topics = bool(text_without_links(query.text).strip()) or query.key in index.position

    words = _query_words(index, query) if on_topics else None
    said = {i: shared_words(index, query, i, words) if on_topics and parts["topic"][i] > 0
            else ([], []) for i in order}

    def weak(i: int) -> bool:
        return (on_topics and not shared[i] and (parts["topic"][i] < WEAK_SIMILARITY
                                                 or sum(map(len, said[i])) < WEAK_WORDS))
    return [Recommendation(
        key=index.nodes[i].key, name=index.nodes[i].name, score=float(score[i]),
        components={name: float(values[i]) for name, values in parts.items()},
        reasons=reasons(index, query, i, parts, seeds, said[i]) if explain else [],
        links=int(index.degree[i]),
        weak=weak(i))
        for i in order]


def _terms_shared(index: RecommenderIndex, qcols: dict[int, float], i: int) -> list[str]:
    """The terms of candidate ``i`` that the query vector (as {column: weight}) also has,
    strongest product first."""
    start, end = index.tfidf.indptr[i], index.tfidf.indptr[i + 1]
    pairs = [(float(value) * qcols[col], int(col)) for col, value in
             zip(index.tfidf.indices[start:end], index.tfidf.data[start:end], strict=True)
             if col in qcols]
    pairs.sort(key=lambda p: (-p[0], p[1]))
    return [str(index.terms[col]) for _, col in pairs]


@dataclass(frozen=True)
class _QueryWords:
    """A query's description and organisation, each as its own vector ({column: weight}), to say
    what a candidate shares with each."""
    said: frozenset[str]
    text: dict[int, float] | None
    key: dict[int, float] | None


def _columns(vec: sparse.csr_matrix) -> dict[int, float]:
    vec = sparse.csr_matrix(vec)
    return {int(c): float(v) for c, v in zip(vec.indices, vec.data, strict=True)}


def _query_words(index: RecommenderIndex, query: Query) -> _QueryWords:
    text = text_without_links(query.text)
    return _QueryWords(
        said=frozenset(index.vectorizer.build_analyzer()(text)),
        text=_columns(_query_vector(index, Query(text=text))) if text.strip() else None,
        key=_columns(index.tfidf[index.position[query.key]]) if query.key in index.position
        else None)


def shared_words(index: RecommenderIndex, query: Query, i: int,
                 words: _QueryWords | None = None) -> tuple[list[str], list[str]]:
    """What candidate ``i`` shares with the query, strongest first: the words of the description,
    and the topics of the organisation asked about that the description does not already name.
    A description meets a multi-word label through one of its words, so that word is said, not the
    label ("electronics", not "electronics transistors"); nothing the query does not say is listed."""
    words = words or _query_words(index, query)
    described: list[str] = []
    if words.text is not None:
        described = list(dict.fromkeys(
            w for t in _terms_shared(index, words.text, i)
            for w in ([t] if "_" not in t else [p for p in t.split("_") if p in words.said])))
    asked: list[str] = []
    if words.key is not None:
        asked = [t.replace("_", " ") for t in _terms_shared(index, words.key, i)]
        asked = [t for t in asked if t not in described]
    return described, asked


def _shares_partners(index: RecommenderIndex, seeds: list[int]) -> np.ndarray:
    """Whether each organisation has worked with a partner of the query (or of its consortium)."""
    n = len(index.nodes)
    if not seeds:
        return np.zeros(n, dtype=bool)
    start = np.zeros(n)
    start[seeds] = 1.0
    first = (index.adjacency.T @ start > 0).astype(float)
    return index.adjacency @ first > 0


def has_links(index: RecommenderIndex, key: Hashable) -> bool:
    """Whether the index records any collaboration (link) for this organisation."""
    return key in index.position and index.degree[index.position[key]] > 0


def reasons(index: RecommenderIndex, query: Query, i: int, parts: dict[str, np.ndarray],
            seeds: list[int], said: tuple[list[str], list[str]] | None = None) -> list[str]:
    from locus.networks.explain import reasons_for

    return reasons_for(index, query, i, parts, seeds, said)
