"""Extension points of the policy room, declared in one place.

Other rooms register here instead of the policy room importing them (DESIGN.md rule 13). The
atlas, once built, is expected to register:

- ``WEAK_LINK_PROVIDERS``: ``provider(area) -> WeakLinks | None``, the area's weak pathway
  stages (weakest first). The area page's "Policy cases" section and the strategy pack then show
  cases for those stages (an empty list: no stage falls short, see ``stages_chosen``). With no
  provider, both say the atlas has not been built for the place.
- ``PACK_SECTION_PROVIDERS``: ``provider(area) -> PackSection | None``, the "weak links and
  opportunities" part of the strategy evidence pack.
- ``PEER_FEATURE_PROVIDERS``: ``provider(areas) -> (features, columns) | None``, extra columns
  for Combined Authority peer matching (e.g. pathway stage scores), one value per area in order.
- ``PLACE_FACT_PROVIDERS``: ``provider(area) -> BusinessCount | None``, the business count used
  to size peer networks in the pack (else population is used, and the pack says so).

The atlas calls the other direction through plain selectors, e.g.
``locus.policy.selectors.cases_for_stage(stage=..., area=..., limit=...)``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from locus.policy.peers import Feature

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WeakLinks:
    stages: list[str]  # stage ids as in locus.pathways.stages, weakest first
    source: str  # what produced them, with its vintage
    notes: dict[str, str] = field(default_factory=dict)  # stage id -> one-line explanation
    # Stages that are significant weak links; None when the provider does not say (then only its
    # notes tell whether a listed stage is a weak link or only the largest shortfall).
    significant: frozenset[str] | None = None


@dataclass(frozen=True)
class PackSection:
    title: str
    template: str  # a Jinja template rendered in both the HTML and the PDF pack
    context: dict
    source: str


@dataclass(frozen=True)
class BusinessCount:
    count: int  # businesses in the area
    national: int  # businesses in the UK, same source and year
    source: str
    vintage: str
    licence: str = ""


WEAK_LINK_PROVIDERS: list[Callable[[Any], WeakLinks | None]] = []
PACK_SECTION_PROVIDERS: list[Callable[[Any], PackSection | None]] = []
PEER_FEATURE_PROVIDERS: list[
    Callable[[Sequence[Any]], tuple[list[Feature], dict[str, list[float]]] | None]] = []
PLACE_FACT_PROVIDERS: list[Callable[[Any], BusinessCount | None]] = []


def _call(provider, *args):
    """A provider's answer; a failing provider is logged and treated as having no answer."""
    try:
        return provider(*args), None
    except Exception as exc:  # another room's failure must not break policy pages
        log.warning("policy hook provider %r failed: %s", provider, exc, exc_info=True)
        return None, f"{getattr(provider, '__module__', '?')}: {exc}"


def _first(providers: list, *args):
    for provider in providers:
        result, _ = _call(provider, *args)
        if result is not None:
            return result
    return None


def weak_links_for(area) -> WeakLinks | None:
    return _first(WEAK_LINK_PROVIDERS, area)


def business_count_for(area) -> BusinessCount | None:
    return _first(PLACE_FACT_PROVIDERS, area)


def pack_sections_for(area) -> tuple[list[PackSection], list[str]]:
    """The registered pack sections for ``area`` and the failures (shown as such in the pack)."""
    sections, failures = [], []
    for provider in PACK_SECTION_PROVIDERS:
        result, error = _call(provider, area)
        if result is not None:
            sections.append(result)
        if error:
            failures.append(error)
    return sections, failures


def peer_columns_for(areas) -> list[tuple[list[Feature], dict[str, list[float]]]]:
    """Extra peer-matching columns from every provider that has them for these areas."""
    out = []
    for provider in PEER_FEATURE_PROVIDERS:
        result, _ = _call(provider, areas)
        if result is not None:
            out.append(result)
    return out
