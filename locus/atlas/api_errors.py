"""How the atlas API answers bad input: a query parameter with an invalid value, or given twice, is a
400 whose ``detail`` starts with the parameter's name and whose ``errors`` names it (``field``); something the path names that does not exist
is a 404; no loaded atlas is a 503. Every endpoint's OpenAPI description ends with this rule."""

from __future__ import annotations

import functools
import inspect
from contextlib import contextmanager

from django.http import HttpRequest
from ninja import Status

from locus.atlas.errors import AtlasNotFoundError, AtlasQueryError, NoAtlasError
from locus.geography.api import param_error, repeated_param_error

ERRORS = ("Errors: 400 when a query parameter's value is not valid or a parameter is given twice (the "
          "`detail` starts with the parameter's name and `errors` names it in `field`); 404 when the path "
          "names an indicator, stage or area that does not exist; 503 when no atlas is loaded.")
LIST_HINTS = {"neighbours": "pass one comma-separated list, such as neighbours=TLD34,TLD35"}


def atlas_errors(view):
    """A query parameter with an invalid value, or given twice -> 400 JSON naming it; an unknown
    indicator, stage or area in the path -> 404 JSON; no atlas loaded -> 503."""
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if error := repeated_param_error(request.GET, hints=LIST_HINTS):
            return Status(400, error)
        try:
            return view(request, *args, **kwargs)
        except AtlasQueryError as exc:
            return Status(400, param_error(exc.param, str(exc).removeprefix(f"{exc.param}: ")))
        except AtlasNotFoundError as exc:
            return Status(404, {"detail": str(exc)})
        except NoAtlasError as exc:
            return Status(503, {"detail": str(exc)})
    wrapper.__doc__ = f"{(view.__doc__ or '').rstrip()}\n\n{ERRORS}"  # the OpenAPI description
    # ninja resolves string annotations in the wrapper's module, not the view's: hand it resolved ones
    wrapper.__signature__ = inspect.signature(view, eval_str=True)
    return wrapper


@contextmanager
def query_param(name: str):
    """Inside: something a query parameter named does not exist, which is a 400 naming it, not a 404."""
    try:
        yield
    except AtlasNotFoundError as exc:
        raise AtlasQueryError(name, str(exc)) from None


MAX_NEIGHBOURS = 20


def neighbour_codes(request: HttpRequest, neighbours: str | None) -> list[str] | None:
    """The ``neighbours`` override as distinct codes (None when it is left out); a blank list, a code
    given twice or more than MAX_NEIGHBOURS codes is a 400 (given twice as a parameter: ``atlas_errors``)."""
    if "neighbours" not in request.GET:
        return None
    codes = [c.strip().upper() for c in (neighbours or "").split(",") if c.strip()]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if not codes:
        raise AtlasQueryError("neighbours", "give a comma-separated list of area codes of the same level, "
                              "such as neighbours=TLD34,TLD35; leave it out to use the computed neighbours.")
    if repeated:
        raise AtlasQueryError("neighbours", f"lists {', '.join(repeated)} more than once: give each neighbour once.")
    if len(codes) > MAX_NEIGHBOURS:
        raise AtlasQueryError("neighbours", f"lists {len(codes)} areas; give at most {MAX_NEIGHBOURS}.")
    return codes
