"""Every status an operation answers is in the OpenAPI document: a parameter that is not a plain
string (an integer, an enumeration) or a request body can be refused with a 400 by the API's
validation handler, so such an operation documents 400 (found by schemathesis:
GET /collaboration/organisations/null,null and GET /collaboration/network/places?level=null)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

# the rooms whose api.py this rule covers: all of them
TAGS = {"geography", "atlas", "collaboration", "policy", "peers"}


def _operations(spec):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if TAGS & set(operation.get("tags", [])):
                yield f"{method.upper()} {path}", operation


def _can_fail_validation(operation) -> bool:
    plain = [{"type": "string"}]
    return bool(operation.get("requestBody")) or any(
        {k: v for k, v in p["schema"].items() if k not in ("title", "default", "description")} not in plain
        for p in operation.get("parameters", []))


def test_operations_that_validate_input_document_400(client):
    spec = client.get("/api/v1/openapi.json").json()
    missing = [name for name, op in _operations(spec) if _can_fail_validation(op) and "400" not in op["responses"]]
    assert missing == []


@pytest.mark.parametrize("url,field", [("/api/v1/collaboration/organisations/null,null", "organisation_id"),
                                       ("/api/v1/collaboration/network/places?level=null", "level")])
def test_a_refused_parameter_is_a_documented_400_naming_it(client, url, field):
    spec = client.get("/api/v1/openapi.json").json()
    response = client.get(url)
    path = url.split("?")[0].replace("null,null", "{organisation_id}")
    assert response.status_code == 400 and response.json()["detail"].startswith(f"{field}:")
    assert response.json()["errors"][0]["field"] == field
    assert "400" in spec["paths"][path]["get"]["responses"]


def test_the_api_description_and_every_operation_say_what_they_are(client):
    """The description named only the places endpoints; collaboration's summaries were ninja's
    function names ('Rule Sets', 'Check') and two operations had no description."""
    spec = client.get("/api/v1/openapi.json").json()
    operations = [(path, op) for path, ops in spec["paths"].items() for op in ops.values()]
    tags = {tag for _path, op in operations for tag in op["tags"]}
    assert tags == {"geography", "atlas", "collaboration", "policy", "peers"}
    assert all(f"**{tag}**" in spec["info"]["description"] for tag in tags)
    for path, op in operations:
        generated = op["operationId"].rsplit("_api_", 1)[1].replace("_", " ").title()
        assert op.get("description") and op["summary"] != generated, path
