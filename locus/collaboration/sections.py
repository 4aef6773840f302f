"""The "Collaboration" section of area pages (registered in geography's AREA_PROFILE_SECTIONS)."""

from __future__ import annotations

import threading

from django.db.models import Count, Q

from locus.collaboration.models import Organisation
from locus.collaboration.network_data import network_for_dataset
from locus.collaboration.selectors import network_datasets
from locus.networks.metrics import PlaceMetrics, node_metrics, place_metrics

LEVEL_FIELD = {"lad": "lad", "itl3": "itl3", "ca": "combined_authority"}
_CACHE: dict = {}
_LOCK = threading.Lock()


def _place_rows(dataset, level: str) -> tuple[dict[str, PlaceMetrics], bool]:
    """The network's figures per place, and whether any of its businesses has a size (a place
    with no link between two sized businesses is then 'none here', not 'no sizes in the data')."""
    key = (dataset.key, dataset.loaded_at, level)
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    _, network = network_for_dataset(dataset_key=dataset.key)
    rows = {p.code: p for p in place_metrics(network, level=level, metrics=node_metrics(network))}
    has_sizes = any(n.org_type == "business" and n.size for n in network.nodes)
    with _LOCK:
        _CACHE[key] = rows, has_sizes
    return rows, has_sizes


# "16 businesses, 7 public bodies": each type counted in words, one and many
TYPE_COUNT_WORDS = {
    "university": ("university or college", "universities or colleges"),
    "research": ("research institute", "research institutes"),
    "rto": ("RTO or Catapult", "RTOs or Catapults"),
    "business": ("business", "businesses"),
    "public": ("public body", "public bodies"),
    "charity": ("charity or association", "charities or associations"),
    "unknown": ("whose type is not known", "whose type is not known"),
}


def _count_words(org_type: str, n: int) -> str:
    one, many = TYPE_COUNT_WORDS.get(org_type, (org_type, org_type))
    return one if n == 1 else many


def collaboration_section(area) -> tuple[str, str, dict] | None:
    field = LEVEL_FIELD.get(area.level)
    if field is None:
        return None
    orgs = Organisation.objects.filter(Q(**{f"{field}_id": area.code}))
    total = orgs.count()
    if not total:
        return None
    by_type = [(_count_words(row["org_type"], row["n"]), row["n"]) for row in
               orgs.values("org_type").annotate(n=Count("id")).order_by("-n")]
    top = list(orgs.annotate(n=Count("participations")).order_by("-n", "name")[:5])
    networks = []
    for dataset in network_datasets():
        rows, has_sizes = _place_rows(dataset, area.level)
        if area.code in rows:
            networks.append((dataset, rows[area.code], has_sizes))
    return ("Collaboration", "collaboration/area_section.html",
            {"collab_total": total, "collab_by_type": by_type, "collab_top": top,
             "collab_networks": networks})
