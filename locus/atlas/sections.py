"""The atlas section of geography's area pages (registered in AREA_PROFILE_SECTIONS)."""

from __future__ import annotations

from locus.errors import AtlasError


def atlas_area_section(area) -> tuple[str, str, dict] | None:
    """A link to the atlas profile and the plain-words pathway summary; None without an atlas
    or for areas the atlas does not cover."""
    from locus.atlas.profile import headline_get
    from locus.atlas.selectors import area_get

    try:
        atlas_area = area_get(code=area.code)
        headline = headline_get(area=atlas_area)
    except AtlasError:
        return None
    return ("Commercialisation pathway", "atlas/area_section.html",
            {"atlas_area": atlas_area, "headline": headline})
