"""Strategy evidence pack for a Combined Authority: one document, HTML and PDF.

Contents: the atlas's weak links and opportunities (through ``hooks``; when absent the pack
says the atlas has not been built for the place), relevant cases with their evidence ratings,
the brief's four measures sized to the place with their cost from the cost model, peer CAs, and
every source. Nothing is invented: a figure that Locus does not have is not shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from locus.geography.models import Area
from locus.policy import costs
from locus.policy.charts import bar_chart, money_short
from locus.policy.costmodel import cost_model_get
from locus.policy.hooks import PackSection, WeakLinks, pack_sections_for, weak_links_for
from locus.policy.models import Case, Layer
from locus.policy.places import PeerMatch, PlaceShare, ca_peers, place_share
from locus.policy.schema import STAGE_LABELS
from locus.policy.selectors import cases_for_stage, place_similarity, published_cases

CASES_PER_GROUP = 3
MEASURE_ACTIONS = {
    1: "Use and enrich the national map of commercialisation pathways to choose local "
       "investments (a national resource: no local cost in this model).",
    2: "Run facilitated peer-learning groups of local firms, with public support limited to "
       "facilitation, hosting and promotion.",
    3: "Back the condition that UKRI-funded R&D includes collaboration, and broker partners "
       "locally (a national condition: its cost is national).",
    4: "Take up places on innovation-policy courses and join lesson-sharing networks for the "
       "authority's officers and members.",
}


@dataclass(frozen=True)
class CaseGroup:
    key: str  # stage id or "measure-N"
    title: str
    note: str
    cases: list[Case]


@dataclass
class StrategyPack:
    area: Area
    generated_at: object
    weak_links: WeakLinks | None
    atlas_sections: list[PackSection]
    atlas_failures: list[str]
    case_groups: list[CaseGroup]
    share: PlaceShare
    sizing: costs.PlaceSizing
    national: costs.Breakdown
    verdict: str
    peers: PeerMatch
    charts: dict[str, str] = field(default_factory=dict)
    assumptions: dict = field(default_factory=dict)

    @property
    def rated_cases(self) -> list[Case]:
        seen, out = set(), []
        for group in self.case_groups:
            for case in group.cases:
                if case.pk not in seen:
                    seen.add(case.pk)
                    out.append(case)
        return out


def _cases_for_measure(measure: int, area: Area) -> list[Case]:
    cases = list(published_cases().filter(layer=Layer.LOCAL, brief_measure=measure)
                 .select_related("area").prefetch_related("tags"))
    cases.sort(key=lambda c: (-(c.sms_rating or 0), -place_similarity(case=c, area=area), c.title))
    return cases[:CASES_PER_GROUP]


def _case_groups(area: Area, weak: WeakLinks | None) -> list[CaseGroup]:
    if weak is not None:
        stages = [stage for stage in weak.stages if stage in STAGE_LABELS]
        return [CaseGroup(stage, f"{'Weakest stage' if i == 0 else 'Next weakest'}: {STAGE_LABELS[stage]}",
                          weak.notes.get(stage, ""),
                          cases_for_stage(stage=stage, area=area, limit=CASES_PER_GROUP))
                for i, stage in enumerate(stages)]
    return [CaseGroup(f"measure-{m}", f"Measure {m}: {costs.MEASURES[m]}", MEASURE_ACTIONS[m],
                      _cases_for_measure(m, area)) for m in costs.MEASURES]


def strategy_pack_build(*, area: Area) -> StrategyPack:
    """Assemble the pack for one Combined Authority (the caller checks the level)."""
    model = cost_model_get()
    values = costs.defaults(model.assumptions)
    national = costs.breakdown(values)
    share = place_share(area=area)
    sizing = costs.place_sizing(values, share=share.share, basis=share.basis)
    weak = weak_links_for(area)
    sections, failures = pack_sections_for(area)
    pack = StrategyPack(
        area=area, generated_at=timezone.now(), weak_links=weak, atlas_sections=sections,
        atlas_failures=failures, case_groups=_case_groups(area, weak),
        share=share, sizing=sizing, national=national, verdict=costs.verdict(national.total),
        peers=ca_peers(area=area, limit=3), assumptions=model.assumptions)
    pack.charts["place_costs"] = bar_chart(
        title=f"Annual cost of measures 2 and 4 sized to {area.name}, by item",
        rows=[(i.label, i.amount) for i in sizing.items])
    pack.charts["national"] = bar_chart(
        title="Annual UK cost of the brief's four measures, default scenario",
        rows=[(f"Measure {m}", v) for m, v in national.by_measure.items()])
    ratings = {}
    for case in pack.rated_cases:
        key = f"SMS {case.sms_rating}" if case.sms_rating else "Not rated"
        ratings[key] = ratings.get(key, 0) + 1
    order = [f"SMS {n}" for n in (5, 4, 3, 2, 1)] + ["Not rated"]
    pack.charts["ratings"] = bar_chart(
        title="Evidence ratings of the cases in this pack",
        rows=[(k, float(ratings[k])) for k in order if k in ratings],
        value_label=lambda v: f"{v:.0f} case{'s' if v != 1 else ''}", width=520)
    return pack


def pack_filename(area: Area) -> str:
    return f"locus-strategy-pack-{area.code}.pdf"


__all__ = ["StrategyPack", "strategy_pack_build", "pack_filename", "money_short"]
