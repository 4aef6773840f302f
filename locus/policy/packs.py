"""Strategy evidence pack for a Combined Authority: one document, HTML and PDF.

Contents: the atlas's weak links and opportunities (through ``hooks``; when absent the pack
says the atlas has not been built for the place), relevant cases with their evidence ratings,
the brief's four measures sized to the place with their cost from the cost model, peer CAs, and
every source. Nothing is invented: a figure that Locus does not have is not shown.

The PDF (0.6-2.7 s of WeasyPrint) is kept on disk under ``LOCUS_DATA_DIR/cache/strategy-packs``,
keyed by the pack's whole rendered HTML as the atlas's evidence packs are (ADR 27): a case edited,
published or withdrawn, another atlas build, a new cost model or template all change the HTML and
so the file; nothing has to list what the pack depends on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from locus.file_cache import cached_bytes, content_key, pdf_valid
from locus.geography.models import Area
from locus.policy import costs
from locus.policy.charts import bar_chart, money_short
from locus.policy.costmodel import cost_model_get
from locus.policy.hooks import PackSection, WeakLinks, pack_sections_for
from locus.policy.models import Case, Layer
from locus.policy.places import PeerMatch, PlaceShare, ca_peers, place_share
from locus.policy.schema import STAGE_LABELS
from locus.policy.selectors import cases_for_stage, place_similarity, published_cases
from locus.policy.stages_chosen import StageChoice, stages_choose
from locus.web.pdf_budget import PdfBudget, with_admit

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
    reliance: costs.Reliance | None = None  # how far the verdict rests on Locus assumptions
    choice: StageChoice | None = None  # which stages the cases are for (stages_chosen)
    charts: dict[str, str] = field(default_factory=dict)
    assumptions: dict = field(default_factory=dict)

    @property
    def by_stage(self) -> bool:
        return any(not g.key.startswith("measure-") for g in self.case_groups)

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


def _case_groups(area: Area, choice: StageChoice) -> list[CaseGroup]:
    """Cases by the stages ``stages_choose`` picks (as the place page); by the brief's measures when it
    picks none, or when no picked stage has a case: the pack always shows cases."""
    groups = [CaseGroup(p.stage, f"{p.heading}: {STAGE_LABELS[p.stage]}", p.note,
                        cases_for_stage(stage=p.stage, area=area, limit=CASES_PER_GROUP)) for p in choice.picks]
    if any(g.cases for g in groups):
        return groups
    return [CaseGroup(f"measure-{m}", f"Measure {m}: {costs.MEASURES[m]}", MEASURE_ACTIONS[m],
                      _cases_for_measure(m, area)) for m in costs.MEASURES]


def strategy_pack_build(*, area: Area) -> StrategyPack:
    """Assemble the pack for one Combined Authority (the caller checks the level)."""
    model = cost_model_get()
    values = costs.defaults(model.assumptions)
    national = costs.breakdown(values)
    share = place_share(area=area)
    sizing = costs.place_sizing(values, share=share.share, basis=share.basis)
    choice = stages_choose(area=area)
    sections, failures = pack_sections_for(area)
    pack = StrategyPack(
        area=area, generated_at=timezone.now(), weak_links=choice.weak_links, atlas_sections=sections,
        atlas_failures=failures, case_groups=_case_groups(area, choice), choice=choice,
        share=share, sizing=sizing, national=national, verdict=costs.verdict(national.total),
        peers=ca_peers(area=area, limit=3), assumptions=model.assumptions,
        reliance=costs.reliance(model.assumptions, national))
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


# The PDF's HTML is rendered with this in place of the date, so that its cache key is the content
# without the day it was asked for; the date goes in when the PDF is made (a cached pack says when).
GENERATED_MARK = "LOCUSSTRATEGYPACKGENERATEDDATE"


def pack_cache_root() -> Path:
    return Path(settings.LOCUS_DATA_DIR) / "cache" / "strategy-packs"


def pack_pdf_render(html: str, base_url: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()


def pack_pdf_cached(*, code: str, html: str, base_url: str, generated: str,
                    budget: PdfBudget | None = None) -> tuple[bytes, bool]:
    """The strategy pack's PDF: from the cache when the same HTML (rendered with ``GENERATED_MARK`` for
    the date) was made into a PDF for the same site address by the same WeasyPrint; otherwise rendered
    with ``generated`` as the date, and kept. (bytes, served from the cache.) A new PDF of a Combined
    Authority removes its earlier one, so at most one a Combined Authority is kept. A new render is counted
    against ``budget`` first (``RenderRefused`` when over it); a cached PDF is not."""
    key = content_key(html, base_url, version("weasyprint"))
    return cached_bytes(pack_cache_root() / f"{code}-{key}.pdf", valid=pdf_valid, siblings=f"{code}-*.pdf",
                        make=with_admit(lambda: pack_pdf_render(html.replace(GENERATED_MARK, generated), base_url),
                                        budget))


__all__ = ["StrategyPack", "strategy_pack_build", "pack_filename", "money_short", "pack_pdf_cached",
           "GENERATED_MARK"]
