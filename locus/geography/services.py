"""Writes for geography: load the bundled files into the database in one transaction."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError

from locus.errors import GeographyError
from locus.geography.boundaries import geometry_to_geojson
from locus.geography.build import GeographyBuild, derive_geography
from locus.geography.models import (
    Area,
    AreaMembership,
    AreaNeighbour,
    CodeChange,
    LoadRecord,
    NutsLad2018,
)
from locus.geography.names import search_text
from locus.geography.readers import read_csv_rows
from locus.geography.sources import GEO_SOURCES

log = logging.getLogger(__name__)
DATASET = "geography"
Progress = Callable[[str], None]


# Changed when the loader reads more from the same files, so that a database loaded before is loaded
# again (the files' checksum alone would not change): "welsh-names" added each Welsh district's ONS name.
LOADER_READS = "welsh-names"


def _inputs_checksum(data_dir: Path) -> str:
    digest = hashlib.sha256(LOADER_READS.encode())
    for source in GEO_SOURCES:
        path = data_dir / source.filename
        if source.key != "postcodes" and path.exists():
            digest.update(source.filename.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def geography_is_loaded(*, data_dir: Path) -> bool:
    """True when the last load read these bundled files and every area's stored search text is spelled
    by the live rule (``locus.geography.names``): after a change to that rule, ``locus load`` (and so
    ``locus serve``) loads the geography again, rather than leave searches missing old spellings."""
    latest = LoadRecord.objects.filter(dataset=DATASET).first()
    return (latest is not None and latest.checksum == _inputs_checksum(data_dir)
            and not area_search_text_stale())


def area_search_text_stale() -> list[str]:
    """The codes of areas whose stored search text the live spelling rule would now write differently."""
    return [code for code, name, welsh, text in Area.objects.values_list("code", "name", "name_welsh",
                                                                          "search_text")
            if text != search_text(name, code, welsh)]


def _area_rows(build: GeographyBuild) -> list[Area]:
    rows = []
    for record in build.areas.values():
        rows.append(Area(
            code=record.code, name=record.name, level=record.level,
            population=record.population, population_estimated=record.population_estimated,
            land_hectares=record.land_hectares,
            boundary=geometry_to_geojson(record.geometry) if record.geometry is not None else "",
            bbox=[round(v, 5) for v in record.geometry.bounds] if record.geometry is not None else None,
            boundary_note=record.boundary_note, note=record.note,
            name_welsh=record.name_welsh, search_text=search_text(record.name, record.code, record.name_welsh),
        ))
    return rows


_LINKS = ("parent", "nation", "region", "combined_authority")


def _areas_replace(areas: list[Area]) -> None:
    """Make the areas table hold exactly ``areas``, updating the rows of codes it already has in place.
    Other rooms' records point at areas (a peer-network firm's district, PROTECT; an organisation's, SET_NULL),
    so deleting every row and creating it again would refuse to run with firms registered, or quietly drop
    organisations' places. An area that is no longer in the bundled geography is deleted; if records still
    point at it, the load stops with the area and the records named (and the transaction keeps the old rows)."""
    existing = set(Area.objects.values_list("code", flat=True))
    Area.objects.update(**{link: None for link in _LINKS})  # linked again once every area exists
    fields = [f.name for f in Area._meta.concrete_fields if not f.primary_key and f.name not in _LINKS]
    Area.objects.bulk_update([a for a in areas if a.code in existing], fields, batch_size=100)
    Area.objects.bulk_create([a for a in areas if a.code not in existing], batch_size=200)
    gone = existing - {a.code for a in areas}
    try:
        Area.objects.filter(code__in=gone).delete()
    except ProtectedError as exc:
        held = sorted({str(obj) for obj in exc.protected_objects})
        raise GeographyError(
            f"{len(gone)} areas are no longer in the bundled geography ({', '.join(sorted(gone)[:5])}"
            f"{', ...' if len(gone) > 5 else ''}) but records still refer to them: {', '.join(held[:5])}"
            f"{f' and {len(held) - 5} more' if len(held) > 5 else ''}. Move those records to current areas "
            "first; the previous geography is kept.") from exc


def _link_parents(build: GeographyBuild) -> None:
    """Set the self-references after every area exists (bulk_update in one pass)."""
    areas = Area.objects.in_bulk()
    changed = []
    for record in build.areas.values():
        area = areas[record.code]
        area.parent_id = record.parent
        area.nation_id = record.nation if record.level != "nation" else None
        area.region_id = record.region
        area.combined_authority_id = record.ca
        changed.append(area)
    Area.objects.bulk_update(changed, ["parent", "nation", "region", "combined_authority"],
                             batch_size=500)


def _crosswalk_rows(data_dir: Path) -> tuple[list[CodeChange], list[NutsLad2018]]:
    changes_path = data_dir / "lad_changes.csv"
    changes = [
        CodeChange(old_code=row["oldcd"], old_name=row["oldnm"], new_code=row["newcd"],
                   new_name=row["newnm"], change_type=row["type"], year=int(row["start"]))
        for _, row in read_csv_rows(changes_path, required=("oldcd", "oldnm", "newcd", "newnm",
                                                            "type", "start"),
                                    may_be_empty=("newcd", "newnm"))
        if row["type"] in {"merger", "new_geo"} and row["newcd"][:3] in {"E06", "E07", "E08",
                                                                          "E09", "S12", "W06"}
    ]
    nuts_path = data_dir / "lad18_nuts_2018.csv"
    fields = ("LAD18CD", "LAD18NM", "NUTS318CD", "NUTS318NM", "NUTS218CD", "NUTS218NM",
              "NUTS118CD", "NUTS118NM")
    nuts = [
        NutsLad2018(lad18_code=row["LAD18CD"], lad18_name=row["LAD18NM"],
                    nuts3_code=row["NUTS318CD"], nuts3_name=row["NUTS318NM"],
                    nuts2_code=row["NUTS218CD"], nuts2_name=row["NUTS218NM"],
                    nuts1_code=row["NUTS118CD"], nuts1_name=row["NUTS118NM"])
        for _, row in read_csv_rows(nuts_path, required=fields)
    ]
    return changes, nuts


def geography_load(*, data_dir: Path, progress: Progress | None = None) -> dict[str, int]:
    """Replace all geography with what the bundled files say; all or nothing.

    Every file is read and checked before the database is touched, and the writes run in one
    transaction, so a bad file leaves the previous geography in place.
    """
    say = progress or (lambda step: None)
    say("Reading and checking the boundary and lookup files")
    build = derive_geography(data_dir=data_dir)
    changes, nuts = _crosswalk_rows(data_dir)
    areas = _area_rows(build)
    say("Writing areas, memberships, neighbours and crosswalks")
    with transaction.atomic():
        AreaNeighbour.objects.all().delete()
        AreaMembership.objects.all().delete()
        _areas_replace(areas)
        _link_parents(build)
        AreaMembership.objects.bulk_create([
            AreaMembership(child_id=m.child, parent_id=m.parent, relation=m.relation,
                           share=m.share, split=m.split, method=m.method)
            for m in build.memberships
        ], batch_size=500)
        AreaNeighbour.objects.bulk_create(
            [AreaNeighbour(area_id=a, neighbour_id=b) for a, b in build.neighbours], batch_size=1000)
        CodeChange.objects.all().delete()
        CodeChange.objects.bulk_create(changes)
        NutsLad2018.objects.all().delete()
        NutsLad2018.objects.bulk_create(nuts)
        summary = {"areas": len(areas), "memberships": len(build.memberships),
                   "neighbours": len(build.neighbours), "code_changes": len(changes),
                   "nuts_rows": len(nuts)}
        LoadRecord.objects.create(dataset=DATASET, checksum=_inputs_checksum(data_dir),
                                  summary=summary)
    log.info("Loaded geography: %s", summary)
    return summary

