"""Command line for the atlas: ``build`` and ``atlas export``, plus the Parquet readers behind
``locus atlas show --build`` and ``locus atlas opportunities --build`` (the commands themselves
live in ``locus.atlas.cli`` and read the loaded database by default). The project's ``locus``
console script mounts them as ``locus build`` and ``locus atlas ...``."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pyarrow.compute as pc
import typer
from rich.console import Console
from rich.table import Table

from locus.cli_support import exit_statuses, fail, output_path_check
from locus.errors import LocusError
from locus.pathways.stages import STAGE_IDS
from locus.pipeline.export import (
    export_provenance,
    geojson_export,
    manifest_read,
    provenance_path,
    table_export,
    table_read,
)
from locus.pipeline.runner import DEFAULT_DATA_DIR, atlas_build, default_out_dir

app = typer.Typer(help="Atlas pipeline: build the atlas and query the built tables.", no_args_is_help=True)
atlas_app = typer.Typer(help="The atlas: show an area, list opportunities, load a build, export tables.",
                        no_args_is_help=True)
app.add_typer(atlas_app, name="atlas")
console = Console()

DataDir = typer.Option(DEFAULT_DATA_DIR, "--data-dir", show_default="data/atlas",
                       help="Folder of the atlas inputs (data/atlas). The build also reads the folders beside it, "
                            "../geography (boundaries and area lookups) and ../collaboration (network indicators), "
                            "so a copy must keep all three side by side; the data/ folder that holds them is "
                            "accepted too.")
AtlasDir = typer.Option(None, "--atlas-dir", show_default="<LOCUS_DATA_DIR>/atlas",
                        help="Folder of a built atlas (where `locus build` writes and `locus atlas load` reads).")


_fail = functools.partial(fail, console)


def _data_dir_resolve(data_dir: Path, *, needs: tuple[str, ...] = ()) -> Path:
    """The atlas inputs folder: ``data_dir`` itself, or its ``atlas/`` when given the data/ root.
    Refuses (LocusError naming the folder it expected and why) a folder without the siblings the
    build reads, before anything is built."""
    from locus.pipeline.sources import SOURCES

    if not data_dir.is_dir():
        raise LocusError(f"--data-dir {data_dir} is not a folder: give data/atlas (or data/) of the repository "
                         "or of a copy of it")
    if (data_dir / "atlas").is_dir() and not (data_dir.parent / "geography").is_dir():
        data_dir = data_dir / "atlas"  # the data/ root: atlas/, geography/, collaboration/ inside
    siblings = list(needs) or sorted({s.path.split("/")[1] for s in SOURCES if s.path.startswith("../")})
    missing = [name for name in siblings if not (data_dir.parent / name).is_dir()]
    if missing:
        raise LocusError(f"--data-dir {data_dir}: Locus also reads the folder{'s' if len(siblings) > 1 else ''} "
                         f"{' and '.join(str(data_dir.parent / n) for n in siblings)} beside it (" +
                         ("boundaries, area lookups, network indicators" if len(siblings) > 1 else "boundaries") +
                         "), and {data_dir.parent / missing[0]} does not exist: "
                         "copy the whole data/ folder and give its atlas/ folder (or the data/ folder itself)")
    return data_dir


@app.command("build")
@exit_statuses
def build(data_dir: Path = DataDir,
          out_dir: Path = typer.Option(None, "--out-dir", show_default="<LOCUS_DATA_DIR>/atlas",
                                       help="Output folder (replaced atomically); the default is the folder "
                                            "`locus atlas load` and the web app load from."),
          quiet: bool = typer.Option(False, "--quiet", help="Print only the summary.")) -> None:
    """Build the atlas from the bundled data into Parquet files and manifest.json.

    A missing, truncated or malformed input file (named with its line and field) or a failed data
    check is wrong input; the previous build stays in place."""
    try:
        data_dir = _data_dir_resolve(data_dir)
        if out_dir is not None and (out_dir.exists() and not out_dir.is_dir() or not out_dir.parent.is_dir()):
            raise LocusError(f"cannot write --out-dir {out_dir}: " + (
                "it is a file, not a folder" if out_dir.exists() else
                f"the folder {out_dir.parent} does not exist (Locus does not create it: make it first)"))
    except LocusError as exc:
        _fail(exc, code=2)
        return
    out_dir = out_dir or default_out_dir()
    try:
        manifest = atlas_build(data_dir=data_dir, out_dir=out_dir,
                               progress=None if quiet else (lambda m: console.print(f"  {m}")))
    except LocusError as exc:  # an input file or a data check (ADR 0031: wrong input)
        _fail(exc, code=2)
        return
    rows = sum(t["rows"] for t in manifest.tables.values())
    console.print(f"built {len(manifest.tables)} tables ({rows} rows) in {manifest.timings['total']:.1f} s "
                  f"into {manifest.out_dir}; {manifest.checks_passed} checks passed; "
                  f"{manifest.unresolved_rows} source rows could not be placed (see unresolved_codes)")


def area_render(*, area: dict, scores: list[dict], links: dict[str, dict], neighbours: list[tuple[str, float]],
                source: str) -> None:
    """Print one area's pathway: every stage (a stage without a score says "no data"), its weak
    link with the 95% interval, and the statistical neighbours. Rows are plain dicts so that the
    loaded database and a Parquet build print the same way."""
    level = area["level"]
    population = area.get("population_2020")
    console.print(f"[bold]{area['name']}[/bold] ({area['code']}, {level})"
                  + (f"; population 2020 {population:,.0f}" if population else "") + f" - {source}")
    by_stage = {r["stage"]: r for r in scores}
    table = Table("stage", "year", "score", "trend", "indicators", "expected", "gap (95% interval)", "verdict")
    for column in table.columns:
        column.no_wrap = True
    for stage in STAGE_IDS:
        r = by_stage.get(stage)
        if r is None:
            table.add_row(stage, "", "no data", "", "", "", "", "")
            continue
        link = links.get(stage)
        trend = "" if r["trend"] is None else f"{r['trend']:+.3f}"
        gap = "" if not link else f"{link['gap']:+.2f} ({link['lo']:+.2f} to {link['hi']:+.2f})"
        verdict = "" if not link else ("weak link" if link["is_weak"] else
                                       "stronger than expected" if link.get("is_strong") else "as expected")
        table.add_row(stage, str(r["year"]), f"{r['score']:.2f}", trend, f"{r['n_indicators']}/{r['n_stage_indicators']}",
                      "" if not link else f"{link['expected']:.2f}", gap, verdict)
    # Piped into a file or another program, print the whole table (Rich assumes 80 columns there).
    (console if console.is_terminal else Console(file=console.file, width=140)).print(table)
    missing = [s for s in STAGE_IDS if s not in by_stage]
    if missing and level == "lad":
        console.print("No district score for " + ", ".join(missing) + ": fewer than half of these stages' "
                      "indicators are measured for districts (methodology, section 4).")
    elif missing and level not in ("itl3", "ca"):
        console.print("Pathway scores exist for ITL3 areas, Combined Authorities and districts only.")
    if neighbours:
        console.print("neighbours: " + ", ".join(f"{name} ({distance:.2f})" for name, distance in neighbours))


def build_show(*, area: str, atlas_dir: Path) -> None:
    """``locus atlas show AREA --build DIR``: read an area's pathway from a Parquet build."""
    manifest_read(atlas_dir=atlas_dir)
    areas = table_read(atlas_dir=atlas_dir, table="areas")
    code = area.strip().upper()
    found = areas.filter(pc.equal(areas["code"], code)).to_pylist()
    if not found:
        raise LocusError(f"unknown area code {area!r} in the build in {atlas_dir}")
    scores = table_read(atlas_dir=atlas_dir, table="stage_scores").to_pylist()
    links = table_read(atlas_dir=atlas_dir, table="weak_links").to_pylist()
    neigh = table_read(atlas_dir=atlas_dir, table="neighbours").to_pylist()
    names = {(a["code"], a["level"]): a["name"] for a in areas.to_pylist()}
    for info in found:
        level = info["level"]
        near = sorted((r for r in neigh if r["area_code"] == code and r["level"] == level), key=lambda r: r["rank"])
        area_render(area=info, scores=[r for r in scores if r["area_code"] == code and r["level"] == level
                                       and r["is_latest"]],
                    links={r["stage"]: r for r in links if r["area_code"] == code and r["level"] == level},
                    neighbours=[(names.get((r["neighbour_code"], level), r["neighbour_code"]), r["distance"])
                                for r in near], source=f"Parquet build in {atlas_dir}")


def opportunities_render(rows: list[dict], *, scope: str, as_json: bool, provenance: dict | None = None,
                         cited: str = "") -> None:
    """Print ranked opportunities (or JSON: a list of rows, each with ``provenance`` under that key, as
    /api/v1/opportunities gives its rows; ``cited``, printed under the list, names the source, licence
    and method in one line)."""
    if as_json:
        console.print_json(json.dumps([{**r, "provenance": provenance} if provenance else r for r in rows],
                                      default=str))
        return
    if not rows:
        console.print(f"no opportunities in scope {scope}")
        return
    for r in rows:
        console.print(f"[bold]{r['rank']}. {r['area_name']}[/bold] ({r['area_code']}) - {r['stage']}\n   {r['reason']}")
    if cited:
        console.print(cited, markup=False)


def build_opportunities(*, ca: str | None, limit: int, as_json: bool, atlas_dir: Path) -> None:
    """``locus atlas opportunities --build DIR``: ranked opportunities from a Parquet build, with the
    provenance ``locus atlas export opportunities`` writes beside the table."""
    table = table_read(atlas_dir=atlas_dir, table="opportunities")
    scope = (ca or "national").strip().upper() if ca else "national"
    if ca:
        areas = table_read(atlas_dir=atlas_dir, table="areas")
        if not areas.filter(pc.and_(pc.equal(areas["code"], scope), pc.equal(areas["level"], "ca"))).num_rows:
            raise LocusError(f"{ca!r} is not a Combined Authority code of the build in {atlas_dir}")
    rows = sorted((r for r in table.to_pylist() if r["scope"] == scope), key=lambda r: r["rank"])[:limit]
    for r in rows:
        r["numbers"] = json.loads(r["numbers"] or "{}")
    provenance = export_provenance(atlas_dir=atlas_dir, table="opportunities")
    licences = list(dict.fromkeys(s["licence"].strip().rstrip(".") for s in provenance["sources"] if s.get("licence")))
    cited = (f"Source: Locus atlas Parquet build in {atlas_dir} ({provenance['build']['created_at']}), from "
             f"{len(provenance['sources'])} published input files, each with its publisher and vintage in "
             f"--json or manifest.json. Licence: {'. '.join(licences) or 'see the manifest'}. "
             f"Method: {provenance['methodology']}")
    opportunities_render(rows, scope=scope, as_json=as_json, provenance=provenance, cited=cited)


def _bundled_geometries(data_dir: Path):
    """Area code -> GeoJSON geometry, dissolved from the bundled ONS boundaries (data/geography)."""
    from locus.geography.boundaries import geometry_to_geojson
    from locus.geography.build import derive_geography

    build = derive_geography(data_dir=data_dir.parent / "geography")
    shapes = {code: json.loads(geometry_to_geojson(a.geometry)) for code, a in build.areas.items() if a.geometry}
    return shapes.get


@atlas_app.command("export")
@exit_statuses
def export(table: str = typer.Argument(..., help="Table name, e.g. indicator_values."),
           fmt: str = typer.Option("csv", "--format", help="csv, parquet or geojson (rows with an area code, "
                                   "with boundaries from data/geography)."),
           out: Path = typer.Option(..., "--out", help="File to write."), atlas_dir: Path = AtlasDir,
           data_dir: Path = DataDir) -> None:
    """Export one atlas table to CSV, Parquet or GeoJSON.

    The folder of --out must exist (it is never created); an unknown table or format, or an --out
    that cannot be written, is refused before anything is written. No build in --atlas-dir is
    status 1 (run `locus build`)."""
    atlas_dir = atlas_dir or default_out_dir()
    try:
        if fmt not in ("csv", "parquet", "geojson"):
            raise LocusError(f"unknown --format {fmt!r}: use csv, parquet or geojson")
        output_path_check("--out", out)
        if fmt == "csv":
            output_path_check("--out", provenance_path(out))  # the provenance beside it
        if fmt == "geojson":
            data_dir = _data_dir_resolve(data_dir, needs=("geography",))
    except LocusError as exc:
        _fail(exc, code=2)
        return
    if not (atlas_dir / "manifest.json").is_file():  # Locus has nothing to export yet: 1, not wrong input
        _fail(LocusError(f"no atlas build in {atlas_dir}: run `locus build` first"))
        return
    try:
        if fmt == "geojson":
            data = table_read(atlas_dir=atlas_dir, table=table)
            column = next((c for c in ("area_code", "code") if c in data.column_names), None)
            if column is None:
                raise LocusError(f"table {table!r} has no area code column: export it as csv or parquet")
            rows = geojson_export(table=data, geometry_provider=_bundled_geometries(data_dir), out=out,
                                  code_column=column,
                                  provenance=export_provenance(atlas_dir=atlas_dir, table=table))
        else:
            rows = table_export(atlas_dir=atlas_dir, table=table, fmt=fmt, out=out)
    except LocusError as exc:  # an unknown table, or one without area codes for geojson
        _fail(exc, code=2)
        return
    where = {"csv": f"in {provenance_path(out)}", "parquet": "in the file's metadata (locus_provenance)",
             "geojson": "in the file's provenance member"}.get(fmt, "")
    console.print(f"wrote {rows} {'features' if fmt == 'geojson' else 'rows'} to {out}; sources, vintages "
                  f"and licences {where}")
    if fmt == "geojson" and rows < data.num_rows:  # say what a map file cannot hold, rather than drop it silently
        console.print(f"left out {data.num_rows - rows} rows whose area has no boundary in data/geography "
                      "(the UK as a whole, or codes no longer in use): export as csv or parquet for every row")


if __name__ == "__main__":  # pragma: no cover
    app()
