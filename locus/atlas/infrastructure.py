"""Commercialisation-infrastructure registry: bundled universities and makerspaces, and the
sites analysts add one by one or import from a CSV (validated row by row; nothing is imported if
any row is wrong). Every site is located to its LAD, ITL3 area and Combined Authority."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from shapely import STRtree
from shapely.geometry import Point, shape

from locus.atlas.models import (
    REGISTRY_KINDS,
    InfrastructureSite,
    InfrastructureSiteChange,
    SiteChangeAction,
    SiteKind,
    SiteOrigin,
)
from locus.atlas.text import plural
from locus.errors import AtlasError, DataFileError, LocusError

CSV_COLUMNS = ("name", "type", "postcode", "source", "date_checked")
CSV_OPTIONAL = ("website", "notes", "latitude", "longitude")
MAX_IMPORT_ROWS = 5000
# Publisher, vintage and licence as data/atlas/SOURCES.md records them (no semicolons: the map's key
# joins several sources' texts with "; "). Changing either text reloads the bundled sites (the load's
# checksum covers it), so existing databases get the corrected wording on the next `locus load`.
HE_SOURCE = ("Learning providers plus, learning-provider.data.ac.uk (from UKRLP and ONS postcode data), "
             "about 2013/14, licence: published as open data by learning-provider.data.ac.uk "
             "(copy from ODI Leeds' learning-provider-website-emissions repository, MIT)")
MAKERSPACE_SOURCE = "UK makerspaces survey 2015, Nesta, CC BY-SA 4.0"
BUNDLED_CHECKED = date(2015, 4, 30)
HE_CHECKED = date(2014, 7, 31)


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}, {self.field}: {self.message}"


class SiteImportError(AtlasError):
    """A CSV import with at least one bad row (nothing was imported)."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(f"{plural(len(errors), 'problem')} in the file; nothing was imported. "
                         + "; ".join(str(e) for e in errors[:5]))


# --- locating a point -------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _polygons(level: str, _stamp: int) -> tuple[STRtree, list, list[str]]:
    from locus.geography.models import Area

    rows = [(code, boundary) for code, boundary in
            Area.objects.filter(level=level).exclude(boundary="").values_list("code", "boundary")]
    shapes = [shape(json.loads(b)) for _c, b in rows]
    return STRtree(shapes), shapes, [c for c, _b in rows]


def _geo_stamp() -> int:
    from locus.geography.models import LoadRecord

    return LoadRecord.objects.filter(dataset="geography").values_list("id", flat=True).first() or 0


def _point_in(level: str, lat: float, lon: float) -> str:
    tree, shapes, codes = _polygons(level, _geo_stamp())
    point = Point(lon, lat)
    hits = [int(i) for i in tree.query(point) if shapes[int(i)].covers(point)]
    if hits:
        return codes[min(hits)]
    nearest = tree.nearest(point)  # generalised coastlines: a point just offshore
    if nearest is not None and shapes[int(nearest)].distance(point) < 0.03:
        return codes[int(nearest)]
    return ""


def point_locate(*, lat: float, lon: float, lad_code: str = "") -> dict[str, str]:
    """LAD, ITL3 and Combined Authority codes of a point (WGS84)."""
    from locus.geography.models import Area

    lad_code = lad_code or _point_in("lad", lat, lon)
    itl3 = _point_in("itl3", lat, lon)
    ca = Area.objects.filter(code=lad_code).values_list("combined_authority_id", flat=True).first() or ""
    return {"lad_code": lad_code, "itl3_code": itl3, "ca_code": ca or ""}


def postcode_locate(*, postcode: str) -> dict:
    """Geocode a postcode (bundled table) and locate it; raises PostcodeError."""
    from locus.geography.geocoding import postcode_place_get

    place = postcode_place_get(text=postcode)
    loc = place.location
    return {"postcode": loc.postcode, "lat": loc.lat, "lon": loc.lon,
            **point_locate(lat=loc.lat, lon=loc.lon, lad_code=loc.lad_code or "")}


# --- registry writes ------------------------------------------------------------------------------

def _kind(text: str) -> str | None:
    key = (text or "").strip().lower().replace("-", " ").replace("_", " ")
    for kind in REGISTRY_KINDS:
        if key in (kind.value.replace("_", " "), kind.label.lower()):
            return kind.value
    aliases = {"catapult": "catapult", "science park": "science_park", "research park": "science_park",
               "proof of concept fund": "poc_fund", "poc fund": "poc_fund", "hub": "innovation_hub"}
    return aliases.get(key)


def _date(text: str) -> date:
    value = date.fromisoformat((text or "").strip())
    if value > date.today():
        raise ValueError("is in the future")
    return value


def site_fields_check(*, data: dict) -> tuple[dict, list[tuple[str, str]]]:
    """Validate one entry (form or CSV row): (clean fields, [(field, message)])."""
    errors, clean = [], {}
    clean["name"] = (data.get("name") or "").strip()
    if not clean["name"]:
        errors.append(("name", "Enter the name of the site"))
    elif len(clean["name"]) > 200:
        errors.append(("name", "Name must be 200 characters or fewer"))
    clean["kind"] = _kind(data.get("type") or data.get("kind") or "")
    if clean["kind"] is None:
        errors.append(("type", "Type must be one of: " + ", ".join(k.label for k in REGISTRY_KINDS)))
    clean["source"] = (data.get("source") or "").strip()
    if not clean["source"]:
        errors.append(("source", "Enter where this entry comes from (a web page or document)"))
    try:
        clean["date_checked"] = _date(data.get("date_checked") or "")
    except ValueError as exc:
        msg = "is in the future" if "future" in str(exc) else "must be a date like 2026-03-31"
        errors.append(("date_checked", f"Date checked {msg}"))
    clean["website"] = (data.get("website") or "").strip()
    if clean["website"] and not clean["website"].startswith(("http://", "https://")):
        errors.append(("website", "Website must start with http:// or https://"))
    clean["notes"] = (data.get("notes") or "").strip()
    errors += _location(data, clean)
    return clean, errors


def _location(data: dict, clean: dict) -> list[tuple[str, str]]:
    postcode = (data.get("postcode") or "").strip()
    lat, lon = (data.get("latitude") or "").strip(), (data.get("longitude") or "").strip()
    if not postcode and not (lat and lon):
        return [("postcode", "Enter the postcode of the site")]
    if postcode:
        try:
            clean.update(postcode_locate(postcode=postcode))
            return []
        except LocusError as exc:
            if not (lat and lon):
                return [("postcode", str(exc))]
    try:
        flat, flon = float(lat), float(lon)
    except ValueError:
        return [("latitude", "Latitude and longitude must be numbers")]
    if not (49 <= flat <= 61 and -9 <= flon <= 2.5):
        return [("latitude", "Latitude and longitude must be in the UK")]
    clean.update({"postcode": postcode.upper(), "lat": flat, "lon": flon, **point_locate(lat=flat, lon=flon)})
    return []


HISTORY_FIELDS = ("name", "kind", "postcode", "lat", "lon", "lad_code", "itl3_code", "ca_code", "website",
                  "source", "date_checked", "notes")


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def _snapshot(site: InfrastructureSite) -> dict:
    return {f: _plain(getattr(site, f)) for f in HISTORY_FIELDS}


def _change(site: InfrastructureSite, action: str, changes: dict, user, at=None) -> InfrastructureSiteChange:
    """The history row of one edit (not saved)."""
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    return InfrastructureSiteChange(
        site=None if action == SiteChangeAction.DELETED else site, site_ref=site.pk, site_name=site.name,
        action=action, changes=changes, user=user if signed_in else None,
        username=user.get_username() if signed_in else "", at=at or timezone.now())


def _created(site: InfrastructureSite) -> dict:
    return {f: [None, v] for f, v in _snapshot(site).items() if v not in (None, "")}


def _already_listed(clean: dict, exclude_pk: int | None = None) -> list[tuple[str, str]]:
    """The CSV import's duplicate rule for one site: the same name at the same postcode."""
    same = InfrastructureSite.objects.filter(name=clean["name"], postcode=clean.get("postcode", ""))
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    if same.exists():
        return [("name", f"{clean['name']} at {clean.get('postcode') or 'this location'} is already listed")]
    return []


def site_create(*, data: dict, user=None) -> InfrastructureSite:
    clean, errors = site_fields_check(data=data)
    if not errors:
        errors = _already_listed(clean)
    if errors:
        raise SiteImportError([RowError(1, f, msg) for f, msg in errors])
    with transaction.atomic():
        site = InfrastructureSite.objects.create(origin=SiteOrigin.REGISTRY, created_by=user, **clean)
        _change(site, SiteChangeAction.CREATED, _created(site), user).save()
    return site


def site_update(*, site: InfrastructureSite, data: dict, user=None) -> InfrastructureSite:
    """Change a registry entry; the history records each field that changed, before and after."""
    if site.origin != SiteOrigin.REGISTRY:
        raise AtlasError("Bundled sites are read-only: correct the bundled file instead.")
    clean, errors = site_fields_check(data=data)
    if not errors:
        errors = _already_listed(clean, exclude_pk=site.pk)
    if errors:
        raise SiteImportError([RowError(1, f, msg) for f, msg in errors])
    before = _snapshot(site)
    for key, value in clean.items():
        setattr(site, key, value)
    after = _snapshot(site)
    changed = {f: [before[f], after[f]] for f in HISTORY_FIELDS if before[f] != after[f]}
    with transaction.atomic():
        site.save()
        if changed:
            _change(site, SiteChangeAction.UPDATED, changed, user).save()
    return site


def site_delete(*, site: InfrastructureSite, user=None) -> None:
    if site.origin != SiteOrigin.REGISTRY:
        raise AtlasError("Bundled sites are read-only.")
    site_removed(site=site, user=user)


def site_saved(*, site: InfrastructureSite, user=None) -> InfrastructureSite:
    """Save an entry changed elsewhere (the admin site) and record what changed."""
    before = _snapshot(InfrastructureSite.objects.get(pk=site.pk)) if site.pk else None
    with transaction.atomic():
        site.save()
        if before is None:
            _change(site, SiteChangeAction.CREATED, _created(site), user).save()
        elif changed := {f: [before[f], v] for f, v in _snapshot(site).items() if before[f] != v}:
            _change(site, SiteChangeAction.UPDATED, changed, user).save()
    return site


def site_removed(*, site: InfrastructureSite, user=None) -> None:
    """Delete an entry from the admin site (bundled ones too) and record it."""
    with transaction.atomic():
        _change(site, SiteChangeAction.DELETED, {f: [v, None] for f, v in _snapshot(site).items()
                                                  if v not in (None, "")}, user).save()
        site.delete()


def site_history(*, site_ref: int) -> list[InfrastructureSiteChange]:
    """Every recorded edit of a registry entry, newest first (also after it was deleted)."""
    return list(InfrastructureSiteChange.objects.filter(site_ref=site_ref).select_related("user"))


def sites_import_csv(*, text: str, user=None) -> list[InfrastructureSite]:
    """Import registry sites from CSV text; every row is checked first and any error (with its
    line and field) stops the whole import."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise SiteImportError([RowError(1, c, "missing column (the first line must name the columns: "
                                        + ", ".join(CSV_COLUMNS) + ")") for c in missing])
    errors, rows, seen = [], [], set()
    existing = set(InfrastructureSite.objects.values_list("name", "postcode"))
    for number, raw in enumerate(reader, start=2):
        data = {(k or "").strip().lower(): (v or "") for k, v in raw.items()}
        if not any(v.strip() for v in data.values()):
            continue
        if len(rows) >= MAX_IMPORT_ROWS:
            errors.append(RowError(number, "file", f"more than {MAX_IMPORT_ROWS} rows: split the file"))
            break
        clean, problems = site_fields_check(data=data)
        key = (clean["name"], clean.get("postcode", ""))
        if not problems and (key in seen or key in existing):
            problems.append(("name", f"{clean['name']} at {key[1] or 'this location'} is already listed"))
        seen.add(key)
        errors += [RowError(number, f, msg) for f, msg in problems]
        rows.append(clean)
    if errors:
        raise SiteImportError(errors)
    if not rows:
        raise SiteImportError([RowError(2, "file", "the file has no rows below its header")])
    with transaction.atomic():
        created = InfrastructureSite.objects.bulk_create(
            [InfrastructureSite(origin=SiteOrigin.REGISTRY, created_by=user, **r) for r in rows])
        at = timezone.now()
        InfrastructureSiteChange.objects.bulk_create(
            [_change(site, SiteChangeAction.IMPORTED, _created(site), user, at) for site in created])
        return created


# --- bundled sites ----------------------------------------------------------------------------------

def _read_csv(path: Path, required: tuple[str, ...]) -> list[dict]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(f"cannot read ({exc})", path=str(path)) from exc
    reader = csv.DictReader(io.StringIO(text))
    for column in required:
        if column not in (reader.fieldnames or []):
            raise DataFileError("missing column", path=str(path), line=1, field=column)
    return list(reader)


def _he_sites(path: Path) -> list[InfrastructureSite]:
    out = []
    for line, row in enumerate(_read_csv(path, ("UKPRN", "VIEW_NAME", "LATITUDE", "LONGITUDE")), start=2):
        where: dict = {}
        if row["LATITUDE"].strip() or row["LONGITUDE"].strip():
            try:
                lat, lon = float(row["LATITUDE"]), float(row["LONGITUDE"])
            except ValueError:
                raise DataFileError("not a number", path=str(path), line=line, field="LATITUDE") from None
            where = {"lat": lat, "lon": lon, **point_locate(lat=lat, lon=lon)}
        out.append(InfrastructureSite(
            name=row["VIEW_NAME"].strip(), kind=SiteKind.UNIVERSITY, origin=SiteOrigin.HE_PROVIDERS,
            postcode=row.get("POSTCODE", "").strip(), website=row.get("WEBSITE_URL", "")[:300],
            source=HE_SOURCE, date_checked=HE_CHECKED, external_id=row["UKPRN"], **where))
    return out


def _makerspaces(path: Path) -> list[InfrastructureSite]:
    from locus.geography.postcodes import default_index

    index, out = default_index(), []
    rows = _read_csv(path, ("Name of makerspace", "Postcode", "Website / URL"))
    for row in rows:
        if not row["Name of makerspace"].strip():  # the survey's last record is empty: not a site
            continue
        postcode = row["Postcode"].strip()
        closed = row.get("Date your space closed (if it is no longer running)", "").strip()
        fields = {"postcode": postcode.upper()}
        try:
            loc = index.lookup(postcode)
            if loc.lat is not None:
                fields = {"postcode": loc.postcode, "lat": loc.lat, "lon": loc.lon,
                          **point_locate(lat=loc.lat, lon=loc.lon, lad_code=loc.lad_code or "")}
        except LocusError:
            pass
        website = row["Website / URL"].strip()
        out.append(InfrastructureSite(
            name=row["Name of makerspace"].strip()[:200], kind=SiteKind.MAKERSPACE, origin=SiteOrigin.MAKERSPACES,
            website=website[:300] if website.startswith("http") else "", source=MAKERSPACE_SOURCE,
            date_checked=BUNDLED_CHECKED, notes=f"Closed: {closed}" if closed else "", **fields))
    return out


def bundled_sites_digest(*, he_file: Path, makerspace_file: Path) -> str:
    """The bundled sites' load checksum: both files and the source text stored with each site, so a
    corrected text (HE_SOURCE once named a repository path and no licence) reaches loaded databases."""
    text = f"{HE_SOURCE}\n{MAKERSPACE_SOURCE}\n{HE_CHECKED}\n{BUNDLED_CHECKED}".encode()
    return hashlib.sha256(he_file.read_bytes() + makerspace_file.read_bytes() + text).hexdigest()


def bundled_sites_load(*, he_file: Path, makerspace_file: Path, force: bool = False,
                       say: Callable[[str], None] = lambda _m: None) -> dict:
    """Replace the bundled universities and makerspaces (registry entries are kept)."""
    from locus.geography.models import LoadRecord

    digest = bundled_sites_digest(he_file=he_file, makerspace_file=makerspace_file)
    if not force and LoadRecord.objects.filter(dataset="atlas-infrastructure", checksum=digest).exists():
        return {"infrastructure": "up to date"}
    say("Locating universities and makerspaces")
    sites = _he_sites(he_file) + _makerspaces(makerspace_file)
    with transaction.atomic():
        InfrastructureSite.objects.exclude(origin=SiteOrigin.REGISTRY).delete()
        InfrastructureSite.objects.bulk_create(sites)
        LoadRecord.objects.filter(dataset="atlas-infrastructure").delete()
        summary = {"universities": sum(s.kind == SiteKind.UNIVERSITY for s in sites),
                   "makerspaces": sum(s.kind == SiteKind.MAKERSPACE for s in sites),
                   "unlocated": sum(not s.lad_code for s in sites)}
        LoadRecord.objects.create(dataset="atlas-infrastructure", checksum=digest, summary=summary)
    return {"infrastructure": summary}
