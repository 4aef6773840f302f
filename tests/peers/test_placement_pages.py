"""Why a firm is in its group, on its own page (for its members, without what they may not see of
the group), and the group page without the engine's summary repeating the list: the mismatch
figure for programme managers only, explained in words."""

from __future__ import annotations

import re
from html import unescape

import pytest

from locus.peers import explain
from locus.peers.models import Firm
from tests.peers.conftest import add_firm, login

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def _block(html: str, id_: str, end: str = "</ul>") -> str:
    start = html.index(f'id="{id_}"')
    return _text(html[start:html.index(end, start)])


def _own_firm(member) -> Firm:
    return member.peer_contact.firm


def test_a_member_reads_why_its_business_is_in_its_group(client, group, member, monkeypatch):
    firm = _own_firm(member)
    html = login(client, member).get("/peers/my/").content.decode()
    assert f"Why the business is in group {group.label}" in html
    reasons = _block(html, "placement")
    group.refresh_from_db()
    names = {str(f.pk): f.name for f in group.firms.all()}
    expected = explain.own_placement_reasons(group.explanation, firm.pk, names)
    assert expected and all(r in reasons for r in expected)
    mates = group.firms.count() - 1
    assert re.search(rf"Shares a learning theme with \d+ of {mates} group-mates", reasons)
    assert f"{firm.employees} employees; its group-mates have" in reasons
    # a wording change in the engine's words reaches the page (the same wording functions)
    from locus.grouping import wording

    real = wording._reason
    monkeypatch.setattr(wording, "_reason", lambda f: "NEW " + real(f))
    assert "NEW" in _block(client.get("/peers/my/").content.decode(), "placement")


def test_the_reasons_show_nothing_of_other_firms_a_member_cannot_see(client, programme, group,
                                                                     member, gm_postcodes):
    """The group page shows a member its group-mates' names, industries, sizes and districts,
    never their learning themes, postcodes or exact distances, nor other groups."""
    firm = _own_firm(member)
    outsider = add_firm(programme, gm_postcodes[40], 40, name="Outsider Secrets Ltd",
                        name_key="outsider secrets")
    other_label = programme.groups.exclude(pk=group.pk).order_by("label").first().label
    theme = programme.themes.get(name="Selling online")
    explanation = dict(group.explanation)
    engine = dict(explanation["engine"])
    engine["firms"] = {**engine["firms"], str(firm.pk): {"facts": [
        {"code": "themes", "sharing": 3, "mates": 5, "common": [theme.name]},
        {"code": "distance", "min_km": 0.4, "max_km": 12.3},
        {"code": "together", "with": [str(outsider.pk)]},
        {"code": "alternative", "group": other_label, "there": 0.9132, "here": 0.4871},
        {"code": "no_such_code", "secret": "Outsider Secrets Ltd"},
    ]}}
    explanation["engine"] = engine
    type(group).objects.filter(pk=group.pk).update(explanation=explanation)
    firm.themes.set([t for t in programme.themes.all() if t.pk != theme.pk])
    html = login(client, member).get("/peers/my/").content.decode()
    reasons = _block(html, "placement")
    assert "Shares a learning theme with 3 of 5 group-mates" in reasons
    assert "All its group-mates are within 13 km" in reasons
    assert "Another group could also have taken it, but the business matches this group " \
           "better" in reasons
    page = _text(html)
    # a group-mate's theme, a firm outside the group, another group, the engine's figures
    for secret in (theme.name, "Outsider Secrets Ltd", f"group {other_label}", "0.4 km",
                   "12.3", "0.91", "0.49", "mismatch"):
        assert secret not in page, secret
    for mate in group.firms.exclude(pk=firm.pk):
        assert mate.postcode not in page


def test_no_reasons_for_a_firm_that_left_or_a_group_saved_without_facts(client, group, member):
    firm = _own_firm(member)
    assert explain.own_placement_reasons({"lines": ["old"]}, firm.pk, {}) == []
    Firm.objects.filter(pk=firm.pk).update(withdrawn_at=firm.registered_at)
    html = login(client, member).get("/peers/my/").content.decode()
    assert 'id="placement"' not in html and "Why the business is in" not in html


def test_the_group_page_no_longer_repeats_the_list_and_keeps_the_figure_for_managers(
        client, group, manager, facilitator, member):
    group.refresh_from_db()
    facts = group.explanation["engine"]["facts"]
    figure = f"{facts['mean_pair_cost']:.2f}"
    html = login(client, manager).get(f"/peers/groups/{group.pk}/").content.decode()
    assert "Group-formation engine:" not in html and 'id="engine-summary"' not in html
    assert _text(html).count("pairs of firms share") == 1  # the bullet, not a second time
    match = _block(html, "engine-match", "</details>")
    assert "How well matched this group is" in match
    assert f"mismatch score for this group is {figure} per pair of firms" in match
    assert "0 would be a perfect match, and higher is worse" in match
    assert "share no learning theme" in match and "a difference in size" in match
    n = facts["n_groups"]
    assert (f"Of the programme’s {n} groups" in match) if n > 1 else "only group" in match
    for user in (facilitator, member):
        client.logout()
        page = login(client, user).get(f"/peers/groups/{group.pk}/").content.decode()
        assert page.count("mismatch") == 0 and 'id="engine-match"' not in page


def test_the_mismatch_words_follow_how_the_group_meets():
    facts = {"mean_pair_cost": 0.6412, "fairness_rank": 1, "n_groups": 3, "limit_km": 25,
             "mode": "in_person", "repeat_pairs": 0}
    text = " ".join(explain.engine_match({"engine": {"facts": facts}})["text"])
    assert "0.64 per pair of firms" in text and "1 for a pair 25 km apart" in text
    assert "it is the least well matched" in text and "earlier group" not in text
    online = " ".join(explain.engine_match({"engine": {"facts": {
        **facts, "mode": "online", "fairness_rank": 3, "repeat_pairs": 2}}})["text"])
    assert "km" not in online and "it is the best matched" in online
    assert "2 for each pair that were in an earlier group together (2 pairs here)" in online
    assert explain.engine_match({"engine": {"summary": "old"}}) is None
