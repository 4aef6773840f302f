"""Attendance marks for firms outside the meeting's group are refused without naming a firm the
user may not see (QA H11, defect 2): another programme's firm reads exactly as an id no firm
has, on the page and in the API (session or personal token)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from locus.accounts.api_tokens import api_token_create
from locus.peers.groups import group_assign_facilitator
from locus.peers.models import Attendance, Firm
from locus.peers.services import ProgrammeData, programme_create
from tests.peers.conftest import add_firm, login, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(gm_postcodes):
    """A firm of another programme, run by another manager."""
    today = timezone.localdate()
    other = programme_create(manager=make_user("mgrb", "programme manager"), data=ProgrammeData(
        name="B West Yorkshire Programme", starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=200)))
    return add_firm(other, gm_postcodes[40], 40, name="Bradford Widgets Ltd",
                    name_key="bradford widgets")


@pytest.fixture
def next_group_firm(group, programme):
    """A firm of the same programme in a group the facilitator does not run."""
    return Firm.objects.filter(programme=programme, group__isnull=False).exclude(
        group=group).order_by("pk").first()


def _missing_id() -> int:
    return Firm.objects.order_by("-pk").first().pk + 1000


def _page_error(client, meeting, firm_id) -> str:
    response = client.post(f"/peers/meetings/{meeting.pk}/attendance/",
                           {f"firm-{firm_id}": "present"})
    assert response.status_code == 200
    text = response.content.decode()
    found = re.search(r'govuk-error-summary__list">\s*<li><a href="[^"]*">([^<]*)</a>', text)
    assert found, text[:2000]
    return found.group(1)


def _api_error(client, meeting, firm_id) -> str:
    response = client.post(f"/api/v1/peers/meetings/{meeting.pk}/attendance",
                           json.dumps({"marks": [{"firm_id": firm_id, "status": "present"}]}),
                           content_type="application/json")
    assert response.status_code == 400
    return response.json()["detail"]


def _token_client(user) -> Client:
    _, secret = api_token_create(user=user, name="script")
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {secret}"})


def _same_as_no_firm(message: str, firm_id: int, missing: int) -> str:
    return message.replace(str(firm_id), str(missing))


@pytest.mark.parametrize("how", ["page", "api session", "api token"])
def test_another_programmes_firm_reads_as_an_id_nobody_has(client, meetings, group, facilitator,
                                                             manager, elsewhere, how):
    missing = _missing_id()
    for user in (facilitator, manager):
        if how == "api token":
            client, ask = _token_client(user), _api_error
        else:
            client, ask = login(Client(), user), _page_error if how == "page" else _api_error
        theirs, nobodys = ask(client, meetings[0], elsewhere.pk), ask(client, meetings[0], missing)
        assert "Bradford" not in theirs
        assert f"irm {elsewhere.pk} is not a member of group {group.label}" in theirs
        assert _same_as_no_firm(theirs, elsewhere.pk, missing) == nobodys
    assert not Attendance.objects.exists()


def test_a_firm_of_a_group_the_facilitator_does_not_run_is_not_named(
        client, meetings, group, facilitator, next_group_firm):
    login(client, facilitator)
    missing = _missing_id()
    hidden = _page_error(client, meetings[0], next_group_firm.pk)
    assert next_group_firm.name not in hidden
    assert _same_as_no_firm(hidden, next_group_firm.pk, missing) == \
        _page_error(client, meetings[0], missing)
    # once they facilitate that group too, the name helps them find the right meeting
    group_assign_facilitator(group=next_group_firm.group, user=facilitator)
    assert _page_error(client, meetings[0], next_group_firm.pk) == \
        f"{next_group_firm.name} is not a member of group {group.label}"


def test_the_programmes_manager_is_told_which_of_its_firms_is_outside_the_group(
        client, meetings, group, manager, next_group_firm, elsewhere):
    login(client, manager)
    detail = client.post(f"/api/v1/peers/meetings/{meetings[0].pk}/attendance", json.dumps(
        {"marks": [{"firm_id": next_group_firm.pk, "status": "present"},
                   {"firm_id": elsewhere.pk, "status": "absent"}]}),
        content_type="application/json").json()["detail"]
    assert detail == (f"marks[0].firm_id: {next_group_firm.name}, firm {elsewhere.pk} are not members of "
                      f"group {group.label}")
    assert "Bradford" not in detail and not Attendance.objects.exists()
