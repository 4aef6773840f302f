"""A Combined Authority's starting point in the policy room: its weakest pathway stages (from the
atlas, through ``hooks.WEAK_LINK_PROVIDERS``) and, for each, the rated cases that addressed that
stage, best evidence first and then the closest place.

Which stages: ``stages_chosen.stages_choose`` (one rule for this page and the strategy pack). When
no stage falls short of what is expected, the page says so and shows the stage furthest below the
national median and the weak links inside the authority. When no provider answers (the atlas has
not been built for the place), there is no weakest stage and the page says so; Locus does not
guess one.
"""

from __future__ import annotations

from dataclasses import dataclass

from locus.geography.models import Area
from locus.policy.hooks import WeakLinks
from locus.policy.models import Case
from locus.policy.schema import STAGE_LABELS
from locus.policy.selectors import cases_for_stage, place_similarity
from locus.policy.stages_chosen import StageChoice, stages_choose

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
    heading: str = "Weakest stage"


@dataclass(frozen=True)
class PlaceFocus:
    area: Area
    weak_links: WeakLinks | None
    stages: list[StageFocus]
    choice: StageChoice | None = None

    @property
    def weakest(self) -> StageFocus | None:
        """The weakest stage against what is expected; None when none falls short (``no_shortfall``)."""
        return self.stages[0] if self.stages and not self.no_shortfall else None

    @property
    def no_shortfall(self) -> bool:
        return bool(self.choice and self.choice.no_shortfall)


def _ranked(stage: str, area: Area, limit: int) -> list[RankedCase]:
    out = []
    for case in cases_for_stage(stage=stage, area=area, limit=limit):
        score = place_similarity(case=case, area=area)
        out.append(RankedCase(case, score, similarity_words(score)))
    return out


def place_focus_get(*, area: Area, limit: int = CASES_PER_STAGE) -> PlaceFocus:
    """The area's weakest stages, weakest first, each with its best-evidenced, closest cases."""
    choice = stages_choose(area=area)
    stages = [StageFocus(p.stage, STAGE_LABELS[p.stage], p.note, _ranked(p.stage, area, limit), p.significant,
                         p.heading) for p in choice.picks]
    return PlaceFocus(area, choice.weak_links, stages, choice)
