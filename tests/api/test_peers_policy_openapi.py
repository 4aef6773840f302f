"""The rule of test_openapi_status_codes for the peers and policy rooms: an operation whose input
can fail validation (a parameter that is not a plain string, or a request body) documents 400,
and every peers operation (session sign-in) documents 401."""

from __future__ import annotations

import pytest

from tests.api.test_openapi_status_codes import _can_fail_validation

pytestmark = pytest.mark.django_db


def _operations(spec, tag):
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if tag in operation.get("tags", []):
                yield f"{method.upper()} {path}", operation


@pytest.mark.parametrize("tag", ["peers", "policy"])
def test_operations_that_validate_input_document_400(client, tag):
    spec = client.get("/api/v1/openapi.json").json()
    operations = list(_operations(spec, tag))
    assert operations
    missing = [name for name, op in operations
               if _can_fail_validation(op) and "400" not in op["responses"]]
    assert missing == []


def test_every_peers_operation_documents_401(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert [name for name, op in _operations(spec, "peers") if "401" not in op["responses"]] == []
