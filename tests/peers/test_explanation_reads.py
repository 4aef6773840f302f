"""Showing a group never writes. A group saved before its explanation was kept as facts (version 1:
sentences, and the engine's part as sentences) is shown from facts worked out again from its
members when a page or the API reads it, and the stored explanation stays as it was until the
groups next change (forming, moving or locking a firm, a withdrawal)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from locus.peers import explain
from locus.peers import groups as peers_groups
from locus.peers.groups import firm_move, groups_explanations_compute, groups_refresh_explanations
from locus.peers.models import PeerGroup
from tests.peers.conftest import login

pytestmark = pytest.mark.django_db
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.I)


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if WRITES.match(q["sql"])]


def _get(client, url: str):
    """GET url and the SQL writes it made."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response, _writes(ctx.captured_queries)


def _legacy(group) -> dict:
    """An explanation as saved before facts were kept (peers before 29 November 2026): the figures
    and sentences of the day, and the engine's summary and reasons as sentences."""
    return {"size": 6, "mode": "alternating", "divisions": 5, "over_cap": {}, "max_km": 9.1,
            "mean_km": 4.2, "employees": [3, 40], "shared_themes": ["Exporting"],
            "pairs_sharing_theme": 4, "pairs": 15, "locked": 0,
            "lines": ["6 firms from 5 industry divisions (SIC 2007).",
                      "Shared interests: Exporting (3)."],
            "engine": {"summary": "G01: old summary with a hard constraint",
                       "fairness_rank": 1, "mean_pair_cost": 0.5, "costs": {},
                       "firms": {str(f.pk): {"reasons": ["old reason"], "alternative": None}
                                 for f in group.firms.all()}}}


@pytest.fixture
def legacy(group):
    """Every group of the programme saved in the old form; returns the first one's stored value."""
    for g in group.programme.groups.all():
        PeerGroup.objects.filter(pk=g.pk).update(explanation=_legacy(g))
    group.refresh_from_db()
    return group.explanation


def _stored(programme) -> dict[int, dict]:
    return dict(programme.groups.values_list("pk", "explanation"))


def test_the_detector_sees_a_write():
    assert _writes([{"sql": 'UPDATE "peers_peergroup" SET "explanation" = 1'},
                    {"sql": "  insert into x values (1)"}, {"sql": "SELECT 1"}]) == [
        'UPDATE "peers_peergroup" SET "explanation" = 1', "  insert into x values (1)"]


def test_refreshing_is_a_write_the_capture_sees(programme, grouped):
    with CaptureQueriesContext(connection) as ctx:
        groups_refresh_explanations(programme=programme)
    assert any("peers_peergroup" in sql for sql in _writes(ctx.captured_queries))


def test_showing_an_old_group_writes_nothing_anywhere(client, group, legacy, manager,
                                                      facilitator, member):
    programme = group.programme
    before = _stored(programme)
    urls = {manager: [f"/peers/groups/{group.pk}/", f"/peers/{programme.slug}/groups/",
                      f"/api/v1/peers/groups/{group.pk}"],
            facilitator: [f"/peers/groups/{group.pk}/", f"/api/v1/peers/groups/{group.pk}"],
            member: ["/peers/my/", f"/peers/groups/{group.pk}/"]}
    for user, pages in urls.items():
        login(client, user)
        for url in pages:
            _, writes = _get(client, url)
            assert writes == [], (user.username, url, writes)
        client.logout()
    assert _stored(programme) == before  # still the old form: nothing was saved


def _bullets(html: str) -> list[str]:
    block = html[html.index('id="explanation"'):]
    block = block[:block.index("</ul>")]
    return [unescape(li) for li in re.findall(r"<li>(.*?)</li>", block, flags=re.S)]


def test_an_old_group_shows_the_facts_of_its_members_today(client, group, legacy, manager):
    members = list(group.firms.filter(withdrawn_at__isnull=True))
    divisions = {f.sic[:2] for f in members}
    html, _ = _get(login(client, manager), f"/peers/groups/{group.pk}/")
    html = html.content.decode()
    lines = _bullets(html)
    # worked out from the members (an independent count), in today's words, not the stored ones
    assert lines[0] == (f"{len(members)} firms from {len(divisions)} "
                        f"industr{'y' if len(divisions) == 1 else 'ies'} (SIC 2007 divisions).")
    assert lines == explain.explanation_lines(
        groups_explanations_compute(programme=group.programme)[group.pk])
    assert "industry divisions (SIC 2007)" not in html and "Shared interests" not in html
    assert "old summary" not in html and "old reason" not in html
    # the engine's facts are worked out too: the mismatch figure and each firm's reasons
    assert "mismatch score for this group is" in html and 'id="firm-reasons"' in html
    overview = client.get(f"/peers/{group.programme.slug}/groups/").content.decode()
    assert lines[0] in unescape(overview)
    api = client.get(f"/api/v1/peers/groups/{group.pk}").json()
    assert api["explanation"] == lines


def test_a_member_of_an_old_group_reads_why_its_business_is_there(client, group, legacy, member):
    html = login(client, member).get("/peers/my/").content.decode()
    assert 'id="placement"' in html and "old reason" not in html


def test_a_current_group_is_shown_as_stored_without_running_the_engine(
        client, group, manager, monkeypatch):
    def refuse(**kwargs):
        raise AssertionError("a current group's explanation was worked out again")

    monkeypatch.setattr(peers_groups, "groups_explanations_compute", refuse)
    stored = explain.explanation_lines(group.explanation)
    html, writes = _get(login(client, manager), f"/peers/groups/{group.pk}/")
    assert writes == [] and _bullets(html.content.decode()) == stored


def test_the_next_change_to_the_groups_saves_the_facts(group, legacy):
    firm = group.firms.order_by("pk").first()
    firm_move(firm=firm, group=group)  # locking it where it is: a change to the groups
    group.refresh_from_db()
    assert group.explanation["version"] == explain.FACTS_VERSION
    assert not explain.explanation_is_stale(group.explanation)


@pytest.mark.parametrize("stored,stale", [
    (None, False), ({}, False),
    ({"lines": ["old"]}, True),  # version 1: sentences
    ({"version": explain.FACTS_VERSION, "engine": None}, False),  # no engine facts to keep
    ({"version": explain.FACTS_VERSION, "engine": {"facts": {}, "firms": {}}}, False),
    ({"version": explain.FACTS_VERSION, "engine": {"summary": "old", "firms": {}}}, True),
])
def test_which_stored_explanations_are_stale(stored, stale):
    assert explain.explanation_is_stale(stored) is stale
