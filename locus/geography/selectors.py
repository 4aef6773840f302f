"""Reads for geography: plain functions the views, API and CLI share."""

from __future__ import annotations

from dataclasses import dataclass

from locus.errors import GeographyError
from locus.geography.models import Area, AreaMembership, Level
from locus.geography.names import name_key, name_words, same_words

SEARCH_LIMIT = 50
LEVEL_PRIORITY = ["ca", "lad", "region", "nation", "itl1", "itl2", "itl3"]


def area_get(*, code: str) -> Area:
    try:
        return Area.objects.select_related("parent", "nation", "region",
                                           "combined_authority").get(code=code.strip().upper())
    except Area.DoesNotExist:
        raise GeographyError(f"No area has the code {code!r}.") from None


def area_search(*, query: str = "", level: str | None = None, limit: int | None = SEARCH_LIMIT) -> list[Area]:
    """Areas whose name or code contains every word of the query, however the name is punctuated
    ("St Helens" finds "St. Helens", "City of Bristol" finds "Bristol, City of": see
    ``locus.geography.names``). The exact code first, then names with exactly the query's words,
    then names that start with it, then the rest by name. ``limit=None`` returns every match."""
    if level and level not in Level.values:
        raise GeographyError(f"Unknown level {level!r}: use one of {', '.join(Level.values)}.")
    areas = Area.objects.all()
    if level:
        areas = areas.filter(level=level)
    if not query.strip():
        return list(areas.order_by("level", "name")[:limit])
    words = name_words(query)
    if not words:
        return []
    for word in words:
        areas = areas.filter(search_text__contains=word)
    code, start = query.strip().upper(), " ".join(words)

    def rank(area: Area) -> tuple:
        if area.code == code or same_words(query_words=words, name=area.name):
            return (0, area.code != code, LEVEL_PRIORITY.index(area.level), area.name)
        return (1 if name_key(area.name).startswith(start) else 2, 0, 0, area.name)

    return sorted(areas, key=rank)[:limit]


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
