"""Network indicators per place for the atlas (written as a pipeline input, never imported)."""

from __future__ import annotations

from pathlib import Path

from locus.collaboration.network_data import network_for_dataset
from locus.networks.export import Provenance, indicator_rows, indicators_write
from locus.networks.metrics import node_metrics, place_metrics


def network_indicators_export(*, dataset_key: str, out: Path, levels: list[str]) -> int:
    dataset, network = network_for_dataset(dataset_key=dataset_key)
    metrics = node_metrics(network)
    provenance = Provenance(dataset=dataset.key, vintage=dataset.vintage,
                            source=f"{dataset.attribution or dataset.publisher} ({dataset.licence})")
    rows = []
    for level in levels:
        rows += indicator_rows(place_metrics(network, level=level, metrics=metrics), provenance)
    indicators_write(rows, out)
    return len(rows)
