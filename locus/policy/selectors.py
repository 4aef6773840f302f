"""Reads for the policy room: cases, related cases, cases for a pathway stage, resources.

``cases_for_stage`` is the extension point the atlas calls: published, evidence-rated local
cases that addressed a stage, ordered by evidence rating and then by similarity of place.
Search lives in ``locus.policy.searching`` (``case_search``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db.models import Case as CaseWhen
from django.db.models import F, FloatField, Prefetch, Q, QuerySet, Sum, Value, When

from locus.errors import PolicyError
from locus.policy.models import (
    Case,
    CaseLink,
    CaseSource,
    CaseTag,
    Layer,
    LearningPath,
    LearningResource,
    Status,
    TagKind,
    TaxonomyTerm,
)
from locus.policy.schema import STAGE_LABELS

# How much a shared facet value counts towards "related" (a shared stage counts most).
RELATED_WEIGHTS = {TagKind.STAGE: 3.0, TagKind.INSTRUMENT: 2.0, TagKind.THEME: 1.0,
                   TagKind.TARGET_GROUP: 0.5}


def published_cases() -> QuerySet[Case]:
    return Case.objects.filter(status=Status.PUBLISHED)


def case_get(*, slug: str, include_drafts: bool = False) -> Case:
    cases = Case.objects.all() if include_drafts else published_cases()
    try:
        return (cases.select_related("area", "reviewed_by", "contributed_by")
                .prefetch_related("tags", Prefetch("sources", CaseSource.objects.order_by("position")))
                .get(slug=slug))
    except Case.DoesNotExist:
        raise PolicyError(f"No published case has the slug {slug!r}.") from None


@lru_cache(maxsize=1)
def _labels_cached(stamp: tuple) -> dict[tuple[str, str], str]:
    labels = {(t.kind, t.code): t.label for t in TaxonomyTerm.objects.all()}
    labels.update({(TagKind.STAGE.value, k): v for k, v in STAGE_LABELS.items()})
    return labels


def taxonomy_labels() -> dict[tuple[str, str], str]:
    """(kind, code) -> label ('Parent|Label' for STIP codes), cached until terms change."""
    return _labels_cached((TaxonomyTerm.objects.count(),
                           TaxonomyTerm.objects.order_by("-pk").values_list("pk", flat=True).first()))


def short_label(label: str) -> str:
    return label.split("|")[-1]


@dataclass(frozen=True)
class CaseTagView:
    kind: str
    code: str
    label: str
    inferred: bool


def case_tags(*, case: Case) -> dict[str, list[CaseTagView]]:
    labels = taxonomy_labels()
    out: dict[str, list[CaseTagView]] = defaultdict(list)
    for tag in case.tags.all():
        label = short_label(labels.get((tag.kind, tag.code), tag.code))
        out[tag.kind].append(CaseTagView(tag.kind, tag.code, label, tag.inferred))
    return dict(out)


def case_links(*, case: Case) -> tuple[list[CaseLink], list[CaseLink]]:
    """(national instruments this case links to, local cases that link to it), published only."""
    outgoing = list(case.outgoing_links.select_related("to_case")
                    .filter(to_case__status=Status.PUBLISHED).order_by("to_case__title"))
    incoming = list(case.incoming_links.select_related("from_case")
                    .filter(from_case__status=Status.PUBLISHED).order_by("from_case__title"))
    return outgoing, incoming


def case_related(*, case: Case, limit: int = 5, layer: str = Layer.LOCAL) -> list[Case]:
    """Published cases sharing the most (weighted) facet values with ``case``."""
    mine = [(t.kind, t.code) for t in case.tags.all()]
    if not mine:
        return []
    shared = Q()
    for kind, code in mine:
        shared |= Q(kind=kind, code=code)
    weight = CaseWhen(*[When(kind=k, then=Value(w)) for k, w in RELATED_WEIGHTS.items()],
                      default=Value(1.0), output_field=FloatField())
    rows = (CaseTag.objects.filter(shared, case__status=Status.PUBLISHED, case__layer=layer)
            .exclude(case=case).values("case_id").annotate(score=Sum(weight))
            .order_by("-score", "case_id")[:limit * 4])
    scores = {r["case_id"]: r["score"] for r in rows}
    cases = Case.objects.in_bulk(list(scores))
    ranked = sorted(scores, key=lambda pk: (-scores[pk], -(cases[pk].sms_rating or 0),
                                            cases[pk].title))
    return [cases[pk] for pk in ranked[:limit]]


# --- place similarity and the atlas extension point -------------------------------------------

NATIONS = ("E92", "S92", "W92", "N92")
UK_CODE = "K02000001"


def _area_chain(area) -> list[str]:
    """Codes of the area and those above it that the geography records (no queries)."""
    if area is None:
        return []
    codes = [area.code, area.parent_id, area.combined_authority_id, area.region_id, area.nation_id]
    return list(dict.fromkeys(c for c in codes if c))


def place_similarity(*, case: Case, area) -> float:
    """0-1, how close a case's place is to ``area``.

    Same area 1; the case's area lies within ``area`` 0.9; shares a CA or region, or contains
    ``area`` below nation level, 0.8; covers ``area`` UK-wide (a UK nation-level case without an
    area code) or nation-wide 0.7; shares only the nation 0.6; elsewhere in the UK 0.5;
    another country 0.3 for a city region or region, else 0.2.
    """
    if area is None:
        return 0.0
    if case.area_id == area.code:
        return 1.0
    if case.area_id:
        mine, theirs = _area_chain(area), _area_chain(case.area)
        if area.code in theirs:
            return 0.9
        if case.area_id == UK_CODE or (case.area_id in mine and case.area_id.startswith(NATIONS)):
            return 0.7  # a UK-wide or nation-wide programme covers the place
        shared = (set(mine) & set(theirs)) | ({case.area_id} & set(mine))
        if any(not code.startswith(NATIONS) for code in shared):
            return 0.8
        if shared:
            return 0.6
    if case.country == "United Kingdom":
        # a nation-level UK case without a nation's code is UK-wide (Catapults, KTP, Smart):
        # it covers the place as an England-wide one does (there is no UK area to point at)
        return 0.7 if case.geography_level == "nation" and not case.area_id else 0.5
    return 0.3 if case.geography_level in ("city_region", "region") else 0.2


def cases_for_stage(*, stage: str, area=None, limit: int = 5, layer: str = Layer.LOCAL) -> list[Case]:
    """Published cases that addressed ``stage``, best evidence first, then closest place.

    The atlas calls this for each weak link of an area. Unrated cases come after rated ones.
    """
    if stage not in STAGE_LABELS:
        raise PolicyError(f"Unknown pathway stage {stage!r}: use one of {', '.join(STAGE_LABELS)}.")
    cases = list(published_cases().filter(layer=layer, tags__kind=TagKind.STAGE, tags__code=stage)
                 .select_related("area").distinct())
    cases.sort(key=lambda c: (-(c.sms_rating or 0), -place_similarity(case=c, area=area), c.title))
    return cases[:limit]


# --- learning resources -----------------------------------------------------------------------

def resources_list(*, role: str | None = None) -> list[LearningResource]:
    resources = LearningResource.objects.filter(status=Status.PUBLISHED)
    items = list(resources)
    if role:
        items = [r for r in items if role in r.audience_roles]
    return items


def learning_paths_list() -> list[LearningPath]:
    return list(LearningPath.objects.all())


def learning_path_get(*, role: str) -> tuple[LearningPath, list[tuple[LearningResource, str]]]:
    try:
        path = LearningPath.objects.get(role=role)
    except LearningPath.DoesNotExist:
        raise PolicyError(f"No learning path for the role {role!r}.") from None
    resources = LearningResource.objects.in_bulk([s["resource"] for s in path.steps],
                                                 field_name="slug")
    steps = [(resources[s["resource"]], s["why"]) for s in path.steps if s["resource"] in resources]
    return path, steps


def library_counts() -> dict[str, int]:
    published = published_cases()
    return {
        "local": published.filter(layer=Layer.LOCAL).count(),
        "rated": published.filter(layer=Layer.LOCAL, sms_rating__isnull=False).count(),
        "stip": published.filter(layer=Layer.STIP).count(),
        "stip_countries": published.filter(layer=Layer.STIP).values("country").distinct().count(),
        "resources": LearningResource.objects.filter(status=Status.PUBLISHED).count(),
    }


def top_rated_cases(*, limit: int = 5) -> list[Case]:
    return list(published_cases().filter(layer=Layer.LOCAL, sms_rating__isnull=False)
                .order_by(F("sms_rating").desc(), "title")[:limit])


def bundled_data_dir():
    return settings.LOCUS_BUNDLED_DATA / "policy"
