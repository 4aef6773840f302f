"""Every status a peers operation answers is in the OpenAPI document with its error schema (found
by schemathesis: 401 signed out, 403 CSRF or a role refusal, 404 unknown ids, 400 for
/peers/groups/null,null or a POST without a body, 409 on an entry already removed), and a query
parameter with a bad value or given twice is a 400 naming it."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from locus.api import CSRF_MISSING, NOT_SIGNED_IN
from locus.peers.costs import cost_record, cost_remove
from tests.peers.conftest import login, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec(client):
    return client.get("/api/v1/openapi.json").json()


def _peers_operations(spec):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if "peers" in operation.get("tags", []):
                yield method, path, operation


def _schema(spec, operation, status: int) -> dict:
    ref = operation["responses"][str(status)]["content"]["application/json"]["schema"]["$ref"]
    return spec["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_every_peers_operation_documents_its_error_statuses(spec):
    operations = list(_peers_operations(spec))
    assert len(operations) == 14
    for method, path, operation in operations:
        expected = {"400": "RefusalOut", "401": "ErrorOut"}
        if method == "post" or "{" in path:
            expected["403"] = "ErrorOut"  # a POST without the CSRF token; a role refusal
        if "{" in path:
            expected["404"] = "ErrorOut"
        if path.endswith(("/correct", "/remove")):
            expected["409"] = "ErrorOut"
        for status, name in expected.items():
            assert status in operation["responses"], (method, path, status)
            assert _schema(spec, operation, int(status))["title"] == name, (method, path, status)
        assert "Errors: 400" in operation["description"], (method, path)


def _answered(spec, response, method: str, path: str, status: int, starts: str = "") -> dict:
    """The response has the status, the operation documents it, and the body has what the
    documented schema requires."""
    assert response.status_code == status, (method, path, response.content)
    operation = spec["paths"][path][method]
    assert str(status) in operation["responses"], (method, path, status)
    body = response.json()
    assert set(_schema(spec, operation, status)["required"]) <= set(body), (method, path, body)
    assert body["detail"].startswith(starts), body
    return body


@pytest.fixture
def ids(programme, group, meetings, manager):
    entry = cost_record(programme=programme, category="hosting", amount=Decimal("120"),
                        incurred_on=timezone.localdate() - timedelta(days=10), description="Room")
    return {"slug": programme.slug, "group": group.pk, "meeting": meetings[0].pk,
            "entry": entry.pk}


def _url(path: str, ids: dict, *, unknown: bool = False) -> str:
    path = path.replace("{slug}", "no-such-programme" if unknown else ids["slug"])
    if "/costs/{id}" in path:
        key = "entry"
    else:
        key = "group" if "/groups/" in path else "meeting"
    return path.replace("{id}", "999999" if unknown else str(ids[key]))


def _valid_body(url: str) -> dict:
    """A body each POST accepts, so the answer is about the path or the user."""
    cost = {"category": "hosting", "amount": "130", "description": "Room", "reason": "Typo",
            "incurred_on": str(timezone.localdate() - timedelta(days=9))}
    if url.endswith("/attendance"):
        return {"marks": []}
    return {"reason": "Duplicate"} if url.endswith("/remove") else cost


def _call(client, method: str, url: str, data=None, **extra):
    if method == "get":
        return client.get(url, **extra)
    return client.post(url, json.dumps(data or _valid_body(url)),
                       content_type="application/json", **extra)


def test_signed_out_every_operation_is_a_documented_401(spec, ids):
    for method, path, _op in _peers_operations(spec):
        body = _answered(spec, _call(Client(), method, _url(path, ids)), method, path, 401)
        assert body == {"detail": NOT_SIGNED_IN} and "sessionid" in body["detail"]


def test_a_post_without_the_csrf_token_is_a_documented_403(spec, ids, manager):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    for method, path, _op in _peers_operations(spec):
        if method == "post":
            body = _answered(spec, _call(client, method, _url(path, ids)), method, path, 403)
            assert body == {"detail": CSRF_MISSING} and "X-CSRFToken" in body["detail"]


def test_an_unknown_programme_group_meeting_or_entry_is_a_documented_404(spec, ids, client,
                                                                         manager):
    client.force_login(make_user("admin", "administrator"))  # may see every group
    for method, path, _op in _peers_operations(spec):
        if "{" in path:
            _answered(spec, _call(client, method, _url(path, ids, unknown=True)), method, path,
                      404, starts="No ")


def test_a_path_id_that_is_not_a_number_is_a_documented_400_naming_it(spec, ids, client,
                                                                      manager):
    login(client, manager)
    body = _answered(spec, client.get("/api/v1/peers/groups/null,null"), "get",
                     "/api/v1/peers/groups/{id}", 400, starts="id:")
    assert body["errors"][0]["field"] == "id"


def test_recording_attendance_without_a_body_is_a_documented_400(spec, ids, client, facilitator):
    login(client, facilitator)
    url = f"/api/v1/peers/meetings/{ids['meeting']}/attendance"
    response = client.post(url, "", content_type="application/json")
    body = _answered(spec, response, "post", "/api/v1/peers/meetings/{id}/attendance", 400,
                     starts="request body:")
    assert "is empty: send one JSON object" in body["detail"]


def test_an_attendance_refusal_is_a_documented_400_naming_the_marks(spec, ids, client,
                                                                    facilitator, meetings):
    login(client, facilitator)
    url = f"/api/v1/peers/meetings/{meetings[-1].pk}/attendance"  # still to come
    response = _call(client, "post", url, {"marks": []})
    body = _answered(spec, response, "post", "/api/v1/peers/meetings/{id}/attendance", 400,
                     starts="marks:")
    assert "has not happened yet" in body["detail"]


def test_role_refusals_are_documented_403s(spec, ids, client, facilitator, programme):
    login(client, facilitator)
    for method, path, _op in _peers_operations(spec):
        if "{slug}" in path:
            _answered(spec, _call(client, method, _url(path, ids)), method, path, 403,
                      starts="Only the programme's managers can see this.")
    login(client, make_user("stranger", "firm member"))
    for method, path, _op in _peers_operations(spec):
        if "/groups/" in path or "/meetings/" in path:
            _answered(spec, _call(client, method, _url(path, ids)), method, path, 403,
                      starts="You cannot see this group.")


def test_correcting_or_removing_a_removed_entry_is_a_documented_409(spec, ids, client, manager):
    from locus.peers.models import CostEntry

    cost_remove(entry=CostEntry.objects.get(pk=ids["entry"]), reason="Duplicate", user=manager)
    login(client, manager)
    fix = {"category": "hosting", "amount": "130", "description": "Room", "reason": "Typo",
           "incurred_on": str(timezone.localdate() - timedelta(days=9))}
    for action, data in (("correct", fix), ("remove", {"reason": "Duplicate"})):
        path = f"/api/v1/peers/programmes/{{slug}}/costs/{{id}}/{action}"
        _answered(spec, _call(client, "post", _url(path, ids), data), "post", path, 409,
                  starts="This entry has already been removed")


@pytest.mark.parametrize("query", ["wave=xyz", "wave=", "wave=baseline",
                                   "wave=end&wave=follow_up"])
def test_a_bad_or_repeated_wave_is_a_documented_400_naming_it(spec, ids, client, manager, query):
    login(client, manager)
    path = "/api/v1/peers/programmes/{slug}/outcomes"
    body = _answered(spec, client.get(f"{_url(path, ids)}?{query}"), "get", path, 400,
                     starts="wave:")
    assert body["errors"][0]["field"] == "wave"
    if "&" not in query:
        assert "end" in body["detail"] and "follow_up" in body["detail"]


def test_any_repeated_query_parameter_is_a_400_naming_it(spec, ids, client, manager):
    login(client, manager)
    for method, path, _op in _peers_operations(spec):
        if method == "get":
            body = _answered(spec, client.get(f"{_url(path, ids)}?x=1&x=2"), method, path, 400,
                             starts="x: given 2 times")
            assert re.search(r"give x once", body["detail"])
    assert client.get(f"/api/v1/peers/programmes/{ids['slug']}/outcomes?wave=follow_up"
                      ).status_code == 200


def test_the_documented_amount_is_what_the_api_accepts(spec, client, programme, manager):
    """The description promised a £ sign and commas in a string, which the API refuses (only the
    web form reads them)."""
    description = spec["components"]["schemas"]["CostIn"]["properties"]["amount"]["description"]
    assert "without a £ sign or commas" in description
    login(client, manager)
    url = f"/api/v1/peers/programmes/{programme.slug}/costs"
    day = str(timezone.localdate())
    for amount, status in ((450, 201), ("450.50", 201), ("£1,250.50", 400)):
        response = _call(client, "post", url, {"category": "hosting", "amount": amount,
                                               "incurred_on": day, "description": "Room"})
        assert response.status_code == status, (amount, response.content)


@pytest.mark.parametrize("marks,field", [
    ([{"firm_id": 99999999999999999999, "status": "present"}], "marks[0].firm_id"),  # was a 500
    ([{"firm_id": 0, "status": "present"}], "marks[0].firm_id"),
    ("twice", "marks[1].firm_id"),
])
def test_attendance_marks_a_database_cannot_hold_or_given_twice_are_a_400(
        spec, ids, client, facilitator, group, marks, field):
    login(client, facilitator)
    if marks == "twice":
        firm = group.firms.order_by("pk").first()
        marks = [{"firm_id": firm.pk, "status": "present"}, {"firm_id": firm.pk, "status": "absent"}]
    path = "/api/v1/peers/meetings/{id}/attendance"
    body = _answered(spec, _call(client, "post", _url(path, ids), {"marks": marks}), "post", path,
                     400, starts=f"{field}:")
    assert body["errors"][0]["field"] == field
    from locus.peers.models import Attendance

    assert not Attendance.objects.exists()


def test_attendance_with_no_marks_is_a_documented_400_naming_the_marks(spec, ids, client,
                                                                       facilitator):
    """The web page refuses a save with no firm marked; the API recorded nothing and said 0."""
    login(client, facilitator)
    path = "/api/v1/peers/meetings/{id}/attendance"  # meeting 1, held 60 days ago
    body = _answered(spec, _call(client, "post", _url(path, ids), {"marks": []}), "post", path,
                     400, starts="marks:")
    assert body["errors"] == [{"field": "marks", "message": body["detail"][len("marks: "):]}]
    assert "at least one firm" in body["detail"]
    description = spec["paths"][path]["post"]["description"]
    assert "no marks" in description and "`marks`" in description
    from locus.peers.models import Attendance

    assert not Attendance.objects.exists()
