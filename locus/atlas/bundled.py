"""Registrations into the shell's extension points: ``locus load`` and the Data sources page.

Kept light (imports happen inside the functions) so the shell can import it at start-up.

``locus load`` (and so a fresh ``locus serve``) builds the atlas with the pipeline when there is
no build in ``<LOCUS_DATA_DIR>/atlas`` or the build is stale (its inputs or the pipeline code
changed), then loads it unless the same build is already live; a failed build or load leaves the
previous atlas served. Then it loads the bundled universities and makerspaces.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

Say = Callable[[str], None]


def atlas_dir_default() -> Path:
    from django.conf import settings

    return Path(settings.LOCUS_DATA_DIR) / "atlas"


def build_is_stale(*, atlas_dir: Path, data_dir: Path) -> str:
    """Why the build in ``atlas_dir`` should be rebuilt ('' if it is current)."""
    from locus.errors import LocusError
    from locus.pipeline.export import manifest_read, sha256_file
    from locus.pipeline.runner import code_version

    try:
        manifest = manifest_read(atlas_dir=atlas_dir)
    except (LocusError, ValueError):
        return "no build yet"
    for item in manifest.get("inputs", []):
        path = data_dir / item.get("path", "")
        if not path.is_file() or sha256_file(path) != item.get("sha256"):
            return f"input {item.get('path')} changed"
    if manifest.get("code_version", "").split(".code-")[-1] != code_version().split(".code-")[-1]:
        return "pipeline code changed"
    return ""


def atlas_bundled_load(*, atlas_dir: Path, data_dir: Path, force: bool = False, say: Say = lambda _m: None) -> dict:
    """Build (if needed) and load the atlas; return a summary."""
    from locus.atlas.services import atlas_bundle_read, atlas_live_checksum, atlas_load
    from locus.pipeline.runner import atlas_build

    reason = build_is_stale(atlas_dir=atlas_dir, data_dir=data_dir)
    summary: dict = {}
    if reason:
        say(f"Building the atlas ({reason})")
        built = atlas_build(data_dir=data_dir, out_dir=atlas_dir, progress=None)
        summary["built_in_s"] = round(built.timings["total"], 1)
    checksum = atlas_bundle_read(atlas_dir=atlas_dir).checksum
    if not force and checksum == atlas_live_checksum():
        summary["atlas"] = "up to date"
        return summary
    build = atlas_load(atlas_dir=atlas_dir, say=say)
    summary["atlas"] = {"build": build.checksum[:12], "rows": sum(build.rows.values()),
                        "load_s": build.load_seconds}
    return summary


def atlas_loader(*, force: bool, say: Say) -> dict:
    """BUNDLED_LOADERS entry: the atlas, then the bundled infrastructure sites."""
    from django.conf import settings

    from locus.atlas.infrastructure import bundled_sites_load

    bundled = Path(settings.LOCUS_BUNDLED_DATA)
    summary = atlas_bundled_load(atlas_dir=atlas_dir_default(), data_dir=bundled / "atlas", force=force, say=say)
    summary.update(bundled_sites_load(he_file=bundled / "atlas" / "universities" / "learning-providers-plus.csv",
                                      makerspace_file=bundled / "infrastructure" / "uk_makerspaces_2015.csv",
                                      force=force, say=say))
    return {"atlas": summary}


def atlas_data_sources() -> list:
    """DATA_SOURCE_PROVIDERS entry: every input of the atlas, and the infrastructure layer."""
    from locus.pipeline.sources import SOURCES
    from locus.web.sources import DataSource

    room = "Atlas"
    out = [DataSource(s.title, s.publisher, s.vintage, s.licence, f"{s.publisher}, {s.title} ({s.vintage})",
                      s.url, "Atlas indicators, pathway scores, weak links and opportunities", room)
           for s in SOURCES if not s.path.startswith("../geography")]
    out.append(DataSource("UK makerspaces survey 2015", "Nesta", "January-April 2015", "CC BY-SA 4.0",
                          "UK makerspaces survey 2015, Nesta, CC BY-SA 4.0",
                          "https://github.com/nesta-uk/UK-makerspaces",
                          "Makerspaces in the atlas's commercialisation-infrastructure layer", room))
    out.append(DataSource("Infrastructure registry (Catapults, science parks, incubators, ...)",
                          "Locus users (analysts)", "Each entry's own date checked",
                          "As stated by each entry's source", "Locus infrastructure registry; see each entry",
                          "/atlas/infrastructure/", "The editable part of the infrastructure layer", room))
    return out
