"""The OpenAPI document names each schema once: two API schema classes with the same name used to
share one entry under components/schemas, so the document described one room's class for the other
(GET /areas/{code} was documented with the atlas's Provenance, which requires `method`; GET
/policy/cases/{slug} with the collaboration rule sets' SourceOut)."""

from __future__ import annotations

import json
import typing
from collections import defaultdict

import pytest
from pydantic import BaseModel

pytestmark = pytest.mark.django_db


def _models(annotation, seen: set) -> None:
    """Every pydantic model reachable from a type annotation (lists, unions and dicts included)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, seen)
        return
    for arg in typing.get_args(annotation):
        _models(arg, seen)


def _api_models() -> set[type[BaseModel]]:
    from locus.api import api

    seen: set = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.response_models.values(), *operation.models]:
                    _models(model, seen)
    # ninja's own wrappers (one per operation and parameter kind) never reach components/schemas
    return {m for m in seen if m.__module__.split(".")[0] == "locus"}


def test_no_two_different_api_schemas_share_a_name():
    """Same-named classes are fine only when they describe the same thing (ErrorOut: `detail`)."""
    by_name = defaultdict(dict)
    for model in _api_models():
        shape = json.dumps(model.model_json_schema(mode="serialization"), sort_keys=True)
        by_name[model.__name__].setdefault(shape, []).append(f"{model.__module__}.{model.__qualname__}")
    clashes = {name: sorted(w for ws in shapes.values() for w in ws)
               for name, shapes in by_name.items() if len(shapes) > 1}
    assert clashes == {}, f"rename one of each: {clashes}"


def test_documented_provenance_is_what_the_geography_endpoints_send(client):
    spec = client.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    area = client.get("/api/v1/areas/E47000001").json()
    ref = schemas["AreaDetail"]["properties"]["provenance"]["additionalProperties"]["$ref"]
    documented = schemas[ref.rsplit("/", 1)[1]]
    for provenance in area["provenance"].values():
        assert set(documented["required"]) <= set(provenance), documented["required"]


def test_boundary_documents_the_media_type_it_sends(client):
    spec = client.get("/api/v1/openapi.json").json()
    documented = spec["paths"]["/api/v1/areas/{code}/boundary"]["get"]["responses"]
    response = client.get("/api/v1/areas/E47000001/boundary")
    assert response.status_code == 200
    assert list(documented["200"]["content"]) == [response["Content-Type"]] == ["application/geo+json"]
    schema = documented["200"]["content"]["application/geo+json"]["schema"]
    assert set(schema["required"]) <= set(response.json())
    missing = client.get("/api/v1/areas/ZZ999/boundary")
    assert missing.status_code == 404
    assert missing["Content-Type"].split(";")[0] in documented["404"]["content"]


def test_geocode_documents_the_northern_ireland_refusal(client):
    documented = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/geocode"]["get"]["responses"]
    response = client.get("/api/v1/geocode", {"postcode": "BT1 1AA"})
    assert response.status_code == 422 and response.json()["reason"] == "not_bundled"
    assert "422" in documented and "Northern Ireland" in response.json()["detail"]
