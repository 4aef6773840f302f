"""Extension points of the atlas, and the atlas's registrations into other rooms' points.

Declared here (DESIGN rule 13: rooms never import each other both ways):

- ``STAGE_CASE_PROVIDERS``: ``provider(stage=..., area=..., limit=...) -> list`` of objects with
  ``title`` and ``url`` (or ``slug``); the atlas profile shows them beside each weak link. The
  policy room's ``locus.policy.selectors.cases_for_stage`` is looked up by name when that app is
  installed, so the atlas never imports the policy room.

Registered from here into others (each looked up by dotted name, skipped when absent):

- geography's area-page sections (``locus.geography.profile_sections.AREA_PROFILE_SECTIONS``):
  a link to the atlas profile and the headline pathway summary;
- the policy room's ``WEAK_LINK_PROVIDERS``, ``PACK_SECTION_PROVIDERS``, ``PEER_FEATURE_PROVIDERS``
  and ``PLACE_FACT_PROVIDERS`` (``locus.policy.hooks``), so its case lists, strategy packs and peer
  matching use the atlas's weak links, stage scores and business counts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

StageCases = Callable[..., list]
STAGE_CASE_PROVIDERS: list[StageCases] = []
POLICY_CASES = "locus.policy.selectors.cases_for_stage"


def cases_for_stage(*, stage: str, area: Any, limit: int = 3) -> list:
    """Cases from every registered provider for a pathway stage (first provider with any wins)."""
    for provider in STAGE_CASE_PROVIDERS:
        try:
            found = provider(stage=stage, area=area, limit=limit)
        except Exception as exc:  # a provider's failure must not break the atlas page
            log.warning("stage case provider %r failed: %s", provider, exc)
            continue
        if found:
            return list(found)
    return []


def _lookup(dotted: str):
    try:
        return import_string(dotted)
    except ImportError:
        return None


@dataclass(frozen=True)
class CaseLink:
    """A case shown beside a weak link."""

    title: str
    url: str
    note: str = ""


_ADAPTERS: dict[str, StageCases] = {}


def _policy_cases(dotted: str) -> StageCases | None:
    """Wrap the policy room's ``cases_for_stage`` so it returns CaseLinks (looked up by name)."""
    if dotted in _ADAPTERS:
        return _ADAPTERS[dotted]
    function = _lookup(dotted)
    if function is None:
        return None

    def provider(*, stage: str, area: Any, limit: int = 3) -> list[CaseLink]:
        out = []
        for case in function(stage=stage, area=area, limit=limit):
            try:
                url = reverse("policy:case", args=[case.slug])
            except NoReverseMatch:
                url = ""
            rating = f"evidence rating SMS {case.sms_rating}" if getattr(case, "sms_rating", None) else "not rated"
            out.append(CaseLink(case.title, url, f"{getattr(case, 'place', '') or ''} ({rating})".strip()))
        return out

    _ADAPTERS[dotted] = provider
    return provider


def _register(target: list, item) -> None:
    if item is not None and item not in target:
        target.append(item)


def register_extensions() -> None:
    """Called from AtlasConfig.ready()."""
    from locus.atlas.sections import atlas_area_section
    from locus.geography.profile_sections import AREA_PROFILE_SECTIONS

    _register(AREA_PROFILE_SECTIONS, atlas_area_section)
    if not apps.is_installed("locus.policy"):
        return
    _register(STAGE_CASE_PROVIDERS, _policy_cases(POLICY_CASES))
    from locus.atlas import policy_bridge

    for name, provider in (("WEAK_LINK_PROVIDERS", policy_bridge.weak_links_provider),
                           ("PACK_SECTION_PROVIDERS", policy_bridge.pack_section_provider),
                           ("PEER_FEATURE_PROVIDERS", policy_bridge.peer_features_provider),
                           ("PLACE_FACT_PROVIDERS", policy_bridge.business_count_provider)):
        target = _lookup(f"locus.policy.hooks.{name}")
        if isinstance(target, list):
            _register(target, provider)
