"""Changing a programme's dates: nothing may be left outside them (costs, meetings, cohorts),
and a programme whose stored dates are out of the plausible range can still be edited."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from locus.peers.costs import cost_record, cost_remove
from locus.peers.errors import PeersFieldError, PeersFieldErrors
from locus.peers.models import Programme
from locus.peers.programmes import cohort_create, programme_update
from locus.peers.services import ProgrammeData
from tests.peers.conftest import date_parts, login
from tests.peers.test_manage import edit_data

pytestmark = pytest.mark.django_db


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _update(programme: Programme, **dates) -> int:
    return programme_update(programme=programme, data=ProgrammeData(
        name=programme.name, starts_on=dates.get("starts_on", programme.starts_on),
        ends_on=dates.get("ends_on", programme.ends_on), budget=programme.budget,
        place_codes=[a.code for a in programme.places.all()],
        themes=[(t.name, t.kind) for t in programme.themes.all()]))


@pytest.fixture
def spent(programme, manager):
    """Two costs 80 and 70 days ago, and one 85 days ago that was removed (history only)."""
    today = timezone.localdate()
    for days, amount in ((80, "100"), (70, "250.50"), (85, "75")):
        entry = cost_record(programme=programme, category="hosting", amount=Decimal(amount),
                            incurred_on=today - timedelta(days=days), description="Room")
    cost_remove(entry=entry, reason="Entered twice", user=manager)
    return today


def test_a_later_start_that_would_leave_costs_and_meetings_before_it_is_refused(
        programme, spent, meetings):
    today, start = spent, spent - timedelta(days=50)  # meeting 60 days ago; costs 80 and 70
    with pytest.raises(PeersFieldError) as caught:
        _update(programme, starts_on=start)
    assert caught.value.field == "starts_on"
    assert str(caught.value) == (
        f"2 cost entries and 1 meeting are dated before {_day(start)}: choose a start date on "
        f"or before {_day(today - timedelta(days=80))}, or first correct or remove the cost "
        "entries on the Costs page and move or cancel the meetings")
    programme.refresh_from_db()
    assert programme.starts_on == today - timedelta(days=90)


def test_an_earlier_end_that_would_leave_a_meeting_after_it_is_refused(programme, meetings):
    end = timezone.localdate() + timedelta(days=10)  # a meeting in 24 days
    with pytest.raises(PeersFieldError, match=f"^1 meeting is dated after {_day(end)}: choose "
                       "an end date on or after .*move or cancel the meetings$") as caught:
        _update(programme, ends_on=end)
    assert caught.value.field == "ends_on"


def test_both_dates_are_named_at_once_and_a_cohort_counts(programme, spent, meetings):
    today = spent
    cohort_create(programme=programme, name="Spring", starts_on=today - timedelta(days=40))
    with pytest.raises(PeersFieldErrors) as caught:
        _update(programme, starts_on=today - timedelta(days=30), ends_on=today)
    assert [e.field for e in caught.value.errors] == ["starts_on", "ends_on"]
    assert str(caught.value.errors[0]).startswith("2 cost entries, 2 meetings and 1 cohort are "
                                                  "dated before")
    assert str(caught.value.errors[1]).startswith("1 meeting is dated after")


def test_dates_that_keep_everything_inside_are_saved_and_the_first_cohort_moves_along(
        programme, spent, meetings):
    today = spent
    start, end = today - timedelta(days=80), today + timedelta(days=24)
    _update(programme, starts_on=start, ends_on=end)
    programme.refresh_from_db()
    assert (programme.starts_on, programme.ends_on) == (start, end)
    assert programme.cohorts.get(name="Cohort 1").starts_on == start  # it began with the programme


def test_the_edit_page_shows_what_would_fall_outside_at_the_date_and_keeps_what_was_typed(
        client, programme, manager, spent, meetings):
    start = spent - timedelta(days=50)
    page = login(client, manager).post(
        f"/peers/{programme.slug}/edit/",
        edit_data(programme, summary="Typed summary", **date_parts("starts_on", start))
    ).content.decode()
    assert "<title>Error:" in page and 'href="#id_starts_on-day"' in page
    assert f"2 cost entries and 1 meeting are dated before {_day(start)}" in page
    assert f'name="starts_on-day" type="text" value="{start.day}"' in page
    assert "Typed summary" in page


def test_a_programme_stored_with_implausible_dates_can_still_be_edited_and_put_right(
        client, programme, manager):
    Programme.objects.filter(pk=programme.pk).update(starts_on=date(1999, 4, 1))
    programme.refresh_from_db()
    programme.cohorts.update(starts_on=date(1999, 4, 1))
    login(client, manager)
    # other settings can be saved while the stored start date stays as it is
    kept = client.post(f"/peers/{programme.slug}/edit/", edit_data(programme, summary="Kept"))
    assert kept.status_code == 302
    programme.refresh_from_db()
    assert programme.summary == "Kept" and programme.starts_on == date(1999, 4, 1)
    # a new date is held to the range, at its field
    page = client.post(f"/peers/{programme.slug}/edit/", edit_data(
        programme, **date_parts("starts_on", date(1999, 5, 1)))).content.decode()
    assert "Start date must be between 1 January 2000" in page
    assert 'href="#id_starts_on-day"' in page
    # and the date can be put right (the first cohort, which began with it, moves too)
    fixed = client.post(f"/peers/{programme.slug}/edit/", edit_data(
        programme, **date_parts("starts_on", date(2026, 4, 1))))
    assert fixed.status_code == 302
    programme.refresh_from_db()
    assert programme.starts_on == date(2026, 4, 1)
    assert programme.cohorts.get().starts_on == date(2026, 4, 1)


def test_only_a_date_moved_inwards_is_checked(programme, meetings):
    """A meeting already after the end (scheduled past it, say) does not block other edits,
    nor moving the end later to take it in."""
    from locus.peers.models import Meeting

    late = meetings[-1]
    Meeting.objects.filter(pk=late.pk).update(starts_at=late.starts_at + timedelta(days=400))
    programme.summary = "Edited"
    _update(programme)  # dates unchanged: saved
    _update(programme, ends_on=programme.ends_on + timedelta(days=30))  # later, still short
    programme.refresh_from_db()
    assert programme.ends_on == timezone.localdate() + timedelta(days=230)
    with pytest.raises(PeersFieldError, match="^1 meeting is dated after"):
        _update(programme, ends_on=programme.ends_on - timedelta(days=1))
