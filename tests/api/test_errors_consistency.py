"""Every 400 about a query or path parameter has the shape of the body validation errors: a `detail`
that starts with the parameter's name (as before) and an `errors` list of {"field", "message"} whose
field is the parameter. Before, the body's 400s and ninja's own type checks carried `errors`, but the
rooms' own refusals (a parameter given twice, an atlas `level` or `ca` that names nothing, a policy
`stage` outside its list, a malformed postcode) carried only `detail`.

The oracle is the OpenAPI document: every GET operation it lists, each of its query and path
parameters, sent values that are not valid ("x", "-1", "", ...) alone and twice. Peers routes need a
signed-in user: the test signs in a programme manager and uses their programme, so none is skipped."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
BAD_VALUES = ["x", "-1", "", "0", "1.5", "99999999999999999999", "null", " ", "E47999999", "%00"]
BAD_PATH_VALUES = ["x", "-1", "0", "null", "99999999999999999999"]
PASSWORD = "a-long-enough-passphrase-42"


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The atlas (built from the bundled data) and the policy library, so that the atlas's own checks
    run (without a build every atlas operation is a 503) and policy's closed lists have values. The
    atlas is removed afterwards, as tests/atlas/conftest.py does, so other modules see none."""
    from locus.atlas.selectors import cache_clear
    from locus.atlas.services import atlas_load
    from locus.pipeline.runner import atlas_build
    from locus.policy.loaders import policy_bundled_load
    from tests.atlas_tables import atlas_tables_clear

    out = tmp_path_factory.mktemp("atlas-build") / "atlas"
    atlas_build(data_dir=REPO / "data" / "atlas", out_dir=out)
    with django_db_blocker.unblock():
        atlas_load(atlas_dir=out)
        policy_bundled_load(data_dir=REPO / "data" / "policy")
    cache_clear()
    yield
    with django_db_blocker.unblock():
        atlas_tables_clear()


@pytest.fixture
def signed_in(loaded, settings):
    """A client signed in as a programme manager with one programme (its slug is the peers `slug`)."""
    from locus.accounts.services import user_create
    from locus.peers.services import ProgrammeData, programme_create

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    manager = user_create(username="manager", email="manager@example.org", password=PASSWORD,
                          role="programme manager")
    today = timezone.localdate()
    programme = programme_create(manager=manager, data=ProgrammeData(
        name="Errors Test Network", starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=200),
        budget=Decimal("1000"), delivery_partner="Growth Hub", place_codes=["E47000001"],
        themes=[("Selling online", "digital")], rules={}))
    client = Client(HTTP_HOST="localhost")
    assert client.login(username="manager", password=PASSWORD)
    return client, programme.slug


def _get_operations(spec):
    for path, operations in spec["paths"].items():
        if "get" in operations:
            yield path, operations["get"]


def _path_values(client, programme_slug) -> dict[str, str]:
    """A value of each path parameter that names something (so a query parameter is what is tested)."""
    case = client.get("/api/v1/policy/cases", {"limit": 1}).json()["results"][0]["slug"]
    indicator = client.get("/api/v1/indicators").json()[0]["id"]
    rule_set = client.get("/api/v1/collaboration/rule-sets").json()[0]["id"]
    return {"code": "E47000001", "indicator_id": indicator, "stage": "research", "id": "1",
            "organisation_id": "1", "rule_set_id": rule_set,
            "slug": lambda path: programme_slug if path.startswith("/api/v1/peers/") else case}


def _url(path: str, values: dict, **override) -> str:
    def fill(match):
        name = match.group(1)
        if name in override:
            return override[name]
        value = values[name]
        return value(path) if callable(value) else value
    return re.sub(r"\{(\w+)\}", fill, path)


def _problems(response, operation, name) -> list[str]:
    """What is wrong with the answer to a request whose parameter `name` was given a bad value."""
    if response.status_code >= 500:
        return [f"{response.status_code}"]
    if str(response.status_code) not in operation["responses"]:
        return [f"{response.status_code} not in the OpenAPI document"]
    if response.status_code != 400:
        return []
    out = []
    body = response.json()
    errors = body.get("errors")
    if not isinstance(body.get("detail"), str) or not body["detail"]:
        out.append(f"no detail: {body}")
    if not errors or not all(isinstance(e, dict) and e.get("field") and e.get("message") for e in errors):
        out.append(f"no errors list of fields and messages: {body}")
    elif not any(e["field"] == name or e["field"].startswith(f"{name}[") for e in errors):
        out.append(f"errors do not name {name!r}: {[e['field'] for e in errors]}")
    return out


@pytest.mark.parametrize("bad", BAD_VALUES)
def test_every_query_parameter_refusal_names_the_parameter_in_errors(signed_in, bad):
    client, slug = signed_in
    spec = client.get("/api/v1/openapi.json").json()
    values = _path_values(client, slug)
    failures, refused = [], set()
    for path, operation in _get_operations(spec):
        url = _url(path, values)
        for param in (p for p in operation.get("parameters", []) if p["in"] == "query"):
            name = param["name"]
            for given in ([bad], [bad, bad]):  # once, and twice (a single-valued parameter given twice)
                response = client.get(url, {name: given})
                refused |= {(operation["tags"][0], name)} if response.status_code == 400 else set()
                failures += [f"GET {url}?{name}={given}: {p}" for p in _problems(response, operation, name)]
    assert failures == []
    # the oracle saw refusals in every room that has query parameters (it cannot pass by sending nothing)
    assert {tag for tag, _ in refused} == {"geography", "atlas", "policy", "collaboration", "peers"}


@pytest.mark.parametrize("bad", BAD_PATH_VALUES)
def test_every_path_parameter_refusal_names_the_parameter_in_errors(signed_in, bad):
    client, slug = signed_in
    spec = client.get("/api/v1/openapi.json").json()
    values = _path_values(client, slug)
    failures = []
    for path, operation in _get_operations(spec):
        for name in re.findall(r"\{(\w+)\}", path):
            url = _url(path, values, **{name: bad})
            failures += [f"GET {url}: {p}" for p in _problems(client.get(url), operation, name)]
    assert failures == []


def test_every_documented_400_has_an_errors_list(client):
    """The OpenAPI schema of each 400 lists `errors` (an ErrorOut with only `detail` also dropped the
    `errors` a view returned: ninja sends what the response schema declares)."""
    spec = client.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    missing = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if "400" not in operation["responses"]:
                continue
            ref = operation["responses"]["400"]["content"]["application/json"]["schema"]["$ref"]
            schema = schemas[ref.rsplit("/", 1)[1]]
            items = schema.get("properties", {}).get("errors", {}).get("items", {})
            problem = schemas.get(items.get("$ref", "/").rsplit("/", 1)[1], {})
            if not {"field", "message"} <= set(problem.get("properties", {})):
                missing.append(f"{method.upper()} {path}")
    assert missing == []


@pytest.mark.parametrize("url,field,words", [
    ("/api/v1/areas?q=a&q=b", "q", "given 2 times"),
    ("/api/v1/opportunities?ca=E47999999", "ca", "E47999999"),
    ("/api/v1/weak-links?level=county", "level", "county"),
    ("/api/v1/areas/E47000001/pathway?neighbours=TLD34,TLD34", "neighbours", "more than once"),
    ("/api/v1/policy/cases?stage=moon", "stage", "moon"),
    ("/api/v1/policy/cases?limit=5&limit=6", "limit", "given 2 times"),
])
def test_a_refusal_keeps_its_detail_and_adds_errors(loaded, client, url, field, words):
    body = client.get(url).json()
    assert body["detail"].startswith(f"{field}: ") and words in body["detail"]
    assert body["errors"] == [{"field": field, "message": body["detail"].removeprefix(f"{field}: ").rstrip(".")}]


def test_a_malformed_postcode_keeps_postcode_and_reason(client):
    response = client.get("/api/v1/geocode", {"postcode": "nonsense"})
    body = response.json()
    assert response.status_code == 400 and body["reason"] == "malformed" and body["postcode"] == "nonsense"
    # its detail is the geocoder's sentence, as before (it starts with the postcode, not the parameter)
    assert body["errors"] == [{"field": "postcode", "message": body["detail"].rstrip(".")}]
    # a postcode that is well formed but unknown is a 404 about the thing looked up: no errors list
    assert "errors" not in client.get("/api/v1/geocode", {"postcode": "B99 9ZZ"}).json()


def test_an_error_that_names_its_parameter_is_a_400_naming_it_wherever_it_is_raised(rf):
    """A LocusError with `param` (as AtlasQueryError) that reaches the API's handler is named in `errors`;
    one without is a 400 with `detail` only, as before (nothing to name)."""
    from locus.api import _locus_error
    from locus.atlas.errors import AtlasQueryError
    from locus.errors import PolicyError

    request = rf.get("/api/v1/opportunities")
    named = _locus_error(request, AtlasQueryError("ca", "no Combined Authority has the code 'X'."))
    assert named.status_code == 400
    assert named.content.decode().count('"field": "ca"') == 1
    plain = _locus_error(request, PolicyError("Something else."))
    assert plain.status_code == 400 and b"errors" not in plain.content
