"""A Combined Authority with no stage below what is expected (QA H25 findings 1 and 2): the place page
and the strategy pack never say the atlas is missing when it answers, name the stage furthest below
the national median and the weak links inside the authority, and always show cases.

The first tests use stand-ins for the atlas; the last builds the real atlas from the bundled data and
checks every Combined Authority."""

from __future__ import annotations

import math
import re

import pytest

from locus.policy import hooks
from locus.policy.peers import Feature

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("policy_library")]
CASE_ROW = re.compile(r'href="/policy/cases/[a-z0-9-]+/"')
CAPTION = "Evidence ratings of the cases above"


@pytest.fixture
def stand_in_no_shortfall():
    """The atlas answers for every place; no stage of a CA falls short; one ITL3 area of Greater
    Manchester (TLD33, Manchester) has a significant weak link at productivity."""
    from locus.policy.places import ca_list

    def weak(area):
        if area.code == "TLD33":
            return hooks.WeakLinks(["productivity"], "Test atlas, 2026", {"productivity": "Weak link: gap -0.20"},
                                   significant=frozenset({"productivity"}))
        return hooks.WeakLinks([], "Test atlas, 2026", {}, significant=frozenset())

    def features(areas):
        codes = [a.code for a in areas]
        # Greater Manchester is furthest below the median at knowledge exchange (0.10 against 0.50)
        ke = [0.10 if c == "E47000001" else 0.50 for c in codes]
        other = [0.60 if c == "E47000001" else 0.50 for c in codes]
        return ([Feature("atlas_knowledge_exchange", "ke score", "", "Test atlas, 2026"),
                 Feature("atlas_formation", "formation score", "", "Test atlas, 2026")],
                {"atlas_knowledge_exchange": ke, "atlas_formation": other})

    hooks.WEAK_LINK_PROVIDERS.append(weak)
    hooks.PEER_FEATURE_PROVIDERS.append(features)
    assert len(ca_list()) >= 3
    yield
    hooks.WEAK_LINK_PROVIDERS.remove(weak)
    hooks.PEER_FEATURE_PROVIDERS.remove(features)


def test_no_shortfall_is_not_a_missing_atlas_and_still_gives_stages_and_cases(client, stand_in_no_shortfall):
    page = client.get("/policy/places/E47000001/").content.decode()
    assert "has not been built" not in page and 'id="atlas-missing"' not in page
    assert 'id="no-shortfall"' in page and "No stage falls short of what is expected" in page
    assert re.search(r'id="below-median-stage">knowledge exchange<', page)
    assert "score 0.10 against a national median of 0.50" in page
    assert 'id="inner-links"' in page and "Manchester" in page and "Weak link: gap -0.20" in page
    assert "Furthest below the national median: Knowledge exchange" in page
    assert "A weak link inside Greater Manchester: Productivity outcome" in page
    assert 'id="cases-knowledge_exchange"' in page and 'id="cases-productivity"' in page


def test_the_pack_shows_cases_by_the_same_rule(client, stand_in_no_shortfall):
    pack = client.get("/policy/packs/E47000001/").content.decode()
    section = pack[pack.index('id="cases-heading"'):pack.index('id="measures-heading"')]
    assert "has not been built" not in pack
    assert "Furthest below the national median: Knowledge exchange" in section
    assert "A weak link inside Greater Manchester: Productivity outcome" in section
    assert len(CASE_ROW.findall(section)) >= 2 and CAPTION in section
    assert "No stage of Greater Manchester's pathway falls short" in section


def test_a_pack_whose_stages_have_no_case_falls_back_to_the_measures(client, monkeypatch):
    """Stages with no case in the library: the cases of the brief's measures, never an empty section."""
    from locus.policy import packs

    monkeypatch.setattr(packs, "cases_for_stage", lambda **kw: [])

    def weak(area):
        return hooks.WeakLinks(["formation"], "Test atlas, 2026", {}, significant=frozenset({"formation"}))

    hooks.WEAK_LINK_PROVIDERS.append(weak)
    try:
        pack = client.get("/policy/packs/E47000001/").content.decode()
    finally:
        hooks.WEAK_LINK_PROVIDERS.remove(weak)
    section = pack[pack.index('id="cases-heading"'):pack.index('id="measures-heading"')]
    assert "Measure 2:" in section and CASE_ROW.search(section) and CAPTION in section


def test_no_chart_or_caption_without_cases(client, monkeypatch):
    from locus.policy import packs

    monkeypatch.setattr(packs, "cases_for_stage", lambda **kw: [])
    monkeypatch.setattr(packs, "_cases_for_measure", lambda m, area: [])
    pack = client.get("/policy/packs/E47000001/").content.decode()
    assert CAPTION not in pack and 'id="ratings-chart"' not in pack


# --- the real atlas, every Combined Authority ----------------------------------------------------------

@pytest.fixture(scope="module")
def real_atlas(django_db_setup, django_db_blocker, tmp_path_factory):
    from pathlib import Path

    from locus.atlas.selectors import cache_clear
    from locus.atlas.services import atlas_load
    from locus.pipeline.runner import atlas_build
    from tests.atlas_tables import atlas_tables_clear

    out = tmp_path_factory.mktemp("atlas-build") / "atlas"
    atlas_build(data_dir=Path(__file__).resolve().parents[2] / "data" / "atlas", out_dir=out)
    with django_db_blocker.unblock():
        atlas_load(atlas_dir=out)
    cache_clear()
    yield
    with django_db_blocker.unblock():
        atlas_tables_clear()


def test_every_combined_authority_gets_stages_and_cases_never_a_missing_atlas(client, real_atlas, monkeypatch):
    from locus.atlas import policy_bridge
    from locus.atlas.selectors import cache_clear, latest_scores, stage_medians
    from locus.policy.places import ca_list

    cache_clear()
    monkeypatch.setattr(hooks, "WEAK_LINK_PROVIDERS", [policy_bridge.weak_links_provider])
    monkeypatch.setattr(hooks, "PACK_SECTION_PROVIDERS", [policy_bridge.pack_section_provider])
    monkeypatch.setattr(hooks, "PEER_FEATURE_PROVIDERS", [policy_bridge.peer_features_provider])
    cas = ca_list()
    assert len(cas) == 15
    medians, scores = stage_medians(level="ca"), latest_scores(level="ca")
    no_shortfall = []
    for ca in cas:
        page = client.get(f"/policy/places/{ca.code}/").content.decode()
        assert "has not been built" not in page and "atlas-missing" not in page, ca.name
        assert re.search(r'id="cases-[a-z_]+"', page), f"{ca.name}: no cases"
        if 'id="no-shortfall"' in page:
            no_shortfall.append(ca.code)
            # oracle: the atlas's own national medians give the same furthest-below stage
            rel = {s: scores[(ca.code, s)].score - med for s, med in medians.items()
                   if (ca.code, s) in scores and math.isfinite(scores[(ca.code, s)].score)}
            worst = min(rel, key=rel.get)
            from locus.policy.schema import STAGE_LABELS
            assert f"Furthest below the national median: {STAGE_LABELS[worst]}".replace("&", "&amp;") in page \
                or rel[worst] >= 0, ca.name
        pack = client.get(f"/policy/packs/{ca.code}/").content.decode()
        section = pack[pack.index('id="cases-heading"'):pack.index('id="measures-heading"')]
        assert "has not been built" not in pack, ca.name
        assert CASE_ROW.search(section), f"{ca.name}: empty cases section in the pack"
    assert no_shortfall, "the bundled atlas has no Combined Authority without a shortfall: the test checks nothing"
