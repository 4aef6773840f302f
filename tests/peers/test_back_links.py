"""Transactional pages have a GOV.UK back link instead of breadcrumbs (QA H20 polish): the
schedule, correct-a-cost, remove-a-cost and attendance pages."""

from __future__ import annotations

import pytest

from tests.peers.conftest import login
from tests.peers.test_costs import _record

pytestmark = pytest.mark.django_db


def _back(html: str) -> str:
    assert "govuk-breadcrumbs" not in html
    start = html.index('class="govuk-back-link"')
    return html[html.rindex("<a", 0, start):html.index("</a>", start)]


def test_schedule_and_cost_pages_lead_back(client, programme, group, manager):
    login(client, manager)
    link = _back(client.get(f"/peers/groups/{group.pk}/schedule/").content.decode())
    assert f'href="/peers/groups/{group.pk}/"' in link and f"Back to group {group.label}" in link
    entry = _record(programme)
    for action in ("correct", "remove"):
        link = _back(client.get(
            f"/peers/{programme.slug}/costs/{entry.pk}/{action}/").content.decode())
        assert f'href="/peers/{programme.slug}/costs/"' in link and "Back to the ledger" in link


def test_attendance_leads_back_to_its_meeting(client, group, meetings, facilitator):
    held = meetings[0]
    link = _back(login(client, facilitator).get(
        f"/peers/meetings/{held.pk}/attendance/").content.decode())
    assert f'href="/peers/meetings/{held.pk}/"' in link and f"Back to meeting {held.number}" in link
