"""Extension point: sections that other rooms add to the area page.

Each entry is a callable ``section(area) -> (title, template, context) | None``. The area page
renders every section that returns a tuple, in registration order, by including ``template``;
the template sees ``area``, ``section_title`` and ``section`` (the context dict). Rooms register
in their AppConfig.ready(); geography never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Section = Callable[[Any], "tuple[str, str, dict] | None"]
AREA_PROFILE_SECTIONS: list[Section] = []


def sections_for(area: Any) -> list[tuple[str, str, dict]]:
    """The rendered sections for one area (those that return None are skipped)."""
    return [s for s in (section(area) for section in AREA_PROFILE_SECTIONS) if s is not None]
