"""Reads of the live atlas for finding places: the place finder's suggestions and matches, and
the key of the infrastructure layer on the map (ADR 0011)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q

from locus.atlas import models as m
from locus.atlas.selectors import cached
from locus.atlas.text import SITE_COLOURS
from locus.geography.names import name_words, same_words, words_match

PLACE_LEVELS = ("ca", "itl3", "lad")


def place_options() -> list[tuple[str, str, str]]:
    """(code, name, level) of every area a profile can be opened for, CAs first, then by name."""
    def compute():
        order = {lv: i for i, lv in enumerate(PLACE_LEVELS)}
        rows = m.AtlasArea.objects.filter(level__in=PLACE_LEVELS).values_list("code", "name", "level")
        return sorted(rows, key=lambda r: (order[r[2]], r[1]))
    return cached("place_options", compute=compute)


def places_find(*, text: str, limit: int = 30) -> list[tuple[str, str, str]]:
    """Areas matching what a person typed: a code, "Name (level, CODE)" from the suggestions, the
    areas with exactly that name, or else every name containing all the words (CAs first). Names
    are compared spelled one way (``locus.geography.names``): "St Helens" is "St. Helens", "City of
    Bristol" is "Bristol, City of", "Stoke on Trent" is "Stoke-on-Trent"."""
    return places_match(text=text)[:limit]


def places_match(*, text: str) -> list[tuple[str, str, str]]:
    """Every area ``places_find`` would offer, without the limit (the finder says how many)."""
    text = " ".join((text or "").split())
    if not text:
        return []
    options = place_options()
    codes = {c for c, _n, _l in options}
    inner = text.rsplit("(", 1)[-1].rstrip(")").split(",")[-1].strip().upper() if text.endswith(")") else ""
    for candidate in (text.upper(), inner):
        if candidate in codes:
            return [next(o for o in options if o[0] == candidate)]
    words = name_words(text)
    if not words:
        return []
    exact = [o for o in options if same_words(query_words=words, name=o[1])]
    if exact:
        return exact  # one name at two levels (Manchester the ITL3 area and the district) lists both
    return [o for o in options if words_match(query_words=words, name=o[1])]


def places_named(*, text: str) -> list[tuple[str, str, str]]:
    """The areas whose official name is exactly ``text`` spelled one way, in any word order
    ("Bristol, City of" and "City of Bristol": the ITL3 area and the district)."""
    words = name_words(text)
    return [o for o in place_options() if words and same_words(query_words=words, name=o[1])] if words else []


def place_by_code(*, code: str) -> tuple[str, str, str] | None:
    """(code, name, level) of the atlas area with this code at any level: the finder lists only the
    places the atlas scores, but the UK, nations, ITL1 and ITL2 regions have profiles too."""
    order = {lv: i for i, lv in enumerate((*PLACE_LEVELS, "itl2", "itl1", "nation", "uk"))}
    rows = m.AtlasArea.objects.filter(code=(code or "").strip().upper()).values_list("code", "name", "level")
    return min(rows, key=lambda r: order.get(r[2], len(order)), default=None)


def place_outside_atlas(*, code: str) -> tuple[str, str] | None:
    """(name, level) of a place with this code that the atlas has no profile for (an English region,
    say), from the geography; None when no place has the code."""
    from locus.geography.models import Area

    return Area.objects.filter(code=(code or "").strip().upper()).values_list("name", "level").first()


def places_at_postcode(*, text: str) -> tuple[str, list[tuple[str, str, str]]]:
    """(the postcode as ONS writes it, the atlas places it lies in: Combined Authority, ITL3 area,
    district). Raises PostcodeError (malformed, unknown, Northern Ireland, no location) with a message."""
    from locus.geography.geocoding import postcode_place_get

    place = postcode_place_get(text=text)
    codes = [a.code for a in (place.combined_authority, place.itl3, place.lad) if a is not None]
    options = {c: (c, n, lv) for c, n, lv in place_options()}
    return place.location.postcode, [options[c] for c in codes if c in options]


@dataclass(frozen=True)
class SiteLegendRow:
    kind: str
    label: str
    colour: str
    count: int
    located: int
    sources: list[str]
    checked_from: object
    checked_to: object


def site_legend() -> list[SiteLegendRow]:
    """What each infrastructure symbol on the map means: per kind, its colour, how many sites, their
    sources and the range of dates they were checked (kinds without sites are left out)."""
    stats = {r["kind"]: r for r in m.InfrastructureSite.objects.values("kind").order_by("kind").annotate(
        n=Count("id"), located=Count("id", filter=Q(lat__isnull=False)), lo=Min("date_checked"),
        hi=Max("date_checked"))}
    sources: dict[str, list[str]] = defaultdict(list)
    for kind, source in (m.InfrastructureSite.objects.values_list("kind", "source").distinct()
                         .order_by("kind", "source")):
        sources[kind].append(source)
    return [SiteLegendRow(k.value, k.label, SITE_COLOURS.get(k.value, "#505a5f"), stats[k.value]["n"],
                          stats[k.value]["located"], sources[k.value], stats[k.value]["lo"], stats[k.value]["hi"])
            for k in m.SiteKind if k.value in stats]
