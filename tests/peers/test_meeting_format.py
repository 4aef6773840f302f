"""A firm that can only meet in person is never asked to meet online (QA H5: a DEMO firm told
"Can only meet in person" was in a group alternating in-person and online meetings, and came to
an online one). The engine placed it rightly, in a group that can meet in person; the peers app
then made every such group alternate. Now a group with such a member meets in person only, its
schedule defaults to all in person and refuses online meetings, and the demo follows. Also the
demo's firm count: --firms plus the late joiners, said in the help and the output."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from locus.cli import app
from locus.peers.errors import PeersFieldError
from locus.peers.groups import groups_form_programme
from locus.peers.meetings import meeting_update, schedule_create, schedule_pattern_default
from locus.peers.models import Firm, Meeting, Programme, Venue
from tests.peers.conftest import PASSWORD

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.fixture
def in_person_group(programme, firms, manager):
    """Two firms that can only meet in person, then groups formed by the engine."""
    Firm.objects.filter(pk__in=[firms[0].pk, firms[1].pk]).update(meeting_mode="in_person")
    groups_form_programme(programme=programme, user=manager)
    Venue.objects.create(programme=programme, name="Hub", postcode="M1 1AE")
    return Firm.objects.get(pk=firms[0].pk).group


def test_a_group_with_a_firm_that_can_only_meet_in_person_meets_in_person(programme,
                                                                          in_person_group):
    assert in_person_group is not None and in_person_group.mode == "in_person"
    assert schedule_pattern_default(group=in_person_group) == "in_person"
    for group in programme.groups.exclude(pk=in_person_group.pk):
        strict = group.firms.filter(meeting_mode="in_person").exists()
        # groups of firms that can meet either way still alternate (or meet online)
        assert group.mode in (("in_person",) if strict else ("alternating", "online"))
        expected = {"in_person": "in_person", "online": "online",
                    "alternating": "alternate_in_person_first"}[group.mode]
        assert schedule_pattern_default(group=group) == expected


@pytest.mark.parametrize("pattern", ["alternate_in_person_first", "alternate_online_first",
                                     "online"])
def test_a_schedule_with_online_meetings_is_refused_naming_the_firm(in_person_group, pattern):
    first = timezone.localdate() + timedelta(days=7)
    with pytest.raises(PeersFieldError) as caught:
        schedule_create(group=in_person_group, first=first, at=time(10, 0), count=4,
                        cadence="monthly", pattern=pattern, notify=False)
    assert caught.value.field == "pattern"
    names = in_person_group.firms.filter(meeting_mode="in_person").values_list("name", flat=True)
    assert all(name in str(caught.value) for name in names)
    assert "can only meet in person" in str(caught.value) and "All in person" in str(caught.value)
    assert not in_person_group.meetings.exists()


def test_an_in_person_schedule_is_made_and_a_meeting_cannot_be_moved_online(in_person_group):
    meetings = schedule_create(group=in_person_group,
                               first=timezone.localdate() + timedelta(days=7), at=time(10, 0),
                               count=3, cadence="monthly", pattern="in_person", notify=False)
    assert [m.mode for m in meetings] == ["in_person"] * 3
    with pytest.raises(PeersFieldError) as caught:
        meeting_update(meeting=meetings[0], notify=False, mode="online",
                       video_url="https://meet.example.org/x")
    assert caught.value.field == "mode" and "can only meet in person" in str(caught.value)
    meetings[0].refresh_from_db()
    assert meetings[0].mode == "in_person"


def test_once_the_firm_withdraws_the_group_may_meet_online(in_person_group):
    in_person_group.firms.filter(meeting_mode="in_person").update(withdrawn_at=timezone.now())
    made = schedule_create(group=in_person_group, first=timezone.localdate() + timedelta(days=7),
                           at=time(10, 0), count=2, cadence="monthly",
                           pattern="alternate_in_person_first", notify=False)
    assert [m.mode for m in made] == ["in_person", "online"]


def test_the_schedule_page_offers_all_in_person_first(client, in_person_group, manager):
    from tests.peers.conftest import login

    page = login(client, manager).get(f"/peers/groups/{in_person_group.pk}/schedule/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="in_person" checked' in html or 'value="in_person" selected' in html


def test_the_demo_never_puts_a_firm_that_can_only_meet_in_person_online():
    result = runner.invoke(app, ["demo", "peers", "--firms", "40", "--late-joiners", "3",
                                 "--password", PASSWORD, "--time-limit", "0.5"])
    assert result.exit_code == 0, result.output
    programme = Programme.objects.get(is_demo=True)
    strict = Firm.objects.filter(programme=programme, meeting_mode="in_person",
                                 group__isnull=False)
    assert strict.exists(), "the demo's seed gives firms that can only meet in person"
    for firm in strict.select_related("group"):
        assert firm.group.mode == "in_person", firm.group.label
        assert not Meeting.objects.filter(group=firm.group, mode="online").exists()
    # the groups of firms that can meet either way still alternate
    assert programme.groups.filter(mode="alternating").exists()
    assert Meeting.objects.filter(group__programme=programme, mode="online").exists()
    # the count: 40 firms before the groups were formed, and 3 late joiners waiting
    assert Firm.objects.filter(programme=programme).count() == 43
    output = " ".join(result.output.split())
    assert "43 firms (40 registered before the groups were formed and 3 late joiners waiting " \
           "to be placed)" in output
    waiting = Firm.objects.filter(programme=programme, group__isnull=True,
                                  registered_at__gte=timezone.now() - timedelta(days=6))
    assert waiting.count() == 3


def test_the_registered_stage_makes_exactly_the_firms_asked_for():
    result = runner.invoke(app, ["demo", "peers", "--firms", "30", "--stage", "registered",
                                 "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    programme = Programme.objects.get(is_demo=True)
    assert Firm.objects.filter(programme=programme).count() == 30
    assert "30 firms," in " ".join(result.output.split()) and "late joiner" not in result.output


def test_the_help_says_the_late_joiners_come_on_top():
    text = " ".join(runner.invoke(app, ["demo", "peers", "--help"], terminal_width=200)
                    .output.split())
    assert "--late-joiners" in text and "on top of --firms" in text
    assert "default makes 126 firms" in text
