"""Reads for geography: plain functions the views, API and CLI share."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from locus.errors import GeographyError
from locus.geography.models import Area, AreaMembership, Level

SEARCH_LIMIT = 50
LEVEL_PRIORITY = ["ca", "lad", "region", "nation", "itl1", "itl2", "itl3"]


def area_get(*, code: str) -> Area:
    try:
        return Area.objects.select_related("parent", "nation", "region",
                                           "combined_authority").get(code=code.strip().upper())
    except Area.DoesNotExist:
        raise GeographyError(f"No area has the code {code!r}.") from None


def area_search(*, query: str = "", level: str | None = None, limit: int = SEARCH_LIMIT) -> QuerySet[Area]:
    """Areas whose name or code contains the query; exact code and name-prefix matches first."""
    if level and level not in Level.values:
        raise GeographyError(f"Unknown level {level!r}: use one of {', '.join(Level.values)}.")
    areas = Area.objects.all()
    if level:
        areas = areas.filter(level=level)
    text = query.strip().lower()
    if text:
        areas = areas.filter(search_text__contains=text)
        exact = sorted(areas.filter(Q(code__iexact=text) | Q(name__iexact=text)),
                       key=lambda a: LEVEL_PRIORITY.index(a.level))
        prefix = list(areas.filter(name__istartswith=text).exclude(pk__in=[a.pk for a in exact]))
        rest = areas.exclude(pk__in=[a.pk for a in exact + prefix])
        ordered = exact + prefix + list(rest.order_by("name")[:limit])
        return ordered[:limit]  # type: ignore[return-value]
    return areas.order_by("level", "name")[:limit]


def area_ancestors(*, area: Area) -> list[Area]:
    """The chain of parents up to the nation (LAD -> ITL3 -> ITL2 -> ITL1 -> nation)."""
    chain, current = [], area.parent
    while current is not None:
        chain.append(current)
        current = current.parent
    return chain


@dataclass(frozen=True)
class Member:
    area: Area
    share: float
    split: bool


def area_members(*, area: Area) -> list[Member]:
    """LADs within an area (for CAs, regions and ITL areas), with their shares."""
    if area.level == Level.LAD:
        return []
    if area.level == Level.ITL2:
        links = AreaMembership.objects.filter(parent__parent=area)
    elif area.level == Level.ITL1:
        links = AreaMembership.objects.filter(parent__parent__parent=area)
    elif area.level == Level.NATION:
        return [Member(lad, 1.0, False) for lad in Area.objects.filter(level=Level.LAD,
                                                                      nation=area)]
    else:
        links = AreaMembership.objects.filter(parent=area)
    merged: dict[str, Member] = {}
    for link in links.select_related("child").order_by("child__name"):
        previous = merged.get(link.child_id)
        share = link.share + (previous.share if previous else 0.0)
        merged[link.child_id] = Member(link.child, min(share, 1.0), share < 0.999999)
    return sorted(merged.values(), key=lambda m: m.area.name)


def area_children(*, area: Area) -> list[Area]:
    """Direct children in the main hierarchy (nation -> ITL1 -> ITL2 -> ITL3 -> LAD)."""
    return list(area.children.order_by("name"))


def area_neighbours(*, area: Area) -> list[Area]:
    return list(Area.objects.filter(code__in=area.neighbour_links.values("neighbour")).order_by("name"))


def area_memberships(*, area: Area) -> list[AreaMembership]:
    """Where a LAD sits: its ITL3(s) with shares, its CA and its region."""
    return list(area.memberships.select_related("parent").order_by("relation", "-share"))
