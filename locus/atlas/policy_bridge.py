"""The atlas's answers to the policy room's extension points (``locus.policy.hooks``).

Registered by ``hooks.register_extensions`` when the policy app is installed; the policy room
never imports the atlas. Providers return plain values, or None when the atlas has nothing.
"""

from __future__ import annotations

from locus.errors import AtlasError

GAP_UNIT = "points on the 0-1 stage score"  # a gap is actual minus expected score


def weak_links_provider(area):
    """The area's weak pathway stages, weakest first (``locus.policy.hooks.WeakLinks``); where no
    stage is a significant weak link, the (up to two) stages furthest below expected, so noted.
    A district has weak links only at the stages scored for districts (ADR 0010); other levels the
    atlas does not score (ITL2, nations) get None."""
    from django.utils.module_loading import import_string

    from locus.atlas import selectors as sel
    from locus.atlas.text import gap_text

    try:
        atlas_area = sel.area_get(code=area.code)
        build = sel.build_live_get()
    except AtlasError:
        return None
    if not sel.scored(atlas_area.level):
        return None
    every = sorted(sel.weak_links_of(code=atlas_area.code, level=atlas_area.level).values(), key=lambda w: w.gap)
    links = [w for w in every if w.is_weak] or [w for w in every if w.gap < 0][:2]
    weak_links = import_string("locus.policy.hooks.WeakLinks")
    return weak_links(stages=[w.stage for w in links],
                      source=f"Locus atlas build {build.checksum[:12]} ({build.built_at[:10]})",
                      significant=frozenset(w.stage for w in links if w.is_weak),
                      notes={w.stage: (f"Weak link: gap {gap_text(w.gap, w.lo, w.hi)} {GAP_UNIT} against places like it"
                                       if w.is_weak else f"No weak link; the largest shortfall: gap "
                                       f"{gap_text(w.gap, w.lo, w.hi)} {GAP_UNIT}, within the uncertainty")
                             for w in links})


def pack_section_provider(area):
    """The weak links and opportunities part of the policy room's strategy pack."""
    from django.utils.module_loading import import_string

    from locus.atlas.profile import profile_get

    try:
        profile = profile_get(code=area.code)
    except AtlasError:
        return None
    if not profile.stages:
        return None
    pack_section = import_string("locus.policy.hooks.PackSection")
    return pack_section(title="Commercialisation pathway: weak links and opportunities",
                        template="atlas/_policy_pack_section.html", context={"profile": profile},
                        source=profile.provenance["source"])


def peer_features_provider(areas):
    """Latest pathway stage scores as extra columns for Combined Authority peer matching."""
    import math

    from django.utils.module_loading import import_string

    from locus.atlas import selectors as sel
    from locus.atlas.text import STAGE_TITLES
    from locus.pathways.stages import STAGE_IDS
    from locus.web.format import in_sentence

    try:
        build = sel.build_live_get()
    except AtlasError:
        return None
    scores = sel.latest_scores(level="ca")
    if not any((a.code, s) in scores for a in areas for s in STAGE_IDS):
        return None
    feature = import_string("locus.policy.peers.Feature")
    source = f"Locus atlas build {build.checksum[:12]} ({build.built_at[:10]})"
    features = [feature(f"atlas_{s}", f"{in_sentence(STAGE_TITLES[s])} score", "score (0-1)", source, decimals=2)
                for s in STAGE_IDS]
    columns = {f"atlas_{s}": [scores[(a.code, s)].score if (a.code, s) in scores else math.nan for a in areas]
               for s in STAGE_IDS}
    return features, columns


def business_count_provider(area):
    """Active enterprises (ONS business demography, the denominator of the birth rate) of the area
    and of the UK in the same year, to size peer networks in the policy room's pack."""
    from django.utils.module_loading import import_string

    from locus.atlas import models as m
    from locus.atlas import selectors as sel

    try:
        atlas_area = sel.area_get(code=area.code)
    except AtlasError:
        return None
    mine = (m.IndicatorValue.objects.filter(indicator_id="enterprise_birth_rate", area_code=atlas_area.code,
                                            level=atlas_area.level, denominator__isnull=False)
            .order_by("-year").first())
    if mine is None:
        return None
    uk = m.IndicatorValue.objects.filter(indicator_id="enterprise_birth_rate", level="uk", year=mine.year,
                                         denominator__isnull=False).first()
    if uk is None or not uk.denominator:
        return None
    count = import_string("locus.policy.hooks.BusinessCount")
    source = sel.input_sources(ids="ons_business_demography")[0]
    return count(count=round(mine.denominator), national=round(uk.denominator),
                 source="ONS Business demography (active enterprises)", vintage=str(mine.year),
                 licence=source["licence"])
