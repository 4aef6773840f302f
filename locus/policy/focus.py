"""A Combined Authority's starting point in the policy room: its weakest pathway stages (from the
atlas, through ``hooks.WEAK_LINK_PROVIDERS``) and, for each, the rated cases that addressed that
stage, best evidence first and then the closest place.

When no provider answers (the atlas has not been built for the place), there is no weakest stage
and the page says so; Locus does not guess one.
"""

from __future__ import annotations

from dataclasses import dataclass

from locus.geography.models import Area
from locus.policy.hooks import WeakLinks, weak_links_for
from locus.policy.models import Case
from locus.policy.schema import STAGE_LABELS
from locus.policy.selectors import cases_for_stage, place_similarity

CASES_PER_STAGE = 5
SIMILARITY_WORDS = ((1.0, "the same place"), (0.9, "within this place"),
                    (0.8, "the same region or Combined Authority"),
                    (0.7, "a UK-wide or nation-wide programme that covers this place"), (0.6, "the same nation"),
                    (0.5, "elsewhere in the UK"), (0.0, "another country"))


def similarity_words(score: float) -> str:
    """Plain words for ``selectors.place_similarity``'s score."""
    for floor, words in SIMILARITY_WORDS:
        if score >= floor:
            return words
    return SIMILARITY_WORDS[-1][1]


@dataclass(frozen=True)
class RankedCase:
    case: Case
    similarity: float
    similarity_text: str


@dataclass(frozen=True)
class StageFocus:
    stage: str
    label: str
    note: str  # the atlas's own words: a significant weak link, or only the largest shortfall
    cases: list[RankedCase]
    significant: bool | None = None  # None: the provider does not say


@dataclass(frozen=True)
class PlaceFocus:
    area: Area
    weak_links: WeakLinks | None
    stages: list[StageFocus]

    @property
    def weakest(self) -> StageFocus | None:
        return self.stages[0] if self.stages else None


def _ranked(stage: str, area: Area, limit: int) -> list[RankedCase]:
    out = []
    for case in cases_for_stage(stage=stage, area=area, limit=limit):
        score = place_similarity(case=case, area=area)
        out.append(RankedCase(case, score, similarity_words(score)))
    return out


def place_focus_get(*, area: Area, limit: int = CASES_PER_STAGE) -> PlaceFocus:
    """The area's weakest stages, weakest first, each with its best-evidenced, closest cases."""
    weak = weak_links_for(area)
    stages = []
    for stage in (weak.stages if weak else []):
        if stage not in STAGE_LABELS:
            continue
        significant = None if weak.significant is None else stage in weak.significant
        stages.append(StageFocus(stage, STAGE_LABELS[stage], weak.notes.get(stage, ""),
                                 _ranked(stage, area, limit), significant))
    return PlaceFocus(area, weak, stages)
