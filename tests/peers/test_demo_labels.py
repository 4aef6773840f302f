"""DEMO data says DEMO wherever it leaves the site (QA H5 finding 4): the evaluators' CSV, a
member's personal-data JSON, calendar files and every API answer about a DEMO programme's data.
A real programme's files are unchanged; its API answers say is_demo false."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from locus.peers.costs import cost_record
from locus.peers.models.programme import DEMO_CAUTION
from locus.peers.outcomes import EXPORT_COLUMNS
from tests.peers.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[True, False], ids=["demo", "real"])
def demo(request, programme):
    programme.is_demo = request.param
    programme.save(update_fields=["is_demo"])
    return request.param


def _rows(client, programme) -> list[list[str]]:
    response = client.get(f"/peers/{programme.slug}/outcomes/anonymised.csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_evaluator_csv_says_demo_on_every_row(client, demo, programme, meetings, manager):
    rows = _rows(login(client, manager), programme)
    header, body = rows[0], rows[1:]
    assert body, "the fixture's consenting firms give rows"
    if demo:
        assert header == ["demo", *EXPORT_COLUMNS]
        assert all(r[0] == "DEMO" and r[1].startswith("DEMO-F") for r in body)
        assert all(len(r) == len(header) for r in body)
    else:  # a real programme's export is as before
        assert header == EXPORT_COLUMNS
        assert all(r[0].startswith("F") and "demo" not in ",".join(r).lower() for r in body)


def test_a_demo_csv_reads_by_column_name_like_a_real_one(client, programme, meetings, manager):
    """A reader that picks columns by name (pandas, R, Stata) reads the DEMO file as the real
    one, with the firm ids marked: the extra column is first and the header is one line."""
    login(client, manager)
    real = list(csv.DictReader(io.StringIO(
        client.get(f"/peers/{programme.slug}/outcomes/anonymised.csv").content.decode())))
    programme.is_demo = True
    programme.save(update_fields=["is_demo"])
    fake = list(csv.DictReader(io.StringIO(
        client.get(f"/peers/{programme.slug}/outcomes/anonymised.csv").content.decode())))
    assert len(real) == len(fake) and {r["demo"] for r in fake} == {"DEMO"}
    for a, b in zip(real, fake, strict=True):
        assert b["firm"] == "DEMO-" + a["firm"]
        assert {k: v for k, v in b.items() if k not in ("demo", "firm")} == \
            {k: v for k, v in a.items() if k != "firm"}


def test_the_outcomes_page_lists_the_demo_column(client, demo, programme, manager):
    page = login(client, manager).get(f"/peers/{programme.slug}/outcomes/").content.decode()
    assert ("Columns: demo, firm, arm" in page) is demo
    assert ("<code>DEMO-</code>" in page) is demo


def test_a_members_personal_data_says_demo(client, demo, programme, member):
    response = login(client, member).get("/peers/my/data.json")
    data = json.loads(response.content)
    if demo:
        assert data["is_demo"] is True and data["demo_caution"] == DEMO_CAUTION
        assert list(data)[:2] == ["is_demo", "demo_caution"]
    else:
        assert "is_demo" not in data and "demo_caution" not in data


def test_calendar_files_say_demo(client, programme, meetings, member):
    programme.is_demo = True
    programme.name = "Greater Manchester Peer Network"  # a name without DEMO in it
    programme.save(update_fields=["is_demo", "name"])
    body = login(client, member).get(f"/peers/meetings/{meetings[-1].pk}/invite.ics")
    assert "SUMMARY:DEMO: Greater Manchester Peer Network" in body.content.decode()


# --- the API ----------------------------------------------------------------------------------

def _marked(body, demo: bool) -> None:
    """Each object (or each item of a list) says whether it is DEMO data, with the caution."""
    items = body if isinstance(body, list) else [body]
    assert items
    for item in items:
        assert item["is_demo"] is demo
        assert item["demo_caution"] == (DEMO_CAUTION if demo else None)


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_every_api_answer_about_the_programme_says_whether_it_is_demo(client, demo, programme,
                                                                      meetings, group, manager):
    login(client, manager)
    slug, meeting = programme.slug, meetings[0]
    cost_record(programme=programme, category="hosting", amount=Decimal("80"),
                incurred_on=timezone.localdate(), description="Room", supplier="", user=manager)
    for url in (f"/api/v1/peers/programmes/{slug}", f"/api/v1/peers/programmes/{slug}/groups",
                f"/api/v1/peers/groups/{group.pk}", f"/api/v1/peers/groups/{group.pk}/meetings",
                f"/api/v1/peers/meetings/{meeting.pk}",
                f"/api/v1/peers/meetings/{meeting.pk}/attendance",
                f"/api/v1/peers/programmes/{slug}/outcomes",
                f"/api/v1/peers/programmes/{slug}/outcomes?wave=follow_up",
                f"/api/v1/peers/programmes/{slug}/costs",
                f"/api/v1/peers/programmes/{slug}/costs/entries"):
        response = client.get(url)
        assert response.status_code == 200, url
        _marked(response.json(), demo)
    _marked(client.get(f"/api/v1/peers/groups/{group.pk}").json()["meetings"], demo)
    listed = client.get("/api/v1/peers/programmes").json()
    _marked([p for p in listed if p["slug"] == slug], demo)

    firm = group.firms.first()
    recorded = post(client, f"/api/v1/peers/meetings/{meeting.pk}/attendance",
                    {"marks": [{"firm_id": firm.pk, "status": "present"}]})
    assert recorded.status_code == 200
    _marked(recorded.json(), demo)
    added = post(client, f"/api/v1/peers/programmes/{slug}/costs",
                 {"category": "hosting", "amount": "50", "incurred_on": str(timezone.localdate()),
                  "description": "Tea"})
    assert added.status_code == 201
    _marked(added.json(), demo)
    corrected = post(client, f"/api/v1/peers/programmes/{slug}/costs/{added.json()['id']}/correct",
                     {"category": "hosting", "amount": "55", "description": "Tea and coffee",
                      "incurred_on": str(timezone.localdate()), "reason": "Wrong amount"})
    assert corrected.status_code == 201
    _marked(corrected.json(), demo)
    removed = post(client, f"/api/v1/peers/programmes/{slug}/costs/{corrected.json()['id']}/remove",
                   {"reason": "Duplicate"})
    assert removed.status_code == 200
    _marked(removed.json(), demo)


def test_the_openapi_document_marks_every_peers_answer(client):
    """Every successful answer of every peers operation has is_demo and demo_caution (on the
    object, or on each item of a list), so no new endpoint can leave them out unnoticed."""
    doc = client.get("/api/v1/openapi.json").json()
    schemas = doc["components"]["schemas"]

    def resolve(schema):
        if "$ref" in schema:
            return resolve(schemas[schema["$ref"].rsplit("/", 1)[-1]])
        if schema.get("type") == "array":
            return resolve(schema["items"])
        return schema

    checked = 0
    for path, operations in doc["paths"].items():
        if not path.startswith("/api/v1/peers/"):
            continue
        for method, op in operations.items():
            for status, answer in op["responses"].items():
                if not status.startswith("2"):
                    continue
                schema = resolve(answer["content"]["application/json"]["schema"])
                assert {"is_demo", "demo_caution"} <= set(schema["properties"]), (method, path)
                assert "is_demo" in schema["required"], (method, path)
                checked += 1
    assert checked >= 14
