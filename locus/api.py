"""The JSON API under /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs).

Rooms add their routers to API_ROUTERS; errors become 4xx JSON with a ``detail`` message.
"""

from __future__ import annotations

import functools
import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from locus.accounts.api_auth import BearerRejected
from locus.atlas.api import router as atlas_router
from locus.collaboration.api import router as collaboration_router
from locus.errors import GeographyError, LocusError, PostcodeError
from locus.geography.api import param_error
from locus.geography.api import router as geography_router
from locus.peers.api import router as peers_router
from locus.policy.api import router as policy_router


class _Swagger(Swagger):
    """ninja's Swagger page with the page's language declared (``<html lang="en">``): its template has
    none, which screen readers need to pick a voice (axe: html-has-lang, serious)."""

    def render_page(self, request, api, **kwargs):
        response = super().render_page(request, api, **kwargs)
        if b"<html>" in response.content:
            response.content = response.content.replace(b"<html>", b'<html lang="en">', 1)
        return response


NUL = "\x00"
NUL_MESSAGE = ("contains a NUL character (\\u0000), which text cannot hold (the database refuses it): "
               "remove it.")


def _nul_errors(value, loc: tuple) -> list[dict]:
    """Every string in a JSON value (keys included) that holds a NUL character, as pydantic-shaped
    errors at its location: PostgreSQL cannot store NUL in text, and SQLite would keep it silently."""
    if isinstance(value, str):
        return [{"loc": loc, "msg": NUL_MESSAGE, "type": "nul_character"}] if NUL in value else []
    if isinstance(value, dict):
        return [e for k, v in value.items()
                for e in (_nul_errors(k, (*loc, k.replace(NUL, "\\u0000"))) if NUL in k else
                          _nul_errors(v, (*loc, k)))]
    if isinstance(value, list):
        return [e for i, v in enumerate(value) for e in _nul_errors(v, (*loc, i))]
    return []


class BodyRefused(Exception):
    """A JSON body the API does not take as a whole (a list, a number): a 400 naming the body."""


class _Parser(Parser):
    """The API's one reading of a JSON body: one object, with no NUL character in any text; every
    operation's body is an object, and every text input is checked here rather than per field."""

    def parse_body(self, request: HttpRequest):
        data = json.loads(request.body)
        if isinstance(data, list):
            raise BodyRefused("is a JSON list: send a JSON object ({…}), not a list.")
        if not isinstance(data, dict):
            raise BodyRefused(f"is a JSON {type(data).__name__ if data is not None else 'null'}: send one "
                              "JSON object ({…}) with Content-Type: application/json.")
        if errors := _nul_errors(data, ("body",)):
            raise ValidationError(errors)
        return data


def _data_values() -> dict[tuple[str, str], list[str]]:
    """The values of the parameters whose set comes from the loaded data (so the document cannot list
    them as an ``enum`` fixed in code): (path, parameter) -> the values the server takes now."""
    from locus.collaboration.network_data import network_dataset_keys
    from locus.collaboration.selectors import participant_datasets
    from locus.geography.models import Area
    from locus.policy.api import closed_lists

    policy = closed_lists()
    values = {("/api/v1/policy/cases", key): policy[key] for key in ("instrument", "theme", "country")}
    values[("/api/v1/collaboration/network/places", "dataset")] = list(network_dataset_keys())
    values[("/api/v1/collaboration/simulate", "datasets")] = [d.key for d in participant_datasets()]
    values[("/api/v1/opportunities", "ca")] = list(Area.objects.filter(level="ca").order_by("code")
                                                   .values_list("code", flat=True))
    return values


class _LocusAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """The document, with the values of each parameter whose set comes from the data (STIP codes, loaded
        datasets, Combined Authorities) added to its description as they are when the document is asked
        for; sets fixed in code are declared as ``enum`` where the parameter is (H29 ST202)."""
        schema = super().get_openapi_schema(**kwargs)
        try:
            values = _data_values()
        except (DatabaseError, RuntimeError):  # no tables yet, or no database (a test without one):
            # the document without the lists
            return schema
        for (path, name), taken in values.items():
            operation = next(iter(schema["paths"].get(path, {}).values()), None)
            if operation is None:
                continue
            now = ", ".join(taken) or "none (nothing of this kind is loaded)"
            note = f" Values the server takes now (from the loaded data): {now}."
            for parameter in operation.get("parameters", []):
                if parameter["name"] == name:
                    parameter["description"] = (parameter.get("description", "") + note).strip()
            for content in operation.get("requestBody", {}).get("content", {}).values():
                ref = content.get("schema", {}).get("$ref", "")
                field = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {}).get(
                    "properties", {}).get(name)
                if field is not None:
                    field["description"] = (field.get("description", "") + note).strip()
        return schema


api = _LocusAPI(
    parser=_Parser(),
    docs=_Swagger(),
    title="Locus API",
    version="1",
    description=(
        "Open data and tools for UK local innovation ecosystems. **geography**: places, their hierarchy "
        "and boundaries, and a postcode geocoder. **atlas**: indicators, pathway stage scores, weak links "
        "and investment opportunities. **collaboration**: funders' collaboration rule sets, the consortium "
        "checker and mandate simulator, the organisation registry, network metrics and partner "
        "recommendations. **policy**: the evidence-rated case library and the cost model. **peers**: "
        "peer-learning programmes, for signed-in users: a script sends a personal API token as "
        "`Authorization: Bearer lcs_…` (create one at [/accounts/api-tokens/](/accounts/api-tokens/); it "
        "acts as you, with your role and permissions, and needs no CSRF token), a browser the site's "
        "session cookie (a POST also sends the csrftoken cookie's value as X-CSRFToken). Every figure "
        "carries its source, vintage and licence. Errors are JSON with a `detail` message: 400 for a value "
        "that is not valid (the message starts with the parameter or field, and `errors` lists each as "
        "`{\"field\", \"message\"}`, for query and path parameters as for the request body), 401 signed out (or an API "
        "token that is malformed, unknown, revoked or expired: the `detail` says which), 403 not allowed, "
        "404 for something the path names that does not exist, 422 for a request Locus understands but "
        "cannot answer from what it holds (each operation says when), 503 when no atlas is loaded. A body "
        "must be one JSON object; text with a NUL character (`\\u0000`) in the body, a query or a path is "
        "a 400 naming the field. Every address that answers GET answers HEAD (no body) and OPTIONS (204, "
        "`Allow`)."
    ),
    urls_namespace="api-v1",
)

def _refuse_nul_in_address(run):
    """A NUL character in a path or query parameter (``/areas/%00``, ``?q=a%00``) is a 400 naming it,
    before anything looks it up (PostgreSQL refuses NUL in text: a 500 otherwise). The body: _Parser."""
    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs):
        errors = [{"loc": ("path", k), "msg": NUL_MESSAGE, "type": "nul_character"}
                  for k, v in kwargs.items() if isinstance(v, str) and NUL in v]
        errors += [{"loc": ("query", k.replace(NUL, "\\u0000")), "msg": NUL_MESSAGE, "type": "nul_character"}
                   for k, values in request.GET.lists() if NUL in k or any(NUL in v for v in values)]
        if errors:
            return _validation_error(request, ValidationError(errors))
        return run(request, *args, **kwargs)
    return wrapper


api.add_decorator(_refuse_nul_in_address, mode="view")

API_ROUTERS = [("/", geography_router), ("/", peers_router)]
API_ROUTERS.append(("/", policy_router))
API_ROUTERS.append(("/", collaboration_router))
API_ROUTERS.append(("/", atlas_router))
for prefix, router in API_ROUTERS:
    api.add_router(prefix, router)


@api.exception_handler(GeographyError)
def _geography_error(request: HttpRequest, exc: GeographyError):
    return api.create_response(request, {"detail": str(exc)}, status=404)


@api.exception_handler(PostcodeError)
def _postcode_error(request: HttpRequest, exc: PostcodeError):
    status = {"malformed": 400, "not_bundled": 422}.get(exc.reason, 404)
    body = {"detail": str(exc), "postcode": exc.postcode, "reason": exc.reason}
    if status == 400:  # a refused parameter: named in `errors`, as every 400 names its parameter or field
        body["errors"] = param_error("postcode", str(exc))["errors"]
    return api.create_response(request, body, status=status)


def _field(loc) -> str:
    """Pydantic's location ('body', 'payload', 'participants', 1, 'name') as the field name the
    API documents elsewhere ('participants[1].name')."""
    out = ""
    for part in [p for p in list(loc)[1:] if p != "payload"]:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "request"


EMPTY_BODY = ("is empty: send one JSON object with Content-Type: application/json (the operation's "
              "fields are at /api/v1/docs).")


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError):
    if (request.method in ("POST", "PUT", "PATCH") and not request.body
            and any(e.get("type") == "missing" and tuple(e.get("loc", ()))[:1] == ("body",)
                    and len(e.get("loc", ())) <= 2 for e in exc.errors)):
        return _body_error(request, EMPTY_BODY)
    # every error in one shape, {"field", "message"} (as the rule engine's), with pydantic's own keys kept
    errors = [{"field": _field(e.get("loc", [])), "message": e.get("msg", ""), **e} for e in exc.errors]
    return api.create_response(request, {"detail": "; ".join(f"{e['field']}: {e['message']}" for e in errors),
                                         "errors": errors}, status=400)


@api.exception_handler(LocusError)
def _locus_error(request: HttpRequest, exc: LocusError):
    # an error that knows the parameter it is about (AtlasQueryError's `param`) names it in `errors`
    if param := getattr(exc, "param", None):
        message = str(exc).removeprefix(f"{param}: ")
        return api.create_response(request, param_error(param, message), status=400)
    return api.create_response(request, {"detail": str(exc)}, status=400)


# ninja's words when the body is not JSON; Django's answer to an oversized or broken multipart body is
# an HTML page. Each becomes a 400 in the validation errors' shape, naming the request body.
UNPARSABLE_BODY = "Cannot parse request body"


def _body_error(request: HttpRequest, message: str):
    return api.create_response(request, {"detail": f"request body: {message}",
                                         "errors": [{"field": "request", "message": message}]}, status=400)


# ninja's words for a request without a session ("Unauthorized") or a POST without the CSRF token ("CSRF
# check Failed") say nothing of what to send; the API's own say it.
NOT_SIGNED_IN = ("Not signed in. Send a personal API token as 'Authorization: Bearer lcs_…' (create one at "
                 "/accounts/api-tokens/), or sign in at /accounts/sign-in/ and send the sessionid cookie it "
                 "sets with each request.")
CSRF_FAILED = "CSRF check Failed"
CSRF_MISSING = ("CSRF check failed: a POST needs the csrftoken cookie's value in an X-CSRFToken header as well "
                "as the cookie itself (over HTTPS, with a Referer on this site).")


@api.exception_handler(BearerRejected)
def _bearer_rejected(request: HttpRequest, exc: BearerRejected):
    response = api.create_response(request, {"detail": str(exc)}, status=401)
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError):
    if exc.status_code == 400 and str(exc).startswith(UNPARSABLE_BODY):
        if isinstance(exc.__cause__, ValidationError):  # a NUL character in the body's text (_Parser)
            return _validation_error(request, exc.__cause__)
        if isinstance(exc.__cause__, BodyRefused):
            return _body_error(request, str(exc.__cause__))
        return _body_error(request, "is not valid JSON; send one JSON object with Content-Type: application/json.")
    if isinstance(exc, AuthenticationError):
        return api.create_response(request, {"detail": NOT_SIGNED_IN}, status=exc.status_code)
    if exc.status_code == 403 and str(exc) == CSRF_FAILED:
        return api.create_response(request, {"detail": CSRF_MISSING}, status=403)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def _body_too_big(request: HttpRequest, exc: RequestDataTooBig):
    return _body_error(request, f"is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,} bytes, the most "
                                "the API reads.")


@api.exception_handler(MultiPartParserError)
def _multipart_error(request: HttpRequest, exc: MultiPartParserError):
    return _body_error(request, f"cannot be read as multipart form data ({exc}); send JSON with "
                                "Content-Type: application/json.")
