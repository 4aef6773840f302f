"""The peers API through a personal API token: the same permission matrix as the session
(tests/peers/test_permissions.py), writes without a CSRF token, and a token that acts with its
owner's role as it is now, not as it was when the token was made (ADR 18)."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from locus.accounts.api_tokens import api_token_create
from locus.api import CSRF_MISSING
from locus.peers.models import Attendance, CostEntry
from tests.peers import test_permissions as matrix
from tests.peers.test_permissions import API, FACILITATE, MANAGE, ROLES

pytestmark = pytest.mark.django_db
world = matrix.world  # the session matrix's fixture: the same users, roles, groups and meetings


def token_client(world, role) -> Client:
    """A client with no cookies at all, enforcing CSRF as a browser would, with ``role``'s
    token (none for anonymous)."""
    user = world["users"][role]
    headers = {}
    if user is not None:
        _, secret = api_token_create(user=user, name=f"{role} script")
        headers["Authorization"] = f"Bearer {secret}"
    return Client(HTTP_HOST="localhost", enforce_csrf_checks=True, headers=headers)


@pytest.mark.parametrize("method,path,allowed", API, ids=[p for _, p, _ in API])
def test_every_api_endpoint_for_every_role_through_a_token(world, method, path, allowed):
    url = path.format(**world)
    for role in ROLES:
        response = getattr(token_client(world, role), method)(url)
        expected = 200 if role in allowed else 401 if role == "anonymous" else 403
        assert response.status_code == expected, (role, url, response.status_code)
        if expected == 403:
            assert response.json()["detail"] in {"Only the programme's managers can see this.",
                                                  "You cannot see this group."}


def _bodies(world) -> tuple[str, str]:
    mark = json.dumps({"marks": [{"firm_id": world["f"], "status": "present"}]})
    cost = json.dumps({"category": "hosting", "amount": "80",
                       "incurred_on": timezone.localdate().isoformat(), "description": "Room"})
    return mark, cost


def test_writes_through_a_token_need_no_csrf_token_and_are_recorded_as_the_owner(world):
    mark, cost = _bodies(world)
    for role in ROLES:
        c = token_client(world, role)
        r1 = c.post(f"/api/v1/peers/meetings/{world['m']}/attendance", mark,
                    content_type="application/json")
        r2 = c.post(f"/api/v1/peers/programmes/{world['p']}/costs", cost,
                    content_type="application/json")
        if role == "anonymous":
            assert (r1.status_code, r2.status_code) == (401, 401)
            continue
        assert r1.status_code == (200 if role in FACILITATE else 403), (role, r1.content)
        assert r2.status_code == (201 if role in MANAGE else 403), (role, r2.content)
        if role in MANAGE:
            entry = CostEntry.objects.get(pk=r2.json()["id"])
            assert entry.recorded_by == world["users"][role]
    mark_row = Attendance.objects.get(meeting_id=world["m"], firm_id=world["f"])
    assert mark_row.status == "present"


def test_the_same_write_with_the_session_and_no_csrf_token_is_refused(world):
    """What the token is spared: a session POST without X-CSRFToken is a 403."""
    mark, _ = _bodies(world)
    c = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    c.force_login(world["users"]["facilitator"])
    response = c.post(f"/api/v1/peers/meetings/{world['m']}/attendance", mark,
                      content_type="application/json")
    assert response.status_code == 403 and response.json() == {"detail": CSRF_MISSING}


def test_each_role_lists_only_its_own_programmes_through_a_token(world):
    for role, expected in (("manager", 1), ("other_manager", 1), ("admin", 2),
                           ("facilitator", 0), ("member", 0), ("analyst", 0)):
        data = token_client(world, role).get("/api/v1/peers/programmes").json()
        assert len(data) == expected, role


def test_a_firm_members_token_reads_only_its_own_group(world):
    own, other = token_client(world, "member"), token_client(world, "other_member")
    path = f"/api/v1/peers/groups/{world['g']}"
    body = own.get(path).json()
    assert world["firm"].name in body["firms"] and body["explanation"] is None
    assert other.get(path).status_code == 403
    assert other.get(f"/api/v1/peers/meetings/{world['m']}").status_code == 403


def test_a_facilitators_token_reads_only_their_groups(world):
    own, other = token_client(world, "facilitator"), token_client(world, "other_facilitator")
    path = f"/api/v1/peers/meetings/{world['m']}/attendance"
    assert own.get(path).status_code == 200
    assert other.get(path).status_code == 403
    assert own.get(f"/api/v1/peers/programmes/{world['p']}").status_code == 403


def test_a_token_acts_with_the_owners_role_as_it_is_now(world):
    manager = world["users"]["manager"]
    client = token_client(world, "manager")
    path = f"/api/v1/peers/programmes/{world['p']}"
    assert client.get(path).status_code == 200
    manager.groups.remove(Group.objects.get(name="programme manager"))
    assert client.get(path).status_code == 403
    manager.is_active = False
    manager.save()
    response = client.get(path)
    assert response.status_code == 401 and "deactivated" in response.json()["detail"]
