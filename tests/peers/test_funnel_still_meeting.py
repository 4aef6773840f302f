"""The funnel's "Completed" stage (same kind of defect as QA H20 F3): firms that came to their
first meeting and whose group still has meetings to come are still meeting, not drop-outs;
once the group's meetings are all held, a firm short of the completion count has dropped off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from locus.peers.models import Attendance, Firm
from locus.peers.models.meetings import Presence
from locus.peers.selectors import programme_funnel
from tests.peers.conftest import login

pytestmark = pytest.mark.django_db


def _stage(programme, key):
    return next(s for s in programme_funnel(programme=programme) if s.key == key)


@pytest.fixture
def attended(programme, group, meetings):
    """The group's firms joined before its first meeting; every firm came to the three
    meetings held, one firm is withdrawn; one meeting is still to come (completion needs 4)."""
    members = list(group.firms.order_by("pk"))
    Firm.objects.filter(group=group).update(grouped_at=meetings[0].starts_at - timedelta(days=1))
    for meeting in meetings[:3]:
        for firm in members:
            Attendance.objects.create(meeting=meeting, firm=firm, status=Presence.PRESENT)
    Firm.objects.filter(pk=members[-1].pk).update(withdrawn_at=timezone.now())
    return members


def test_firms_whose_group_still_meets_are_not_dropped_off(client, programme, attended,
                                                           manager):
    assert programme.completion_meetings == 4
    completed = _stage(programme, "completed")
    assert completed.previous == len(attended) and completed.count == 0
    # the withdrawn firm has dropped off; the others are still meeting
    assert (completed.waiting, completed.drop_off) == (len(attended) - 1, 1)
    assert completed.share == 0
    html = login(client, manager).get(f"/peers/{programme.slug}/").content.decode()
    assert f"{len(attended) - 1} firms are still meeting (their group has meetings still to come)" \
        in html
    api = client.get(f"/api/v1/peers/programmes/{programme.slug}")
    assert api.status_code == 200
    stage = next(s for s in api.json()["funnel"] if s["key"] == "completed")
    assert (stage["waiting"], stage["drop_off"]) == (len(attended) - 1, 1)


def test_once_the_groups_meetings_are_all_held_firms_short_of_completion_drop_off(
        programme, attended, meetings):
    meetings[3].starts_at = timezone.now() - timedelta(hours=1)
    meetings[3].save(update_fields=["starts_at"])
    Attendance.objects.create(meeting=meetings[3], firm=attended[0], status=Presence.PRESENT)
    completed = _stage(programme, "completed")
    assert (completed.count, completed.waiting) == (1, 0)
    assert completed.drop_off == len(attended) - 1
