"""Derive every area (nations to LADs, ITL 2021, Combined Authorities) from the bundled files.

Django-free: returns plain records that ``services.geography_load`` writes in one transaction.
Boundaries of every level above LAD are dissolved from the LAD polygons (see docs/methodology/geography.md).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from shapely import make_valid
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from locus.errors import DataFileError
from locus.geography.readers import parse_float, read_csv_rows, read_geojson_features

NATIONS = {  # GSS codes from the ONS Register of Geographic Codes
    "E": ("E92000001", "England"),
    "W": ("W92000004", "Wales"),
    "S": ("S92000003", "Scotland"),
    "N": ("N92000002", "Northern Ireland"),
}
ITL1_NATION = {"TLL": "W", "TLM": "S", "TLN": "N"}  # every other ITL1 (TLC..TLK) is in England
LONDON_REGION = "E12000007"
GLA_NOTE = ("London is an English region governed by the Greater London Authority (GLA), a strategic "
            "authority for the 33 London boroughs; the ONS lookup does not list it as a Combined Authority.")
LEVELS = ("nation", "region", "itl1", "itl2", "itl3", "ca", "lad")


@dataclass
class AreaRecord:
    code: str
    name: str
    level: str
    parent: str | None = None
    nation: str | None = None
    region: str | None = None
    ca: str | None = None
    population: float | None = None
    population_estimated: bool = False
    land_hectares: float | None = None
    geometry: BaseGeometry | None = None
    boundary_note: str = ""
    note: str = ""
    name_welsh: str = ""


@dataclass(frozen=True)
class Membership:
    child: str
    parent: str
    relation: str  # level of the parent
    share: float  # share of the child's population in the parent
    split: bool  # the child lies in more than one parent of this level
    method: str


@dataclass
class GeographyBuild:
    areas: dict[str, AreaRecord] = field(default_factory=dict)
    memberships: list[Membership] = field(default_factory=list)
    neighbours: list[tuple[str, str]] = field(default_factory=list)
    # LAD -> ITL3 -> LAU1 codes: how each 2023 LAD divides between ITL3 areas
    itl3_parts: dict[str, dict[str, list[str]]] = field(default_factory=dict)


def _lad_records(data_dir: Path) -> dict[str, AreaRecord]:
    path = data_dir / "lad_2023_buc.geojson"
    lads: dict[str, AreaRecord] = {}
    for feature in read_geojson_features(path, code_field="LAD23CD"):
        props = feature["properties"]
        code = props["LAD23CD"]
        if code[0] not in NATIONS:
            raise DataFileError(f"unknown nation prefix in {code}", path=str(path), field="LAD23CD")
        lads[code] = AreaRecord(code=code, name=props["LAD23NM"].strip(), level="lad",
                                name_welsh=(props.get("LAD23NMW") or "").strip(),  # " " when none
                                nation=NATIONS[code[0]][0],
                                geometry=make_valid(shape(feature["geometry"])))
    _attach_population(lads, data_dir)
    _attach_land_area(lads, data_dir)
    return lads


def _attach_population(lads: dict[str, AreaRecord], data_dir: Path) -> None:
    path = data_dir / "mysociety_local_authorities.csv"
    for line, row in read_csv_rows(path, required=("gss-code", "end-date", "pop-2020"),
                                     may_be_empty=("gss-code", "end-date", "pop-2020")):
        record = lads.get(row["gss-code"].strip())
        if record is None or row.get("end-date", "").strip():
            continue
        if row["pop-2020"].strip():
            record.population = parse_float(row["pop-2020"], path=path, line=line, field="pop-2020")
    missing = [code for code, record in lads.items() if record.population is None]
    if missing:
        raise DataFileError(f"no pop-2020 for {len(missing)} LADs, e.g. {missing[0]}", path=str(path))


def _attach_land_area(lads: dict[str, AreaRecord], data_dir: Path) -> None:
    path = data_dir / "sam_lad_2023.csv"
    for line, row in read_csv_rows(path, required=("LAD23CD", "AREALHECT")):
        record = lads.get(row["LAD23CD"])
        if record is None:
            raise DataFileError(f"unknown LAD {row['LAD23CD']}", path=str(path), line=line,
                                field="LAD23CD")
        record.land_hectares = parse_float(row["AREALHECT"], path=path, line=line, field="AREALHECT")


def _add_nations(build: GeographyBuild) -> None:
    for code, name in NATIONS.values():
        build.areas[code] = AreaRecord(code=code, name=name, level="nation", nation=code)


def _add_regions(build: GeographyBuild, lads: dict[str, AreaRecord], data_dir: Path) -> None:
    path = data_dir / "lad23_region_2023.csv"
    for line, row in read_csv_rows(path, required=("LAD23CD", "RGN23CD", "RGN23NM")):
        lad = lads.get(row["LAD23CD"])
        if lad is None:
            raise DataFileError(f"unknown LAD {row['LAD23CD']}", path=str(path), line=line,
                                field="LAD23CD")
        code = row["RGN23CD"]
        if code not in build.areas:
            build.areas[code] = AreaRecord(code=code, name=row["RGN23NM"], level="region",
                                           parent=NATIONS["E"][0], nation=NATIONS["E"][0],
                                           note=GLA_NOTE if code == LONDON_REGION else "")
        lad.region = code
        build.memberships.append(Membership(lad.code, code, "region", 1.0, False, "ONS lookup"))


def _add_combined_authorities(build: GeographyBuild, lads: dict[str, AreaRecord],
                              data_dir: Path) -> None:
    path = data_dir / "lad25_ca_2025.csv"
    by_name = {record.name: code for code, record in lads.items()}
    for line, row in read_csv_rows(path, required=("LAD25CD", "LAD25NM", "CAUTH25CD", "CAUTH25NM")):
        lad_code = row["LAD25CD"]
        if lad_code not in lads:
            # ONS re-coded a few LADs after small boundary changes (for example Barnsley and
            # Sheffield in 2024); the 2023 record of the same name is the same council.
            lad_code = by_name.get(row["LAD25NM"].strip(), "")
            if not lad_code:
                raise DataFileError(f"LAD {row['LAD25CD']} matches no 2023 LAD code or name",
                                    path=str(path), line=line, field="LAD25CD")
        code = row["CAUTH25CD"]
        if code not in build.areas:
            build.areas[code] = AreaRecord(code=code, name=row["CAUTH25NM"].strip(), level="ca",
                                           parent=NATIONS["E"][0], nation=NATIONS["E"][0])
        lads[lad_code].ca = code
        build.memberships.append(Membership(lad_code, code, "ca", 1.0, False, "ONS lookup (May 2025)"))


def _lau_population(data_dir: Path) -> dict[str, float]:
    """Population (2020) of former districts, which are the LAU1 units of 2023 unitaries."""
    path = data_dir / "mysociety_local_authorities.csv"
    return {row["gss-code"]: float(row["pop-2020"])
            for _, row in read_csv_rows(path, required=("gss-code", "pop-2020"),
                                        may_be_empty=("gss-code", "pop-2020"))
            if row["gss-code"].strip() and row["pop-2020"].strip()}


def _add_itl(build: GeographyBuild, lads: dict[str, AreaRecord], data_dir: Path) -> None:
    """Add ITL1-3 areas and the LAD -> ITL3 memberships with their shares."""
    path = data_dir / "lad23_lau1_itl_2021.csv"
    required = ("LAD23CD", "LAU121CD", "ITL321CD", "ITL321NM", "ITL221CD", "ITL221NM",
                "ITL121CD", "ITL121NM")
    lau_pop = _lau_population(data_dir)
    parts: dict[str, dict[str, list[tuple[str, float | None]]]] = defaultdict(lambda: defaultdict(list))
    for line, row in read_csv_rows(path, required=required):
        if row["LAD23CD"] not in lads:
            raise DataFileError(f"unknown LAD {row['LAD23CD']}", path=str(path), line=line,
                                field="LAD23CD")
        nation = NATIONS[ITL1_NATION.get(row["ITL121CD"], "E")][0]
        for level, code_f, name_f, parent in (
            ("itl1", "ITL121CD", "ITL121NM", nation),
            ("itl2", "ITL221CD", "ITL221NM", row["ITL121CD"]),
            ("itl3", "ITL321CD", "ITL321NM", row["ITL221CD"]),
        ):
            build.areas.setdefault(row[code_f], AreaRecord(
                code=row[code_f], name=row[name_f].strip(), level=level, parent=parent, nation=nation))
        parts[row["LAD23CD"]][row["ITL321CD"]].append((row["LAU121CD"], lau_pop.get(row["LAU121CD"])))
    _itl3_memberships(build, lads, parts)
    build.itl3_parts = {lad: {itl3: [lau for lau, _ in units] for itl3, units in by_itl3.items()}
                        for lad, by_itl3 in parts.items()}


def _itl3_memberships(build: GeographyBuild, lads: dict[str, AreaRecord], parts: dict) -> None:
    for lad_code, by_itl3 in parts.items():
        lad = lads[lad_code]
        split = len(by_itl3) > 1
        all_known = all(pop is not None for units in by_itl3.values() for _, pop in units)
        if all_known:
            weights = {itl3: sum(pop for _, pop in units) for itl3, units in by_itl3.items()}
            method = "population of the former districts (LAU1), mySociety 2020"
        else:
            weights = {itl3: float(len(units)) for itl3, units in by_itl3.items()}
            method = "share of LAU1 units (no LAU1 population bundled): an estimate"
        total = sum(weights.values())
        for itl3, weight in weights.items():
            build.memberships.append(Membership(lad_code, itl3, "itl3", weight / total, split,
                                                method if split else "ONS lookup"))
        lad.parent = max(weights, key=lambda code: (weights[code], code))


def derive_geography(*, data_dir: Path) -> GeographyBuild:
    """Read the bundled files and derive every area, membership and neighbour pair."""
    from locus.geography.boundaries import add_neighbours, dissolve_boundaries

    build = GeographyBuild()
    lads = _lad_records(data_dir)
    _add_nations(build)
    _add_regions(build, lads, data_dir)
    _add_combined_authorities(build, lads, data_dir)
    _add_itl(build, lads, data_dir)
    build.areas.update(lads)
    _aggregate_figures(build, lads)
    dissolve_boundaries(build, lads, data_dir)
    add_neighbours(build)
    return build


def _lad_shares(build: GeographyBuild, lads: dict[str, AreaRecord]) -> dict[str, dict[str, float]]:
    """For every LAD, the share of it that lies in each parent area of every level."""
    shares: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for member in build.memberships:
        shares[member.child][member.parent] += member.share
        if member.relation == "itl3":
            itl2 = build.areas[member.parent].parent
            shares[member.child][itl2] += member.share
            shares[member.child][build.areas[itl2].parent] += member.share
    for lad in lads.values():
        shares[lad.code][lad.nation] = 1.0
    return shares


def _aggregate_figures(build: GeographyBuild, lads: dict[str, AreaRecord]) -> None:
    """Population and land area of every area: share-weighted sums over its LADs.

    An area is flagged ``population_estimated`` when a LAD is split across its boundary.
    """
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    estimated: set[str] = set()
    for lad_code, by_parent in _lad_shares(build, lads).items():
        lad = lads[lad_code]
        for parent, share in by_parent.items():
            totals[parent][0] += lad.population * share
            totals[parent][1] += lad.land_hectares * share
            if share < 0.999999:
                estimated.add(parent)
    for code, (population, hectares) in totals.items():
        area = build.areas[code]
        area.population, area.land_hectares = round(population), round(hectares, 2)
        area.population_estimated = code in estimated
