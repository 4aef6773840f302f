"""Command line for the atlas: ``build`` and the ``atlas`` sub-commands (show, opportunities,
export). The project's ``locus`` console script mounts them as ``locus build`` and
``locus atlas ...``; this module only parses arguments and calls the pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.compute as pc
import typer
from rich.console import Console
from rich.table import Table

from locus.errors import LocusError
from locus.pipeline.export import geojson_export, manifest_read, table_export, table_read
from locus.pipeline.runner import DEFAULT_DATA_DIR, DEFAULT_OUT_DIR, atlas_build

app = typer.Typer(help="Atlas pipeline: build the atlas and query the built tables.", no_args_is_help=True)
atlas_app = typer.Typer(help="Query a built atlas (show an area, list opportunities, export tables).",
                        no_args_is_help=True)
app.add_typer(atlas_app, name="atlas")
console = Console()

DataDir = typer.Option(DEFAULT_DATA_DIR, "--data-dir", show_default="data/atlas", help="Folder of bundled inputs (data/atlas).")
AtlasDir = typer.Option(DEFAULT_OUT_DIR, "--atlas-dir", show_default="var/atlas", help="Folder of a built atlas.")


def _fail(exc: LocusError) -> None:
    console.print(f"[red]error:[/red] {exc}")
    raise typer.Exit(code=1)


@app.command("build")
def build(data_dir: Path = DataDir,
          out_dir: Path = typer.Option(DEFAULT_OUT_DIR, "--out-dir", show_default="var/atlas", help="Output folder (replaced atomically)."),
          quiet: bool = typer.Option(False, "--quiet", help="Print only the summary.")) -> None:
    """Build the atlas from the bundled data into Parquet files and manifest.json."""
    try:
        manifest = atlas_build(data_dir=data_dir, out_dir=out_dir,
                               progress=None if quiet else (lambda m: console.print(f"  {m}")))
    except LocusError as exc:
        _fail(exc)
        return
    rows = sum(t["rows"] for t in manifest.tables.values())
    console.print(f"built {len(manifest.tables)} tables ({rows} rows) in {manifest.timings['total']:.1f} s "
                  f"into {manifest.out_dir}; {manifest.checks_passed} checks passed; "
                  f"{manifest.unresolved_rows} source rows could not be placed (see unresolved_codes)")


@atlas_app.command("show")
def show(area: str = typer.Argument(..., help="Area code (ITL3, CA, LAD, ...)."), atlas_dir: Path = AtlasDir) -> None:
    """Show an area's stage scores, weak links and neighbours."""
    try:
        manifest_read(atlas_dir=atlas_dir)
        areas = table_read(atlas_dir=atlas_dir, table="areas")
        found = areas.filter(pc.equal(areas["code"], area)).to_pylist()
        if not found:
            raise LocusError(f"unknown area code {area!r}")
        scores = table_read(atlas_dir=atlas_dir, table="stage_scores")
        links = table_read(atlas_dir=atlas_dir, table="weak_links")
        neigh = table_read(atlas_dir=atlas_dir, table="neighbours")
    except LocusError as exc:
        _fail(exc)
        return
    names = {(a["code"], a["level"]): a["name"] for a in areas.to_pylist()}
    for info in found:
        level = info["level"]
        console.print(f"[bold]{info['name']}[/bold] ({area}, {level}); population 2020 "
                      f"{info['population_2020']:,.0f}")
        mine = scores.filter(pc.and_(pc.equal(scores["area_code"], area), pc.equal(scores["level"], level)))
        latest = [r for r in mine.to_pylist() if r["is_latest"]]
        link_by_stage = {r["stage"]: r for r in links.to_pylist() if r["area_code"] == area and r["level"] == level}
        if latest:
            table = Table("stage", "year", "score", "trend", "indicators", "expected", "gap (95% interval)", "weak")
            for r in latest:
                link = link_by_stage.get(r["stage"])
                trend = "" if r["trend"] is None else f"{r['trend']:+.3f}"
                gap = "" if not link else f"{link['gap']:+.2f} ({link['lo']:+.2f}, {link['hi']:+.2f})"
                table.add_row(r["stage"], str(r["year"]), f"{r['score']:.2f}", trend,
                              f"{r['n_indicators']}/{r['n_stage_indicators']}",
                              "" if not link else f"{link['expected']:.2f}", gap,
                              "yes" if link and link["is_weak"] else "")
            console.print(table)
        near = [r for r in neigh.to_pylist() if r["area_code"] == area and r["level"] == level]
        if near:
            console.print("neighbours: " + ", ".join(
                f"{names.get((r['neighbour_code'], level), r['neighbour_code'])} ({r['distance']:.2f})"
                for r in sorted(near, key=lambda r: r["rank"])))


@atlas_app.command("opportunities")
def opportunities(ca: str = typer.Option(None, "--ca", help="Combined Authority code for its own ranking."),
                  limit: int = typer.Option(20, "--limit", min=1), as_json: bool = typer.Option(False, "--json"),
                  atlas_dir: Path = AtlasDir) -> None:
    """List ranked investment opportunities, nationally or for one Combined Authority."""
    try:
        table = table_read(atlas_dir=atlas_dir, table="opportunities")
    except LocusError as exc:
        _fail(exc)
        return
    scope = ca or "national"
    rows = sorted((r for r in table.to_pylist() if r["scope"] == scope), key=lambda r: r["rank"])[:limit]
    if as_json:
        console.print_json(json.dumps(rows, default=str))
        return
    if not rows:
        console.print(f"no opportunities in scope {scope}")
        return
    for r in rows:
        console.print(f"[bold]{r['rank']}. {r['area_name']}[/bold] ({r['area_code']}) - {r['stage']}\n   {r['reason']}")


def _bundled_geometries(data_dir: Path):
    """Area code -> GeoJSON geometry, dissolved from the bundled ONS boundaries (data/geography)."""
    from locus.geography.boundaries import geometry_to_geojson
    from locus.geography.build import derive_geography

    build = derive_geography(data_dir=data_dir.parent / "geography")
    shapes = {code: json.loads(geometry_to_geojson(a.geometry)) for code, a in build.areas.items() if a.geometry}
    return shapes.get


@atlas_app.command("export")
def export(table: str = typer.Argument(..., help="Table name, e.g. indicator_values."),
           fmt: str = typer.Option("csv", "--format", help="csv, parquet or geojson (rows with an area code, "
                                   "with boundaries from data/geography)."),
           out: Path = typer.Option(..., "--out", help="File to write."), atlas_dir: Path = AtlasDir,
           data_dir: Path = DataDir) -> None:
    """Export one atlas table to CSV, Parquet or GeoJSON."""
    try:
        if fmt == "geojson":
            data = table_read(atlas_dir=atlas_dir, table=table)
            column = next((c for c in ("area_code", "code") if c in data.column_names), None)
            if column is None:
                raise LocusError(f"table {table!r} has no area code column: export it as csv or parquet")
            rows = geojson_export(table=data, geometry_provider=_bundled_geometries(data_dir), out=out,
                                  code_column=column)
        else:
            rows = table_export(atlas_dir=atlas_dir, table=table, fmt=fmt, out=out)
    except LocusError as exc:
        _fail(exc)
        return
    console.print(f"wrote {rows} {'features' if fmt == 'geojson' else 'rows'} to {out}")


if __name__ == "__main__":  # pragma: no cover
    app()
