"""The permission matrix: every page and API endpoint, for every role.

Administrators see everything; programme managers their programmes; facilitators their
groups; firm members their own firm and their group's meetings; others nothing private.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from locus.peers.groups import group_assign_facilitator
from locus.peers.models import Contact, Programme
from locus.peers.services import ProgrammeData, programme_create
from tests.peers.conftest import make_user

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "analyst", "admin", "manager", "other_manager", "facilitator",
         "other_facilitator", "member", "other_member"]
MANAGE = {"admin", "manager"}
FACILITATE = MANAGE | {"facilitator"}
VIEW_GROUP = FACILITATE | {"member"}
MEMBERS = {"member", "other_member"}
FACILITATORS = {"admin", "facilitator", "other_facilitator"}
SIGNED_IN = set(ROLES) - {"anonymous"}
EVERYONE = set(ROLES)


@pytest.fixture
def world(programme, meetings, group, member, facilitator, manager):
    other_group = programme.groups.exclude(pk=group.pk).order_by("label").first()
    other_fac = make_user("facil2", "facilitator")
    group_assign_facilitator(group=other_group, user=other_fac)
    other_member = make_user("member2", "firm member")
    contact = Contact.objects.filter(firm__group=other_group).first()
    contact.user = other_member
    contact.save()
    other_manager = make_user("manager2", "programme manager")
    programme_create(manager=other_manager, data=ProgrammeData(
        name="Leeds network", starts_on=programme.starts_on, ends_on=programme.ends_on))
    users = {"anonymous": None, "analyst": make_user("analyst", "analyst"),
             "admin": make_user("admin", "administrator"), "manager": manager,
             "other_manager": other_manager, "facilitator": facilitator,
             "other_facilitator": other_fac, "member": member, "other_member": other_member}
    firm = group.firms.first()
    return {"users": users, "p": programme.slug, "g": group.pk, "m": meetings[0].pk,
            "f": firm.pk, "firm": firm}


def client_for(world, role) -> Client:
    client = Client(HTTP_HOST="localhost")
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    return client


PAGES = [
    ("/peers/", EVERYONE),
    ("/peers/{p}/register/", EVERYONE),
    ("/peers/new/", MANAGE | {"other_manager"}),
    ("/peers/{p}/", MANAGE), ("/peers/{p}/firms/", MANAGE), ("/peers/{p}/firms/{f}/", MANAGE),
    ("/peers/{p}/groups/", MANAGE), ("/peers/{p}/venues/", MANAGE),
    ("/peers/{p}/outcomes/", MANAGE), ("/peers/{p}/outcomes/anonymised.csv", MANAGE),
    ("/peers/{p}/costs/", MANAGE),
    ("/peers/groups/{g}/", VIEW_GROUP), ("/peers/groups/{g}/schedule/", MANAGE),
    ("/peers/meetings/{m}/", VIEW_GROUP), ("/peers/meetings/{m}/invite.ics", VIEW_GROUP),
    ("/peers/meetings/{m}/attendance/", FACILITATE), ("/peers/meetings/{m}/notes/", FACILITATE),
    ("/peers/meetings/{m}/change/", FACILITATE), ("/peers/meetings/{m}/feedback/", {"member"}),
    ("/peers/facilitate/", FACILITATORS),
    ("/peers/my/", MEMBERS), ("/peers/my/diagnostic/", MEMBERS), ("/peers/my/data/", MEMBERS),
    ("/peers/my/data.json", MEMBERS), ("/peers/my/erase/", MEMBERS),
    ("/peers/calendar/", SIGNED_IN),
]


@pytest.mark.parametrize("path,allowed", PAGES, ids=[p for p, _ in PAGES])
def test_every_page_for_every_role(world, path, allowed):
    url = path.format(**world)
    for role in ROLES:
        response = client_for(world, role).get(url)
        if role in allowed:
            assert response.status_code == 200, (role, url, response.status_code)
        elif role == "anonymous":
            assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
        else:
            assert response.status_code == 403, (role, url, response.status_code)
            assert "You cannot see this page" in response.content.decode()


API = [
    ("get", "/api/v1/peers/programmes/{p}", MANAGE),
    ("get", "/api/v1/peers/programmes/{p}/groups", MANAGE),
    ("get", "/api/v1/peers/programmes/{p}/outcomes", MANAGE),
    ("get", "/api/v1/peers/programmes/{p}/costs", MANAGE),
    ("get", "/api/v1/peers/groups/{g}", VIEW_GROUP),
    ("get", "/api/v1/peers/groups/{g}/meetings", VIEW_GROUP),
    ("get", "/api/v1/peers/meetings/{m}", VIEW_GROUP),
    ("get", "/api/v1/peers/meetings/{m}/attendance", FACILITATE),
]


@pytest.mark.parametrize("method,path,allowed", API, ids=[p for _, p, _ in API])
def test_every_api_endpoint_for_every_role(world, method, path, allowed):
    url = path.format(**world)
    for role in ROLES:
        response = getattr(client_for(world, role), method)(url)
        expected = 200 if role in allowed else 401 if role == "anonymous" else 403
        assert response.status_code == expected, (role, url, response.status_code)


def test_api_writes_for_every_role(world):
    mark = json.dumps({"marks": [{"firm_id": world["f"], "status": "present"}]})
    from django.utils import timezone

    cost = json.dumps({"category": "hosting", "amount": "80",
                       "incurred_on": timezone.localdate().isoformat(),
                       "description": "Room"})
    for role in ROLES:
        c = client_for(world, role)
        r1 = c.post(f"/api/v1/peers/meetings/{world['m']}/attendance", mark,
                    content_type="application/json")
        r2 = c.post(f"/api/v1/peers/programmes/{world['p']}/costs", cost,
                    content_type="application/json")
        if role == "anonymous":
            assert (r1.status_code, r2.status_code) == (401, 401)
            continue
        assert r1.status_code == (200 if role in FACILITATE else 403), (role, r1.content)
        assert r2.status_code == (201 if role in MANAGE else 403), (role, r2.content)


def test_programme_lists_show_only_what_each_role_manages(world):
    for role, expected in (("manager", 1), ("other_manager", 1), ("admin", 2),
                           ("facilitator", 0), ("member", 0), ("analyst", 0)):
        data = client_for(world, role).get("/api/v1/peers/programmes").json()
        assert len(data) == expected, role
    page = client_for(world, "other_manager").get("/peers/").content.decode()
    assert "Leeds network" in page and Programme.objects.count() == 2


def test_managers_cannot_post_to_other_programmes(world):
    c = client_for(world, "other_manager")
    assert c.post(f"/peers/{world['p']}/costs/", {"category": "hosting"}).status_code == 403
    assert c.post(f"/peers/groups/{world['g']}/", {"action": "mode",
                                                   "mode": "online"}).status_code == 403
    f = client_for(world, "facilitator")
    assert f.post(f"/peers/groups/{world['g']}/", {"action": "mode",
                                                   "mode": "online"}).status_code == 403


def test_a_member_sees_only_their_own_firms_diagnostics(world):
    from locus.peers.permissions import firm_can_view

    firm = world["firm"]
    assert firm_can_view(user=world["users"]["manager"], firm=firm)
    assert not firm_can_view(user=world["users"]["other_member"], firm=firm)
    assert not firm_can_view(user=world["users"]["facilitator"], firm=firm)
    page = client_for(world, "other_member").get("/peers/my/").content.decode()
    assert firm.name not in page
