"""Which pathway stages a Combined Authority's policy page and strategy pack show cases for.

One rule for both (QA H25 findings 1 and 2):

1. The atlas (``hooks.WEAK_LINK_PROVIDERS``) names stages that fall short of what is expected
   (weak links, or the largest shortfalls): those, weakest first.
2. The atlas answers but no stage falls short (every gap is zero or above): the page says so and
   still gives something to act on, from the same atlas through the same extension points:
   - the stage furthest below the median of every Combined Authority (the atlas profile's
     "weakest"), from the stage scores of ``hooks.PEER_FEATURE_PROVIDERS``;
   - the weak links inside the authority: its ITL3 areas and districts (geography's memberships),
     each asked of ``hooks.WEAK_LINK_PROVIDERS``; only stages the provider calls significant.
3. The atlas does not answer for the place: no stage; the caller says the atlas has not been
   built (or, when other places have scores, that it has none for this place).

Nothing is guessed: every stage shown comes from the atlas with its source.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field

from locus.geography.models import Area, AreaMembership, Level
from locus.geography.selectors import area_members
from locus.policy import hooks
from locus.policy.hooks import WeakLinks
from locus.policy.schema import STAGE_LABELS

MAX_STAGES = 3


@dataclass(frozen=True)
class InnerLink:
    code: str
    name: str
    kind: str  # "ITL3 area" or "district"
    stage: str
    note: str


@dataclass(frozen=True)
class BelowMedian:
    stage: str
    score: float
    median: float
    n_places: int
    source: str

    @property
    def at_or_above(self) -> bool:
        return self.score >= self.median


@dataclass(frozen=True)
class Pick:
    stage: str
    heading: str  # "Weakest stage", "Next weakest", "Furthest below the national median", ...
    note: str
    significant: bool | None = None


@dataclass(frozen=True)
class StageChoice:
    weak_links: WeakLinks | None
    picks: list[Pick]
    no_shortfall: bool = False  # the atlas answered: no stage falls short of what is expected
    below_median: BelowMedian | None = None
    inside: list[InnerLink] = field(default_factory=list)
    atlas_scores_others: bool = False  # no answer for this place, but the atlas scores other places

    @property
    def atlas_answered(self) -> bool:
        return self.weak_links is not None


def _stage_columns(area: Area) -> tuple[dict[str, list[float]], list[str], str]:
    """Stage scores of every Combined Authority (``atlas_<stage>`` columns), their codes, the source."""
    from locus.policy.places import ca_list

    areas = ca_list()
    for features, columns in hooks.peer_columns_for(areas):
        stages = {f.key[len("atlas_"):]: columns[f.key] for f in features
                  if f.key.startswith("atlas_") and f.key in columns}
        if stages:
            source = next(f.source for f in features if f.key.startswith("atlas_"))
            return stages, [a.code for a in areas], source
    return {}, [a.code for a in areas], ""


def below_median_get(*, area: Area) -> BelowMedian | None:
    """The stage where ``area`` is furthest below (or least above) the median of all Combined
    Authorities, as the atlas profile's headline picks its "weakest"; None without stage scores."""
    stages, codes, source = _stage_columns(area)
    if area.code not in codes:
        return None
    i = codes.index(area.code)
    rows = []
    for stage, values in stages.items():
        known = [v for v in values if v is not None and math.isfinite(v)]
        mine = values[i]
        if stage in STAGE_LABELS and known and mine is not None and math.isfinite(mine):
            median = statistics.median(known)
            rows.append((mine - median, stage, mine, median, len(known)))
    if not rows:
        return None
    _gap, stage, mine, median, n = min(rows)
    return BelowMedian(stage, mine, median, n, source)


def _inner_areas(area: Area) -> list[tuple[Area, str]]:
    """The authority's ITL3 areas (those its districts sit in) and its districts."""
    lads = [m.area for m in area_members(area=area)]
    itl3 = (Area.objects.filter(level=Level.ITL3, code__in=AreaMembership.objects.filter(
        child__in=lads, relation=Level.ITL3).values("parent")).order_by("name"))
    return [(a, "ITL3 area") for a in itl3] + [(a, "district") for a in lads]


def inner_links_get(*, area: Area) -> list[InnerLink]:
    """Significant weak links of the areas inside ``area``, as the atlas gives them."""
    out = []
    for inner, kind in _inner_areas(area):
        weak = hooks.weak_links_for(inner)
        if weak is None or not weak.significant:
            continue
        out += [InnerLink(inner.code, inner.name, kind, s, weak.notes.get(s, ""))
                for s in weak.stages if s in weak.significant and s in STAGE_LABELS]
    return out


def stages_choose(*, area: Area) -> StageChoice:
    """The stages to show cases for, by the rule in this module's docstring."""
    weak = hooks.weak_links_for(area)
    if weak is None:
        stages, _codes, _source = _stage_columns(area)
        return StageChoice(None, [], atlas_scores_others=bool(stages))
    picks = []
    for i, stage in enumerate(s for s in weak.stages if s in STAGE_LABELS):
        significant = None if weak.significant is None else stage in weak.significant
        picks.append(Pick(stage, "Weakest stage" if i == 0 else "Next weakest", weak.notes.get(stage, ""),
                          significant))
    if picks:
        return StageChoice(weak, picks)
    below = below_median_get(area=area)
    inside = inner_links_get(area=area)
    if below is not None:
        where = "at or above" if below.at_or_above else "below"
        picks.append(Pick(below.stage, "Furthest below the national median" if not below.at_or_above
                          else "Least strong stage against the national median",
                          f"Score {below.score:.2f}, {where} the median of {below.median:.2f} of the "
                          f"{below.n_places} Combined Authorities; no shortfall against what is expected"))
    for link in inside:
        if len(picks) >= MAX_STAGES:
            break
        if link.stage not in {p.stage for p in picks}:
            picks.append(Pick(link.stage, f"A weak link inside {area.name}",
                              f"{link.name} ({link.kind}): {link.note}", True))
    return StageChoice(weak, picks, no_shortfall=True, below_median=below, inside=inside)
