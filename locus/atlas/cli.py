"""``locus atlas show``, ``opportunities``, ``load`` and ``sites-import``: the Django side of the
atlas CLI.

``register(atlas_app)`` adds these commands to the pipeline's ``locus atlas`` group (called from
``locus/cli.py``); they only parse arguments and call the atlas selectors and services. ``show`` and
``opportunities`` read the loaded atlas (what the web pages and the API serve); with ``--build DIR``
they read a Parquet build instead (``locus.pipeline.cli``).
"""

from __future__ import annotations

import functools
from pathlib import Path

import typer
from rich.console import Console

from locus.atlas.text import plural
from locus.cli_support import django_setup, exit_statuses, fail
from locus.errors import LocusError

console = Console(stderr=True)
_django = django_setup
_fail = functools.partial(fail, console)


@exit_statuses
def load(atlas_dir: Path = typer.Option(None, "--atlas-dir", help="A built atlas.", show_default="<LOCUS_DATA_DIR>/atlas"),
         build: bool = typer.Option(False, "--build", help="Build it first from data/atlas if missing or stale."),
         force: bool = typer.Option(False, "--force", help="Load even if this build is already live.")) -> None:
    """Load a built atlas into the database (all or nothing; the previous atlas stays if it fails)."""
    _django()
    from django.conf import settings

    from locus.atlas.bundled import atlas_bundled_load, atlas_dir_default
    from locus.atlas.services import atlas_load

    try:
        if build:
            summary = atlas_bundled_load(atlas_dir=atlas_dir or atlas_dir_default(),
                                         data_dir=Path(settings.LOCUS_BUNDLED_DATA) / "atlas", force=force,
                                         say=lambda m: console.print(f"  {m}"))
            console.print(f"[green]Done[/green]: {summary}")
            return
        done = atlas_load(atlas_dir=atlas_dir or atlas_dir_default(), say=lambda m: console.print(f"  {m}"))
    except LocusError as exc:
        _fail(exc)
        return
    console.print(f"[green]Loaded[/green] build {done.checksum[:12]} ({sum(done.rows.values())} rows) in "
                  f"{done.load_seconds:.1f} s; it is now live.")


@exit_statuses
def sites_import(file: Path = typer.Argument(..., help="CSV with name,type,postcode,source,date_checked "
                                             "[,website,notes,latitude,longitude]."),
                 dry_run: bool = typer.Option(False, "--dry-run", help="Check every row; import nothing.")) -> None:
    """Import commercialisation-infrastructure sites into the registry (nothing if any row is wrong).

    A file that cannot be read as comma-separated UTF-8 text, or any wrong row, is wrong input: every
    problem is listed and nothing is imported, with or without --dry-run."""
    _django()
    from django.db import transaction

    from locus.atlas.infrastructure import SiteImportError, sites_import_csv
    from locus.textfile import csv_text_read

    try:
        text = csv_text_read(file)
    except LocusError as exc:
        _fail(exc, code=2)
        return
    try:
        with transaction.atomic():
            created = sites_import_csv(text=text)
            if dry_run:
                transaction.set_rollback(True)
    except SiteImportError as exc:
        for error in exc.errors:
            console.print(f"  {file}: {error}", markup=False)
        _fail(LocusError(f"{plural(len(exc.errors), 'problem')}; nothing was imported"), code=2)
        return
    console.print(f"[green]{'Checked' if dry_run else 'Imported'}[/green] {plural(len(created), 'site')} from {file}.")


BuildDir = typer.Option(None, "--build", help="Read this Parquet build (a `locus build` output folder) "
                        "instead of the loaded atlas.", file_okay=False)


def _build_or_fail(build: Path) -> None:
    """Exit 1 saying `locus build` when a --build folder holds no build (as with no loaded atlas);
    an unknown code in a build that exists is wrong input (2)."""
    from locus.pipeline.export import manifest_read

    try:
        manifest_read(atlas_dir=build)
    except LocusError as exc:
        _fail(exc)


def _live_or_fail():
    """The live build, or exit with a message saying how to load one (or to use --build)."""
    from django.db import DatabaseError

    from locus.atlas import selectors as sel
    from locus.atlas.errors import NoAtlasError

    try:
        return sel.build_live_get()
    except NoAtlasError as exc:
        _fail(LocusError(f"{exc} Or read a Parquet build with --build DIR."))
    except DatabaseError as exc:
        _fail(LocusError(f"the database is not set up ({exc}): run `locus load` to create it and load the "
                         "atlas, or read a Parquet build with --build DIR."))


@exit_statuses
def show(area: str = typer.Argument(..., help="Area code (ITL3, Combined Authority, LAD, ...)."),
         build: Path = BuildDir) -> None:
    """Show an area's stage scores, weak links and neighbours (from the loaded atlas)."""
    from locus.pipeline import cli as pipeline_cli

    if build is not None:
        _build_or_fail(build)
        try:
            pipeline_cli.build_show(area=area, atlas_dir=build)
        except LocusError as exc:  # an unknown area code in the build
            _fail(exc, code=2)
        return
    _django()
    from locus.atlas import selectors as sel
    from locus.atlas.errors import AtlasNotFoundError

    live = _live_or_fail()
    try:
        found = sel.area_get(code=area)
    except AtlasNotFoundError as exc:  # an unknown area code: wrong input (ADR 0031)
        _fail(exc, code=2)
        return
    level, code = found.level, found.code
    names = sel.area_names(level=level)
    scores = [{"stage": s.stage, "year": s.year, "score": s.score, "trend": s.trend, "n_indicators": s.n_indicators,
               "n_stage_indicators": s.n_stage_indicators} for s in sel.area_scores(code=code, level=level).values()]
    links = {stage: {"expected": w.expected, "gap": w.gap, "lo": w.lo, "hi": w.hi, "is_weak": w.is_weak,
                     "is_strong": w.is_strong}
             for stage, w in sel.weak_links_of(code=code, level=level).items()}
    near = [(names.get(n.neighbour_code, n.neighbour_code), n.distance) for n in sel.neighbours_of(code=code, level=level)]
    pipeline_cli.area_render(area={"code": code, "name": found.name, "level": level, "population_2020": found.population},
                             scores=scores, links=links, neighbours=near,
                             source=f"loaded atlas build {live.checksum[:12]} ({live.built_at})")


@exit_statuses
def opportunities(ca: str = typer.Option(None, "--ca", help="Combined Authority code for its own ranking."),
                  limit: int = typer.Option(20, "--limit", min=1), as_json: bool = typer.Option(False, "--json"),
                  build: Path = BuildDir) -> None:
    """List ranked investment opportunities, nationally or for one Combined Authority (loaded atlas).

    Each --json row carries its "provenance": from the loaded atlas the five keys (source, publisher,
    vintage, licence, method) /api/v1/opportunities gives, from a --build the inputs' list `locus atlas
    export` writes. The list in words ends with its source, licence and method in one line."""
    from locus.pipeline import cli as pipeline_cli

    if build is not None:
        _build_or_fail(build)
        try:
            pipeline_cli.build_opportunities(ca=ca, limit=limit, as_json=as_json, atlas_dir=build)
        except LocusError as exc:  # an unknown --ca in the build
            _fail(exc, code=2)
        return
    _django()
    from locus.atlas import selectors as sel
    from locus.atlas.errors import AtlasNotFoundError

    live = _live_or_fail()
    try:
        found = sel.opportunities_list(ca=ca or None, limit=limit)
    except AtlasNotFoundError as exc:  # an unknown --ca
        _fail(exc, code=2)
        return
    rows = [{"scope": o.scope, "rank": o.rank, "area_code": o.area_code, "area_name": o.area_name, "level": o.level,
             "stage": o.stage, "priority": o.priority, "reason": o.reason, "numbers": o.numbers} for o in found]
    prov = sel.score_provenance(build=live)  # what /api/v1/opportunities gives each row
    cited = (f"Source: {prov['source']}. Publisher: {prov['publisher']}. Vintage: {prov['vintage']}. "
             f"Licence: {prov['licence']} Method: {prov['method']}")
    pipeline_cli.opportunities_render(rows, scope=(ca or "national").upper(), as_json=as_json, provenance=prov,
                                      cited=cited)


def register(atlas_app: typer.Typer) -> None:
    atlas_app.command("show")(show)
    atlas_app.command("opportunities")(opportunities)
    atlas_app.command("load")(load)
    atlas_app.command("sites-import")(sites_import)
