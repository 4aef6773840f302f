"""Postcode -> place: the geocoder's location joined to today's areas in the database."""

from __future__ import annotations

from dataclasses import dataclass

from locus.errors import PostcodeError
from locus.geography.models import Area
from locus.geography.postcodes import PostcodeLocation, default_index


@dataclass(frozen=True)
class PostcodePlace:
    location: PostcodeLocation
    lad: Area | None
    itl3: Area | None
    combined_authority: Area | None
    region: Area | None
    nation: Area | None


def postcode_place_get(*, text: str) -> PostcodePlace:
    """Geocode a postcode and find its LAD, ITL3, Combined Authority, region and nation.

    Raises PostcodeError (reason malformed/unknown/no_location) with a message for the user.
    """
    location = default_index().lookup(text)
    if location.lat is None or location.lad_code is None:
        raise PostcodeError(
            f"{location.postcode} is a real postcode but has no location in the ONS postcode "
            "lookup (for example a Channel Islands, Isle of Man or non-geographic postcode).",
            postcode=location.postcode, reason="no_location")
    lad = Area.objects.select_related("parent", "combined_authority", "region", "nation").filter(
        code=location.lad_code).first()
    return PostcodePlace(
        location=location, lad=lad,
        itl3=lad.parent if lad else None,
        combined_authority=lad.combined_authority if lad else None,
        region=lad.region if lad else None,
        nation=lad.nation if lad else None,
    )
