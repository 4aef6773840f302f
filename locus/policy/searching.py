"""Search the whole library (both layers) with facets, and suggest what to try when nothing matches.

Facets: instrument type, theme, pathway stage, evidence rating, country, geography level and
layer. Values within one facet are alternatives (OR); facets combine with AND. Counts are over
the current results. With no words, results are ordered local cases first, best rated first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from django.core.exceptions import EmptyResultSet
from django.db.models import F, Max, Q, QuerySet
from rapidfuzz import fuzz, process

from locus.errors import PolicyError
from locus.geography.models import LoadRecord
from locus.policy.models import Case, CaseTag, Layer, Proposal, TagKind
from locus.policy.schema import GEOGRAPHY_LEVEL_LABELS, STAGE_LABELS
from locus.policy.search import STOP_WORDS, Terms, backend, terms_parse
from locus.policy.selectors import published_cases, short_label, taxonomy_labels

TAG_FACETS = (("instrument", TagKind.INSTRUMENT, "Instrument type"),
              ("theme", TagKind.THEME, "Theme"),
              ("stage", TagKind.STAGE, "Pathway stage"))
RATING_LABELS = {"5": "5: randomised controlled trial", "4": "4", "3": "3: meets the What Works minimum",
                 "2": "2", "1": "1: before-and-after or cross-section", "none": "Not rated"}
FACET_LIMIT = 12
PER_PAGE = 20


@dataclass
class SearchFilters:
    instrument: list[str] = field(default_factory=list)
    theme: list[str] = field(default_factory=list)
    stage: list[str] = field(default_factory=list)
    rating: list[str] = field(default_factory=list)  # "1".."5" and "none"
    country: list[str] = field(default_factory=list)
    level: list[str] = field(default_factory=list)
    layer: list[str] = field(default_factory=list)
    min_rating: int | None = None

    def any(self) -> bool:
        return any([self.instrument, self.theme, self.stage, self.rating, self.country,
                    self.level, self.layer, self.min_rating])

    def validate(self) -> None:
        bad = [s for s in self.stage if s not in STAGE_LABELS]
        bad += [r for r in self.rating if r not in RATING_LABELS]
        bad += [lv for lv in self.level if lv not in GEOGRAPHY_LEVEL_LABELS]
        bad += [la for la in self.layer if la not in Layer.values]
        if self.country:
            bad += [c for c in self.country if c not in country_values()]
        if bad:
            raise PolicyError(f"Unknown filter value {bad[0]!r}.")
        if self.min_rating is not None and not 1 <= self.min_rating <= 5:
            raise PolicyError("min_rating must be between 1 and 5.")


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    key: str
    label: str
    options: list[FacetOption]


@dataclass(frozen=True)
class Suggestion:
    text: str
    query: dict  # parameters for the link
    count: int | None = None


@dataclass
class SearchResult:
    cases: list[Case]
    scores: dict[int, float]
    total: int
    page: int
    per_page: int
    terms: Terms
    facets: list[Facet] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _filtered(filters: SearchFilters) -> QuerySet[Case]:
    qs = published_cases()
    for key, kind, _ in TAG_FACETS:
        values = getattr(filters, key)
        if values:
            qs = qs.filter(id__in=CaseTag.objects.filter(kind=kind, code__in=values)
                           .values("case_id"))
    if filters.rating:
        numbers = [int(r) for r in filters.rating if r != "none"]
        cond = Q(sms_rating__in=numbers)
        if "none" in filters.rating:
            cond |= Q(sms_rating__isnull=True)
        qs = qs.filter(cond)
    if filters.min_rating:
        qs = qs.filter(sms_rating__gte=filters.min_rating)
    if filters.country:
        qs = qs.filter(_country_q(filters.country))
    if filters.level:
        qs = qs.filter(geography_level__in=filters.level)
    if filters.layer:
        qs = qs.filter(layer__in=filters.layer)
    return qs


def _page(qs: QuerySet[Case], terms: Terms, offset: int, per_page: int,
          ids: list[int] | None) -> tuple[list[Case], dict]:
    """``per_page`` results after the first ``offset``; with words ``qs`` is the filtered library,
    not yet restricted by them, and ``ids`` the matches."""
    if terms:
        ranked = backend().ranked_page(qs, terms, offset=offset, limit=per_page, ids=ids)
        cases = Case.objects.in_bulk([pk for pk, _ in ranked])
        return [cases[pk] for pk, _ in ranked if pk in cases], dict(ranked)
    ordered = qs.order_by("layer", F("sms_rating").desc(nulls_last=True), "title", "pk")
    return list(ordered[offset:offset + per_page]), {}


def _country_q(countries: list[str]) -> Q:
    """A country, or a UK nation: a case whose country is that nation, or whose place is that nation
    or lies in it (the UK cases give 'United Kingdom' as their country)."""
    cond = Q(country__in=countries)
    nations = [c for c in countries if c in UK_NATIONS]
    if nations:
        cond |= Q(area__level="nation", area__name__in=nations) | Q(area__nation__name__in=nations)
    return cond


def _nation_counts(ids: list[int]) -> dict[str, int]:
    """Cases among ``ids`` by the UK nation their place is or lies in (the country facet's nations)."""
    counts: dict[str, int] = {}
    rows = (Case.objects.filter(pk__in=ids).exclude(country__in=UK_NATIONS)
            .filter(Q(area__level="nation") | Q(area__nation__isnull=False))
            .values_list("area__level", "area__name", "area__nation__name"))
    for level, name, nation in rows:
        key = name if level == "nation" else nation
        if key in UK_NATIONS:
            counts[key] = counts.get(key, 0) + 1
    return counts


def _country_order(rows: dict[str, int]) -> list[str]:
    """The UK nations first, then the United Kingdom, then the other countries by count."""
    first = [*UK_NATIONS, "United Kingdom"]
    return first + sorted((v for v in rows if v not in first), key=lambda v: (-rows[v], v))


def _options(rows: dict[str, int], selected: list[str], label, limit: int = FACET_LIMIT,
             order: list[str] | None = None) -> list[FacetOption]:
    values = list(order) if order else sorted(rows, key=lambda v: (-rows[v], label(v)))
    # a selected value stays listed (checked) even when nothing matches it now (QA H25 F8)
    values += [v for v in selected if v not in values]
    values = [v for v in values if rows.get(v) or v in selected]
    keep = values[:limit] + [v for v in values[limit:] if v in selected]
    return [FacetOption(v, label(v), rows.get(v, 0), v in selected) for v in keep]


def library_stamp() -> tuple:
    """Changes whenever the published library can have changed (loads, reviews, new records)."""
    load = (LoadRecord.objects.filter(dataset__in=("policy", "policy_stip"))
            .order_by("-pk").values_list("pk", flat=True).first())
    reviewed = Proposal.objects.aggregate(latest=Max("reviewed_at"))["latest"]
    return load, reviewed, Case.objects.count()


_BROWSE_FACETS: dict[tuple, tuple[dict, dict]] = {}

# the country filter takes the UK's nations (a case may be about one) and the countries the
# library holds; anything else is refused, as for the other filters
UK_NATIONS = ("England", "Northern Ireland", "Scotland", "Wales")
# what each filter is called in a refusal, and the values it takes
FILTER_NOUNS = {"instrument": "instrument type", "theme": "theme", "stage": "pathway stage",
                "rating": "evidence rating", "country": "country", "level": "geography level",
                "layer": "layer"}


@lru_cache(maxsize=4)
def _countries(stamp: tuple) -> tuple[str, ...]:
    held = set(published_cases().order_by().values_list("country", flat=True).distinct())
    return tuple(sorted((held - {""}) | set(UK_NATIONS)))


def country_values() -> tuple[str, ...]:
    """The values the country filter takes: the UK nations and every published case's country."""
    return _countries(library_stamp())


def filter_values(key: str) -> list[str]:
    """The closed list of values the list filter ``key`` takes."""
    if key in ("instrument", "theme"):
        kind = TagKind.INSTRUMENT if key == "instrument" else TagKind.THEME
        return [code for k, code in taxonomy_labels() if k == kind]
    return {"stage": list(STAGE_LABELS), "rating": list(RATING_LABELS),
            "level": list(GEOGRAPHY_LEVEL_LABELS), "layer": list(Layer.values),
            "country": list(country_values())}[key]


def filter_problems(filters: SearchFilters) -> list[tuple[str, str]]:
    """(filter, value) for each value outside its filter's closed list, in the facets' order."""
    problems = []
    for key in FILTER_NOUNS:
        given = getattr(filters, key)
        if given:
            allowed = set(filter_values(key))
            problems += [(key, v) for v in given if v not in allowed]
    return problems


def matched_ids(matched: QuerySet[Case]) -> list[int]:
    """The ids of the matched cases, fetched once per search: facets and (on PostgreSQL)
    ranking reuse them, so the full-text condition is evaluated once."""
    try:
        return list(matched.order_by().values_list("id", flat=True))
    except EmptyResultSet:  # a search that can match nothing (only common words)
        return []


def _facet_rows(ids: list[int] | None, matched: QuerySet[Case], *,
                browse_stamp: tuple | None = None) -> tuple[dict, dict]:
    """Tag counts and field counts of the matched cases (two queries).

    The counts of the whole library (no words, no filters: the search page as it first opens)
    are kept per process until ``library_stamp`` changes.
    """
    if browse_stamp is not None and browse_stamp in _BROWSE_FACETS:
        return _BROWSE_FACETS[browse_stamp]
    rows = _facet_rows_query(matched_ids(matched) if ids is None else ids)
    if browse_stamp is not None:
        _BROWSE_FACETS.clear()
        _BROWSE_FACETS[browse_stamp] = rows
    return rows


def _facet_rows_query(ids: list[int]) -> tuple[dict, dict]:
    kinds = [kind.value for _, kind, _ in TAG_FACETS]
    tag_rows: dict[str, dict[str, int]] = {kind: {} for kind in kinds}
    field_rows: dict[str, dict[str, int]] = {k: {} for k in ("rating", "country", "level", "layer")}
    if not ids:
        return tag_rows, field_rows
    tags, fields = backend().facet_counts(ids, kinds)
    for kind, code, n in tags:
        tag_rows[kind][code] = n
    for rating, country, level, layer, n in fields:
        for key, value in (("rating", str(rating) if rating else "none"),
                           ("country", country), ("level", level), ("layer", layer)):
            field_rows[key][value] = field_rows[key].get(value, 0) + n
    for nation, n in _nation_counts(ids).items():
        field_rows["country"][nation] = field_rows["country"].get(nation, 0) + n
    return tag_rows, field_rows


def _facets(ids: list[int] | None, matched: QuerySet[Case], filters: SearchFilters, *,
            browse: bool) -> list[Facet]:
    labels = taxonomy_labels()
    tag_rows, field_rows = _facet_rows(ids, matched,
                                       browse_stamp=library_stamp() if browse else None)
    facets = []
    for key, kind, title in TAG_FACETS:
        order = list(STAGE_LABELS) if kind == TagKind.STAGE else None
        facets.append(Facet(key, title, _options(
            tag_rows[kind], getattr(filters, key),
            lambda v, k=kind: short_label(labels.get((k, v), v)), order=order)))
    facets.append(Facet("rating", "Evidence rating (Maryland scale)", _options(
        field_rows["rating"], filters.rating, lambda v: RATING_LABELS[v],
        order=list(RATING_LABELS))))
    for key, title, label in (
            ("country", "Country", lambda v: v),
            ("level", "Geography level", lambda v: GEOGRAPHY_LEVEL_LABELS.get(v, v)),
            ("layer", "Layer", lambda v: Layer(v).label)):
        facets.append(Facet(key, title, _options(field_rows[key], getattr(filters, key), label,
                                                 order=_country_order(field_rows[key]) if key == "country" else None)))
    return facets


def case_search(*, text: str = "", filters: SearchFilters | None = None, page: int = 1,
                per_page: int = PER_PAGE, match: str = "all", facets: bool = True,
                offset: int | None = None) -> SearchResult:
    """Ranked full-text search over published cases of both layers, with facets. ``offset`` (the
    API's) skips that many results, any number from 0; without it ``page`` says where to start."""
    filters = filters or SearchFilters()
    filters.validate()
    terms = terms_parse(text, mode=match)
    base = _filtered(filters)
    matched = backend().restrict(base, terms) if terms else base
    if text.strip() and not terms:  # only common words: nothing to match on
        matched = base.none()
    page = max(1, page)
    browse = not terms and not filters.any() and not text.strip()
    ids = None if browse else matched_ids(matched)
    total = matched.count() if ids is None else len(ids)
    start = max(0, offset) if offset is not None else (page - 1) * per_page
    cases, scores = (_page(base if terms else matched, terms, start, per_page, ids)
                     if total else ([], {}))
    result = SearchResult(cases, scores, total, page, per_page, terms)
    if facets:
        result.facets = _facets(ids, matched, filters, browse=browse)
    if total == 0:
        result.suggestions = search_suggestions(text=text, terms=terms, filters=filters)
    return result


@lru_cache(maxsize=4)
def _vocabulary(stamp: tuple) -> tuple[str, ...]:
    words: set[str] = set()
    for title, keywords in published_cases().values_list("title", "search_keywords"):
        words.update(terms_parse(f"{title} {keywords}").words)
    return tuple(sorted(w for w in words if len(w) > 2 and not w.isdigit()))


def vocabulary() -> tuple[str, ...]:
    return _vocabulary(library_stamp())


def _respell(terms: Terms) -> str | None:
    words = vocabulary()
    if not words:
        return None
    fixed, changed = [], False
    for word in terms.words:
        if word in words:
            fixed.append(word)
            continue
        best = process.extractOne(word, words, scorer=fuzz.ratio, score_cutoff=75)
        if best:
            fixed.append(best[0])
            changed = True
        else:
            fixed.append(word)
    return " ".join(fixed) if changed else None


def search_suggestions(*, text: str, terms: Terms, filters: SearchFilters) -> list[Suggestion]:
    """What to try when a search finds nothing: a spelling, fewer words, fewer filters, stages."""
    out: list[Suggestion] = []
    base = _filtered(filters)
    if terms:
        respelt = _respell(terms)
        if respelt:
            n = backend().restrict(base, terms_parse(respelt)).count()
            if n:
                out.append(Suggestion(f"Did you mean ‘{respelt}’?", {"q": respelt}, n))
        if terms.mode == "all" and len(terms.words) > 1:
            n = backend().restrict(base, Terms(terms.words, "any")).count()
            if n:
                out.append(Suggestion("Search for cases with any of these words, not all",
                                      {"q": text, "match": "any"}, n))
    elif text.strip():
        out.append(Suggestion("Use more specific words: common words such as "
                              f"‘{', '.join(sorted(set(text.lower().split()) & STOP_WORDS)[:3])}’ "
                              "are ignored", {}, None))
    if filters.any():
        unfiltered = published_cases()
        n = (backend().restrict(unfiltered, terms) if terms else unfiltered).count()
        if n:
            out.append(Suggestion("Remove all filters", {"q": text}, n))
    for stage, label in STAGE_LABELS.items():
        out.append(Suggestion(f"Browse cases for the stage ‘{label}’", {"stage": stage}, None))
    return out
