"""Load the bundled collaboration data (HE providers, GtR AHRC projects, UKRI funding decisions,
Nesta's Welsh network) into the registry: read and check every file first, then write in one
transaction, so a bad file leaves the previous data in place."""

from __future__ import annotations

import hashlib
import html
import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from locus.collaboration.classify import org_type_guess
from locus.collaboration.models import (
    Dataset,
    FundingDecision,
    NetworkLink,
    NetworkNode,
    Organisation,
    Participation,
    Project,
)
from locus.collaboration.registry import OrgRecord, Places, RegistryWriter
from locus.collaboration.sources import BUNDLED_SOURCES, bundled_source
from locus.geography.readers import parse_float, read_csv_rows

LOADER_VERSION = "1"
EDGES_FILE = "19_5_2017_revised_edge_list.csv"
Say = Callable[[str], None]


def _checksum(data_dir: Path) -> str:
    digest = hashlib.sha256(LOADER_VERSION.encode())
    for name in sorted([s.filename for s in BUNDLED_SOURCES] + [EDGES_FILE]):
        digest.update(name.encode())
        digest.update((data_dir / name).read_bytes())
    return digest.hexdigest()


def collaboration_is_loaded(*, data_dir: Path) -> bool:
    checksums = set(Dataset.objects.filter(kind="bundled").values_list("checksum", flat=True))
    return len(checksums) == 1 and checksums == {_checksum(data_dir)} and \
        Dataset.objects.filter(kind="bundled").count() == len(BUNDLED_SOURCES)


def _dataset(key: str, checksum: str, participant_level: bool = False) -> Dataset:
    s = bundled_source(key)
    return Dataset.objects.create(
        key=key, title=s.title, covers=s.covers, kind="bundled", publisher=s.publisher, url=s.url,
        licence=s.licence, attribution=s.attribution, vintage=s.vintage, checksum=checksum,
        participant_level=participant_level)


def _guess(name: str) -> tuple[str, str]:
    kind, basis = org_type_guess(name)
    return ("", "") if kind == "unknown" else (kind, basis)


def _sort_name(text: str) -> str:
    """'Abertay Dundee, University of' -> 'University of Abertay Dundee'."""
    if ", " in text:
        head, tail = text.rsplit(", ", 1)
        return f"{tail} {head}"
    return text


def _read_he_providers(path: Path) -> list[OrgRecord]:
    records = []
    fields = ("UKPRN", "PROVIDER_NAME", "VIEW_NAME", "SORT_NAME", "ALIAS", "POSTCODE",
              "LATITUDE", "LONGITUDE", "GTR_ID")
    for line, row in read_csv_rows(path, required=fields, may_be_empty=fields[3:]):
        names = {row["PROVIDER_NAME"], row["VIEW_NAME"], _sort_name(row["SORT_NAME"]),
                 row["ALIAS"]}
        names |= {part.strip() for n in list(names) for part in re.split(r"\s*/\s*", n)}
        lat = parse_float(row["LATITUDE"], path=path, line=line, field="LATITUDE",
                          minimum=-90) if row["LATITUDE"] else None
        lon = parse_float(row["LONGITUDE"], path=path, line=line, field="LONGITUDE",
                          minimum=-180) if row["LONGITUDE"] else None
        records.append(OrgRecord(
            name=row["VIEW_NAME"].split(" / ")[0] or row["PROVIDER_NAME"].title(),
            ukprn=row["UKPRN"], gtr_id=row["GTR_ID"] or None, org_type="university",
            type_basis="UK higher education providers list", type_strength="source",
            postcode=row["POSTCODE"], lat=lat, lon=lon,
            aliases=tuple(sorted(n for n in names if n))))
    return records


def _load_he_providers(data_dir: Path, writer: RegistryWriter) -> dict:
    records = _read_he_providers(data_dir / bundled_source("he-providers").filename)
    Places.geocode(records)
    for record in records:
        writer.organisation(record)
    return {"organisations": len(records)}


def _read_ahrc(path: Path) -> tuple[dict[str, OrgRecord], list[tuple[int, dict]]]:
    fields = ("FundingOrgName", "ProjectReference", "LeadROName", "ProjectCategory", "Title",
              "AwardPounds", "Region", "Status", "GTRProjectUrl", "ProjectId", "LeadROId")
    leads: dict[str, OrgRecord] = {}
    rows = []
    for line, row in read_csv_rows(path, required=fields, may_be_empty=("Region",)):
        parse_float(row["AwardPounds"], path=path, line=line, field="AwardPounds")
        if row["LeadROId"] not in leads:
            kind, basis = _guess(row["LeadROName"])
            leads[row["LeadROId"]] = OrgRecord(
                name=row["LeadROName"], gtr_id=row["LeadROId"], org_type=kind, type_basis=basis,
                type_strength="name" if kind else "", region_name=row["Region"])
        rows.append((line, row))
    return leads, rows


def _load_ahrc(data_dir: Path, writer: RegistryWriter) -> dict:
    leads, rows = _read_ahrc(data_dir / bundled_source("gtr-ahrc-2021").filename)
    orgs = {gtr_id: writer.organisation(record) for gtr_id, record in leads.items()}
    projects = Project.objects.bulk_create([
        Project(dataset=writer.dataset, reference=row["ProjectReference"],
                # the GtR export is HTML-escaped ('Arts &amp; Humanities'): store the text itself
                title=html.unescape(row["Title"])[:500],
                funder=row["FundingOrgName"], category=row["ProjectCategory"],
                status=row["Status"], award=float(row["AwardPounds"]), url=row["GTRProjectUrl"])
        for _, row in rows], batch_size=1000)
    by_ref = {p.reference: p for p in Project.objects.filter(dataset=writer.dataset)}
    Participation.objects.bulk_create([
        Participation(project=by_ref[row["ProjectReference"]], organisation=orgs[row["LeadROId"]],
                      is_lead=True, source_role="LEAD_ORG", grant=float(row["AwardPounds"]))
        for _, row in rows], batch_size=1000)
    return {"projects": len(projects), "lead_organisations": len(orgs)}


def _load_ukri_decisions(data_dir: Path, writer: RegistryWriter) -> dict:
    path = data_dir / bundled_source("ukri-funding-decisions").filename
    numbers = ("NumberofApplications", "NumberofAwards", "AmountApplied", "AmountAwarded")
    fields = ("Council", "Organisation", "Year", "Grant Category", *numbers)
    rows = []
    for line, row in read_csv_rows(path, required=fields):
        values = [parse_float(row[f], path=path, line=line, field=f) for f in numbers]
        rows.append((row, values))
    orgs = {}
    for name in sorted({row["Organisation"] for row, _ in rows}):
        kind, basis = _guess(name)
        orgs[name] = writer.organisation(OrgRecord(name=name, org_type=kind, type_basis=basis,
                                                   type_strength="name" if kind else ""))
    FundingDecision.objects.bulk_create([
        FundingDecision(dataset=writer.dataset, organisation=orgs[row["Organisation"]],
                        council=row["Council"], year=row["Year"], category=row["Grant Category"],
                        applications=int(v[0]), awards=int(v[1]), applied_thousands=v[2],
                        awarded_thousands=v[3]) for row, v in rows], batch_size=1000)
    return {"rows": len(rows), "organisations": len(orgs)}


def _read_wales(data_dir: Path, places: Places) -> tuple[list[dict], list[dict]]:
    path = data_dir / bundled_source("wales-network-2017").filename
    nodes = []
    fields = ("org", "lad", "lat", "lon", "project_count", "active_in_topic", "recommendations")
    for line, row in read_csv_rows(path, required=fields,
                                   may_be_empty=("active_in_topic", "recommendations")):
        lad = places.lad_code_for_name(row["lad"])
        if lad is None:
            from locus.errors import DataFileError
            raise DataFileError(f"unknown principal area {row['lad']!r}", path=str(path),
                                line=line, field="lad")
        row["lad_code"] = lad
        row["lat_f"] = parse_float(row["lat"], path=path, line=line, field="lat", minimum=-90)
        row["lon_f"] = parse_float(row["lon"], path=path, line=line, field="lon", minimum=-180)
        nodes.append(row)
    edges_path = data_dir / EDGES_FILE
    edges = [row for line, row in read_csv_rows(edges_path, required=("n1", "n2", "weight"))
             if parse_float(row["weight"], path=edges_path, line=line, field="weight") >= 0]
    return nodes, edges


def _load_wales(data_dir: Path, writer: RegistryWriter) -> dict:
    nodes, edges = _read_wales(data_dir, writer.places)
    orgs = {}
    for row in nodes:
        kind, basis = _guess(row["org"])
        orgs[row["org"]] = writer.organisation(OrgRecord(
            name=row["org"], org_type=kind, type_basis=basis, type_strength="name" if kind else "",
            lad_code=row["lad_code"], lat=row["lat_f"], lon=row["lon_f"],
            place_basis="principal area given by Nesta", topics=row["active_in_topic"]))
    NetworkNode.objects.bulk_create([NetworkNode(
        dataset=writer.dataset, organisation=orgs[row["org"]], source_name=row["org"],
        project_count=int(float(row["project_count"])), topics=row["active_in_topic"],
        area_name=row["lad"], recommendations=[r.strip() for r in row["recommendations"].split(",")
                                               if r.strip()]) for row in nodes])
    weights: dict[tuple[int, int], int] = defaultdict(int)
    for row in edges:
        a, b = orgs[row["n1"]].pk, orgs[row["n2"]].pk
        if a != b:
            weights[(min(a, b), max(a, b))] += int(float(row["weight"]))
    NetworkLink.objects.bulk_create([NetworkLink(dataset=writer.dataset, source_id=a, target_id=b,
                                                 weight=w) for (a, b), w in weights.items()])
    return {"organisations": len(nodes), "links": len(weights), "link_rows": len(edges),
            "self_links_dropped": len(edges) - sum(1 for r in edges if orgs[r["n1"]] != orgs[r["n2"]])}


LOADERS = (("he-providers", _load_he_providers), ("gtr-ahrc-2021", _load_ahrc),
           ("ukri-funding-decisions", _load_ukri_decisions), ("wales-network-2017", _load_wales))


def collaboration_bundled_load(*, data_dir: Path, say: Say = lambda step: None) -> dict:
    """Replace the bundled datasets (imported and fetched datasets are kept); all or nothing."""
    checksum = _checksum(data_dir)
    places = Places()
    summary = {}
    with transaction.atomic():
        Dataset.objects.filter(kind="bundled").delete()
        Organisation.objects.filter(aliases__isnull=True).delete()
        for key, loader in LOADERS:
            say(f"Collaboration: {bundled_source(key).title}")
            writer = RegistryWriter(_dataset(key, checksum), places)
            summary[key] = loader(data_dir, writer) | {"matches": dict(writer.counts)}
            Dataset.objects.filter(pk=writer.dataset.pk).update(summary=summary[key])
    return summary
