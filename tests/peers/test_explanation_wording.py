"""Saved groups, formation runs and failed formations keep facts, not sentences: the pages word
them afresh, so a wording change reaches every saved programme, and nothing shows the solver's
jargon ("hard constraint", "infeasible", codes in brackets)."""

from __future__ import annotations

import pytest

from locus.grouping import wording
from locus.peers import explain
from locus.peers.groups import groups_refresh_explanations
from locus.peers.models import FormationJob, FormationRun
from tests.peers.conftest import login

pytestmark = pytest.mark.django_db


def _texts(value) -> list[str]:
    """Every string stored in a JSON value that reads like a sentence (has a space)."""
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return [value] if isinstance(value, str) and " " in value else []


def test_a_group_stores_facts_and_no_sentences(grouped, programme):
    for group in programme.groups.all():
        stored = group.explanation
        assert stored["version"] == explain.FACTS_VERSION
        assert "lines" not in stored and "summary" not in stored["engine"]
        assert all("reasons" not in why for why in stored["engine"]["firms"].values() if why)
        # theme names may hold spaces ("Cloud accounting"); nothing else is a sentence
        themes = set(programme.themes.values_list("name", flat=True))
        assert set(_texts(stored)) <= themes


def test_a_wording_change_reaches_saved_groups_without_forming_them_again(
        client, group, manager, monkeypatch):
    page = login(client, manager).get(f"/peers/groups/{group.pk}/").content.decode()
    assert "Why these firms are together" in page and "share at least one theme" in page
    monkeypatch.setattr(explain, "_lines", lambda facts: [f"NEW WORDS for {facts['size']} firms"])
    monkeypatch.setitem(wording._MODES, "either", "NEW REASON WORDS")
    monkeypatch.setattr(explain, "_rank_text", lambda rank, n: f"NEW RANK WORDS {rank}/{n}")
    page = client.get(f"/peers/groups/{group.pk}/").content.decode()
    assert f"NEW WORDS for {group.firms.count()} firms" in page
    assert "NEW RANK WORDS" in page and "NEW REASON WORDS" in page
    overview = client.get(f"/peers/{group.programme.slug}/groups/").content.decode()
    assert f"NEW WORDS for {group.firms.count()} firms" in overview


def test_the_api_words_the_explanation_like_the_page(client, group, manager, monkeypatch):
    monkeypatch.setattr(explain, "_lines", lambda facts: ["API WORDS"])
    body = login(client, manager).get(f"/api/v1/peers/groups/{group.pk}").json()
    assert body["explanation"] == ["API WORDS"]


def _legacy(group) -> dict:
    """An explanation as saved before facts were kept: sentences only, in old words."""
    return {"size": 6, "mode": "alternating", "lines": ["6 firms from 5 industry divisions "
                                                        "(SIC 2007)."],
            "engine": {"summary": "G01: old summary with a hard constraint",
                       "firms": {str(f.pk): {"reasons": ["old reason"], "alternative": None}
                                 for f in group.firms.all()}}}


def test_legacy_groups_are_worded_again_from_their_members(client, group, manager):
    type(group).objects.filter(pk=group.pk).update(explanation=_legacy(group))
    page = login(client, manager).get(f"/peers/groups/{group.pk}/").content.decode()
    assert "old summary" not in page and "old reason" not in page
    assert "industry divisions (SIC 2007)" not in page
    assert "industries (SIC 2007 divisions)" in page
    group.refresh_from_db()  # shown from facts worked out when read; nothing saved (a GET)
    assert group.explanation == _legacy(group)


def test_legacy_sentences_are_the_fallback_when_facts_are_missing():
    assert explain.explanation_lines({"lines": ["old line"]}) == ["old line"]
    assert explain.engine_firm_reasons({"engine": {"summary": "old", "firms": {
        "1": {"reasons": ["a", "b"]}}}}, {}) == {"1": ["a", "b"]}
    assert explain.explanation_lines(None) == []


def test_an_unplaced_firm_is_named_and_told_why_in_plain_words(client, programme, firms,
                                                               manager):
    loner = firms[0]
    loner.avoid.set(firms[1:])  # kept apart from every other firm: no group can take it
    login(client, manager)
    client.post(f"/peers/{programme.slug}/groups/", {
        "min_size": "5", "max_size": "7", "max_km": "40", "competitor_km": "25",
        "sector_cap": "2", "time_limit": "1"})
    run = FormationRun.objects.get()
    (u,) = run.unplaced
    assert u["firm_id"] == loner.pk and u["code"] == "partner_shortage"
    assert u["facts"]["firms"] == [str(loner.pk)] and u["facts"]["competitors"] == 17
    page = client.get(f"/peers/{programme.slug}/groups/").content.decode()
    assert (f"No grouping can keep {loner.name} away from its competitors with groups of 5 to 7 "
            "firms: only 0 other firms could share a group with it") in page
    assert "hard constraint" not in page and "[partner_shortage]" not in page


@pytest.mark.parametrize("old,new", [
    ("no group could take it without breaking a hard constraint for someone else",
     "No group could take it without breaking a grouping rule for another firm: groups of 5 to 7 "
     "firms, competitors and firms to keep apart in different groups, and every pair meeting in "
     "person within 40 km. Place it by hand, or relax one of those settings."),
    ("the 2 group(s) it could join are full (7) and too few firms remain to open a new group of 5",
     "The 2 groups it could join are full (7 firms, the largest group size), and too few firms "
     "are left to start a new group of at least 5. Raise the largest group size, or lower the "
     "smallest."),
    ("every group holds a competitor or avoided firm, meets in another mode, or is beyond 40 km",
     "No group could take it: each one holds a competitor of it"),
    ("3 in-person firm(s) within 40 km of each other cannot form a group of at least 5; "
     "in-person-only: {pk}", "No grouping can place {name} in person with groups of 5 to 7 firms"),
    ("{pk} can share a group with only 2 other firm(s) (after competitors, avoided firms, meeting "
     "mode and the 40 km limit); a group needs at least 5",
     "No grouping can place {name} with groups of 5 to 7 firms: only 2 other firms could share"),
    ("words no version wrote", "words no version wrote"),
])
def test_runs_saved_in_old_words_read_in_todays(client, programme, firms, manager, old, new):
    firm = firms[0]
    FormationRun.objects.create(
        programme=programme, kind="form", n_firms=18, n_groups=0, status="FEASIBLE",
        settings={"min_size": 5, "max_size": 7, "max_km": 40.0, "competitor_km": 25.0},
        unplaced=[{"firm_id": firm.pk, "name": firm.name, "reason": old.format(pk=firm.pk)}])
    page = login(client, manager).get(f"/peers/{programme.slug}/groups/").content.decode()
    assert new.format(name=firm.name) in page.replace("&#39;", "'")
    assert "hard constraint" not in page


def test_an_impossible_formation_says_why_in_plain_words(client, programme, grouped, manager,
                                                        monkeypatch):
    target = programme.groups.order_by("label").first()
    programme.firms.filter(group=target).update(group_locked=True)  # locked by hand
    size = target.firms.count()
    login(client, manager)
    response = client.post(f"/peers/{programme.slug}/groups/", {
        "min_size": "3", "max_size": str(size - 1), "max_km": "40", "competitor_km": "25",
        "sector_cap": "2", "time_limit": "1"})
    job = FormationJob.objects.get()
    assert job.status == "failed"
    (d,) = job.diagnoses
    assert d["code"] == "locked_size" and d["facts"]["size"] == size
    expected = (f"No grouping can keep group {target.label} within groups of 3 to {size - 1} "
                f"firms: {size} firms are locked into it. Unlock 1 firm from group "
                f"{target.label}, or raise the largest group size to {size}.")
    page = client.get(response["Location"]).content.decode()
    assert expected in page and "hard constraint" not in page and "[locked_size]" not in page
    # the page words the stored facts afresh
    monkeypatch.setitem(wording._DIAGNOSES, "locked_size", lambda f: f"NEW {f['group']}")
    page = client.get(response["Location"]).content.decode()
    assert f"NEW {target.label}" in page and expected not in page


def test_group_refresh_keeps_the_facts_json_ready(grouped, programme):
    groups_refresh_explanations(programme=programme)
    import json

    for group in programme.groups.all():
        json.dumps(group.explanation)
