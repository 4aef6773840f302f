"""Scheduling in-person meetings without a venue the group can use (QA H20 F1, F9, F6): the
schedule page answered 500 (a PeersError escaped the view); now it shows a field error at
"Online or in person" with advice that fits the group and a link to the Venues page. The page
offers only the patterns the group can use, says "No venue this group can use yet" when the
programme's venues belong to other groups' hosts, and shows every problem in one round."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from locus.peers.models import Firm, Venue
from tests.peers.conftest import login

pytestmark = pytest.mark.django_db


def _post(client, group, **extra):
    data = {"first": (timezone.localdate() + timedelta(days=10)).isoformat(), "at": "09:30",
            "count": "4", "cadence": "monthly", "pattern": "in_person", "duration": "120",
            "video_url": "", **extra}
    return client.post(f"/peers/groups/{group.pk}/schedule/", data)


def _in_person_only(group):
    firm = group.firms.order_by("pk").first()
    Firm.objects.filter(pk=firm.pk).update(meeting_mode="in_person")
    group.mode = "in_person"
    group.save()
    return firm


def test_in_person_without_a_venue_is_a_field_error_not_a_500(client, group, manager):
    _in_person_only(group)
    response = _post(login(client, manager), group)
    html = response.content.decode()
    assert response.status_code == 200
    assert not group.meetings.exists()
    assert "govuk-error-summary" in html and 'href="#id_pattern"' in html
    assert "the programme has none yet" in html
    # an in-person-only group is not told to choose 'All online'
    assert "All online" not in html
    venues = f'/peers/{group.programme.slug}/venues/'
    assert f'href="{venues}"' in html


def test_an_alternating_group_is_told_it_may_meet_online_instead(client, group, manager):
    group.mode = "alternating"
    group.save()
    Firm.objects.filter(group=group).update(meeting_mode="either")
    response = _post(login(client, manager), group, pattern="alternate_in_person_first")
    html = response.content.decode()
    assert response.status_code == 200 and not group.meetings.exists()
    assert "or choose &#39;All online&#39;" in html or "or choose 'All online'" in html


def test_venues_only_of_other_groups_hosts_are_named_as_such(client, programme, group,
                                                            manager):
    _in_person_only(group)
    other = programme.groups.exclude(pk=group.pk).first()
    host = other.firms.first()
    Venue.objects.create(programme=programme, name="Other Works", postcode="M1 1AE",
                         host_firm=host)
    login(client, manager)
    page = client.get(f"/peers/groups/{group.pk}/schedule/").content.decode()
    assert f"No venue group {group.label} can use yet" in page
    assert "There are no venues yet" not in page
    assert f"No venue group {group.label} can use yet" in \
        client.get(f"/peers/groups/{group.pk}/").content.decode()
    assert "No venue group" in _post(client, group).content.decode()
    Venue.objects.create(programme=programme, name="Partner Hub", postcode="M1 1AE")
    assert _post(client, group).status_code == 302
    assert group.meetings.filter(venue__name="Partner Hub").count() == 4


def test_only_the_patterns_the_group_can_use_are_offered(client, group, manager):
    login(client, manager)
    group.mode = "online"
    group.save()
    html = client.get(f"/peers/groups/{group.pk}/schedule/").content.decode()
    assert 'value="online"' in html and 'value="in_person"' not in html
    assert 'value="alternate_online_first"' not in html
    _in_person_only(group)
    html = client.get(f"/peers/groups/{group.pk}/schedule/").content.decode()
    assert 'value="in_person"' in html and 'value="online"' not in html
    assert 'value="alternate_in_person_first"' not in html


def test_every_schedule_problem_shows_in_one_round(client, group, manager):
    _in_person_only(group)
    response = _post(login(client, manager), group,
                     first=(timezone.localdate() - timedelta(days=3)).isoformat(), at="25:99",
                     count="0")
    html = response.content.decode()
    assert response.status_code == 200
    for target in ("#id_first", "#id_at", "#id_count", "#id_pattern"):
        assert f'href="{target}' in html, target
    assert "must be today or in the future" in html
    assert "Start time must be a real time, like 09:30" in html


def test_the_calendar_link_shows_only_when_the_group_has_meetings(client, group, manager):
    login(client, manager)
    assert "Add these meetings to your calendar" not in \
        client.get(f"/peers/groups/{group.pk}/").content.decode()
