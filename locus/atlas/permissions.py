"""Who may do what in the atlas (plain functions).

- Anyone, signed in or not, may read every atlas page, the API and the downloads.
- Everyone sees what changed in a registry entry and when; who changed it (usernames) is shown
  only to infrastructure editors, who are accountable to each other for the registry.
- Infrastructure editors add, change and delete registry entries and import CSV files: users
  with the ``atlas.*_infrastructuresite`` / ``atlas.import_sites`` permissions, granted to the
  administrator and analyst role groups by migration 0002. Bundled entries (universities,
  makerspaces) are read-only for everyone.
"""

from __future__ import annotations

ACTIONS = {"add": "atlas.add_infrastructuresite", "change": "atlas.change_infrastructuresite",
           "delete": "atlas.delete_infrastructuresite", "import": "atlas.import_sites"}


def can(user, action: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(ACTIONS[action]))


def can_edit_site(user, site) -> bool:
    from locus.atlas.models import SiteOrigin

    return site.origin == SiteOrigin.REGISTRY and can(user, "change")


def can_see_editors(user) -> bool:
    """Whether the user may see who edited registry entries (the editors themselves)."""
    return can(user, "change")
