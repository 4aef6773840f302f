"""Network indicators as a table the atlas pipeline can read (long format, CSV or Parquet).

Columns: area_code, area_level, indicator, value, numerator, denominator, unit, dataset,
vintage, source. One row per area and indicator; a share whose denominator is zero is left out
rather than written as zero. Large–SME links and their share (of the links joining two businesses
whose sizes are both known) are written only for areas with such links.
"""

from __future__ import annotations

import csv
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from locus.networks.metrics import PlaceMetrics

COLUMNS = ("area_code", "area_level", "indicator", "value", "numerator", "denominator", "unit",
           "dataset", "vintage", "source")

INDICATORS = {
    "collab_organisations": "Organisations in the collaboration network located in the area",
    "collab_links": "Collaboration links with at least one organisation in the area",
    "collab_local_link_share": "Share of the area's links that join two organisations in the area",
    "collab_university_business_links": "Links joining a university and a business",
    "collab_university_business_share": "Share of the area's links joining a university and a business",
    "collab_large_sme_links": "Links joining a large business and an SME",
    "collab_large_sme_share": "Share of the area's links between two businesses of known size "
                              "that join a large business and an SME",
    "collab_mean_betweenness": "Mean normalised betweenness centrality of the area's organisations",
    "collab_communities": "Number of network communities (Louvain) the area's organisations span",
}


@dataclass(frozen=True)
class Provenance:
    dataset: str
    vintage: str
    source: str


def indicator_rows(places: list[PlaceMetrics], provenance: Provenance) -> list[dict]:
    rows = []

    def add(p: PlaceMetrics, indicator: str, value, numerator=None, denominator=None,
            unit: str = "count") -> None:
        if value is None:
            return
        rows.append({"area_code": p.code, "area_level": p.level, "indicator": indicator,
                     "value": float(value), "numerator": numerator, "denominator": denominator,
                     "unit": unit, "dataset": provenance.dataset, "vintage": provenance.vintage,
                     "source": provenance.source})

    for p in places:
        add(p, "collab_organisations", p.organisations)
        add(p, "collab_links", p.links)
        add(p, "collab_local_link_share", p.local_share, p.local_links, p.links, "share")
        add(p, "collab_university_business_links", p.university_business_links)
        add(p, "collab_university_business_share", p.university_business_share,
            p.university_business_links, p.links, "share")
        if p.sizes_known:
            add(p, "collab_large_sme_links", p.large_sme_links)
            add(p, "collab_large_sme_share", p.large_sme_share, p.large_sme_links,
                p.sized_business_links, "share")
        add(p, "collab_mean_betweenness", p.mean_betweenness, unit="index")
        add(p, "collab_communities", p.communities)
    return rows


def indicators_write(rows: list[dict], path: Path) -> Path:
    """Write CSV or Parquet (by suffix) atomically: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, suffix=path.suffix)
    os.close(handle)
    os.chmod(tmp, 0o644)  # mkstemp makes it 0600: readable by others, as every other export is
    try:
        if path.suffix == ".parquet":
            table = pa.Table.from_pylist(rows, schema=pa.schema([
                ("area_code", pa.string()), ("area_level", pa.string()),
                ("indicator", pa.string()), ("value", pa.float64()),
                ("numerator", pa.float64()), ("denominator", pa.float64()),
                ("unit", pa.string()), ("dataset", pa.string()), ("vintage", pa.string()),
                ("source", pa.string())]))
            pq.write_table(table, tmp)
        else:
            with open(tmp, "w", newline="", encoding="utf-8") as out:
                writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
