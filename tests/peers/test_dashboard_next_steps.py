"""The dashboard before meetings start (QA H20 F3, F2): placed firms whose group has not met
are waiting for their first meeting, not drop-outs; Next steps name every group still without a
facilitator or meetings; a declared waitlist comparison group that is still empty is flagged on
the dashboard, the Form groups page and the outcomes page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from locus.peers.models import Attendance, Firm
from locus.peers.models.meetings import Presence
from locus.peers.selectors import programme_funnel
from locus.peers.services import comparison_allocate
from tests.peers.conftest import login

pytestmark = pytest.mark.django_db


def _stage(programme, key):
    return next(s for s in programme_funnel(programme=programme) if s.key == key)


def test_placed_firms_whose_group_has_not_met_are_waiting_not_dropped(client, programme,
                                                                      grouped, manager):
    first = _stage(programme, "first_meeting")
    placed = _stage(programme, "grouped").count
    assert placed > 0
    assert (first.count, first.waiting, first.drop_off, first.share) == (0, placed, 0, None)
    html = login(client, manager).get(f"/peers/{programme.slug}/").content.decode()
    assert f"{placed} firms are waiting for their first meeting" in html


def test_once_a_group_has_met_its_absent_firms_drop_off_and_the_rest_still_wait(
        programme, group, meetings):
    members = list(group.firms.order_by("pk"))
    # the group's firms joined before its first meeting
    Firm.objects.filter(group=group).update(grouped_at=meetings[0].starts_at - timedelta(days=1))
    Attendance.objects.create(meeting=meetings[0], firm=members[0], status=Presence.PRESENT)
    first = _stage(programme, "first_meeting")
    placed = _stage(programme, "grouped").count
    assert first.count == 1
    assert first.waiting == placed - len(members)
    assert first.drop_off == len(members) - 1
    assert first.share == pytest.approx(1 / len(members))


def test_next_steps_name_every_group_without_a_facilitator_or_meetings(client, programme,
                                                                       group, meetings, manager):
    others = list(programme.groups.exclude(pk=group.pk).order_by("label"))
    assert others, "the fixture forms more than one group"
    html = login(client, manager).get(f"/peers/{programme.slug}/").content.decode()
    steps = html[html.index("Next steps"):html.index("</ul>", html.index("Next steps"))]
    for other in others:
        assert f"Group {other.label}</a>: assign a facilitator and schedule its meetings" in steps
    assert f"Group {group.label}</a>:" not in steps  # it has a facilitator and meetings


def test_an_empty_waitlist_is_flagged_before_groups_are_formed(client, programme, firms,
                                                               manager):
    login(client, manager)
    html = client.get(f"/peers/{programme.slug}/").content.decode()
    assert 'id="step-waitlist"' in html and "on the waitlist first" in html
    assert 'id="no-waitlist"' in client.get(f"/peers/{programme.slug}/groups/").content.decode()
    comparison_allocate(programme=programme, share=0.3, seed=1)
    html = client.get(f"/peers/{programme.slug}/").content.decode()
    assert 'id="step-waitlist"' not in html
    assert 'id="no-waitlist"' not in client.get(
        f"/peers/{programme.slug}/groups/").content.decode()


def test_the_outcomes_page_says_when_a_declared_comparison_group_has_no_firms(
        client, programme, grouped, manager):
    html = login(client, manager).get(f"/peers/{programme.slug}/outcomes/").content.decode()
    assert 'id="no-comparison-firms"' in html
    assert "has no comparison firms" in html and "can never be a comparison firm" in html
    assert 'id="comparison-reading"' not in html


def test_a_programme_without_a_comparison_group_is_not_warned(client, programme, firms,
                                                              manager):
    programme.comparison = "none"
    programme.save()
    login(client, manager)
    assert 'id="step-waitlist"' not in client.get(f"/peers/{programme.slug}/").content.decode()
    assert 'id="no-comparison-firms"' not in client.get(
        f"/peers/{programme.slug}/outcomes/").content.decode()


def test_grammar_of_the_survey_counts(client, programme, grouped, manager):
    from locus.peers.outcomes import diagnostic_submit

    firm = Firm.objects.filter(programme=programme, group__isnull=False).first()
    answers = {"ci_problems": "fixed", "kpi_count": "none", "targets_timeframe": "none",
               "promotion": "merit", "underperformance": "within6", "training": "some",
               **{f"tech_{k}": "no" for k in ("cloud", "ecommerce", "accounting", "crm",
                                              "analytics", "ai", "iot", "automation", "cyber",
                                              "remote")}}
    diagnostic_submit(firm=firm, wave="baseline", answers=answers, enforce_window=False)
    html = login(client, manager).get(f"/peers/{programme.slug}/outcomes/").content.decode()
    assert "Baseline: 1 participant, 0 comparison firms" in html
