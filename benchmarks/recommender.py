"""Evaluate the partner recommender on Nesta's Welsh collaboration network, and time it.

Run: .venv/bin/python benchmarks/recommender.py

Quality: hide 20 % of the 508 links (never an organisation's last), rebuild the index from the
rest, and ask each method for every organisation's top 10 new partners; recall@10 = hidden links
found / hidden links, averaged over 5 random splits. Methods: the recommender (all components),
its network and topic parts alone, and three baselines: popularity (most links first), same place
(same principal area first, then by links) and Nesta's own recommended partners (a column of the
bundled file, in its order). Goal: recall@10 at least twice popularity's.

Caveat: Nesta's topics per organisation were derived from all its projects, including the hidden
links', so topic similarity is optimistic; the network-only line has no such leak.

Cold start: for each linked organisation in turn, hide all of its links (as if it were one of the
organisations with no recorded collaborations), rebuild the index and look for its partners in its
top 10; recall@10 = partners found / partners, over all linked organisations. The network part
has nothing to go on, so only the recommender, its topic part and the popularity and same-place
baselines are compared. Optimistic for the same reason: Nesta's topics come from the hidden
projects, so this bounds from above what topics, place and type can do for an unlinked one.

Latency: every organisation as a query on the Welsh index, and 500 queries on a generated index
of 20,000 organisations (goal: <= 300 ms per query). No Django.
"""

from __future__ import annotations

import csv
import random
import statistics
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from locus.collaboration.classify import org_type_guess  # noqa: E402
from locus.collaboration.resolution import name_normalise  # noqa: E402
from locus.networks.evaluate import (  # noqa: E402
    evaluate,
    evaluate_cold_start,
    rank_model,
    rank_popularity,
    rank_published,
    rank_same_place,
)
from locus.networks.graph import Node  # noqa: E402
from locus.networks.recommend import Query, Weights, index_build, recommend  # noqa: E402

DATA = ROOT / "data" / "collaboration"
console = Console()


def welsh_network() -> tuple[list[Node], list[tuple[str, str]], dict[str, list[str]]]:
    """Nodes keyed by normalised name (so 'University of Glamorgan' and its later name stay two
    nodes, as Nesta published them), links without self-links, and Nesta's recommendations."""
    rows = list(csv.DictReader((DATA / "node_metadata.csv").open(encoding="utf-8")))
    nodes = [Node(key=name_normalise(r["org"]), name=r["org"],
                  org_type=org_type_guess(r["org"])[0], places={"lad": r["lad"]},
                  lat=float(r["lat"]), lon=float(r["lon"]), text=r["active_in_topic"])
             for r in rows]
    links = {tuple(sorted((name_normalise(r["n1"]), name_normalise(r["n2"]))))
             for r in csv.DictReader((DATA / "19_5_2017_revised_edge_list.csv").open())
             if name_normalise(r["n1"]) != name_normalise(r["n2"])}
    published = {name_normalise(r["org"]): [name_normalise(x) for x in r["recommendations"]
                                            .split(",") if x.strip()] for r in rows}
    return nodes, sorted(links), published


def quality() -> dict[str, list[float]]:
    nodes, links, published = welsh_network()
    return evaluate(nodes, links, {
        "Recommender (all components)": rank_model(Weights()),
        "  network part only": rank_model(Weights(topic=0, network=1, proximity=0, complement=0,
                                                  popularity=0)),
        "  topic part only": rank_model(Weights(topic=1, network=0, proximity=0, complement=0,
                                                popularity=0)),
        "Popularity baseline": rank_popularity,
        "Same-place baseline": rank_same_place,
        "Nesta's own recommendations": rank_published(published),
    }, fraction=0.2, seeds=range(5), k=10)


def cold_start() -> tuple[dict[str, float], int, int]:
    """recall@10 when all of an organisation's links are hidden, with the number of linked
    organisations and of links it was measured over."""
    nodes, links, _ = welsh_network()
    linked = {key for link in links for key in link}
    return evaluate_cold_start(nodes, links, {
        "Recommender (all components)": rank_model(Weights()),
        "  topic part only": rank_model(Weights(topic=1, network=0, proximity=0, complement=0,
                                                popularity=0)),
        "Popularity baseline": rank_popularity,
        "Same-place baseline": rank_same_place,
    }, k=10), len(linked), len(links)


def _times(index, queries) -> list[float]:
    times = []
    for query in queries:
        started = time.perf_counter()
        recommend(index, query, k=10)
        times.append((time.perf_counter() - started) * 1000)
    return times


def synthetic(n: int = 20_000, seed: int = 7) -> tuple[list[Node], list[tuple[int, int]]]:
    rng = random.Random(seed)
    words = [f"topic{i}" for i in range(600)]
    nodes = [Node(key=i, name=f"Org {i}", org_type=rng.choice(["business", "university", "rto"]),
                  size=rng.choice(["small", "large", ""]), places={"lad": f"L{rng.randint(0, 360)}"},
                  lat=50 + rng.random() * 8, lon=-5 + rng.random() * 6,
                  text=" ".join(rng.choices(words, k=30))) for i in range(n)]
    links = [(rng.randrange(n), rng.randrange(n)) for _ in range(n * 3)]
    return nodes, links


def latency() -> list[tuple[str, list[float], float]]:
    out = []
    nodes, links, _ = welsh_network()
    started = time.perf_counter()
    index = index_build(nodes, links)
    built = time.perf_counter() - started
    out.append(("Welsh network (255 organisations)",
                _times(index, [Query(key=n.key, needs=("sme",)) for n in nodes]), built))
    nodes, links = synthetic()
    started = time.perf_counter()
    index = index_build(nodes, links)
    built = time.perf_counter() - started
    rng = random.Random(1)
    queries = [Query(key=rng.randrange(len(nodes)), text="topic1 topic7 topic42",
                     lat=52.5, lon=-1.9, needs=("research_or_rto",)) for _ in range(500)]
    out.append(("Generated (20,000 organisations)", _times(index, queries), built))
    return out


def main() -> None:
    results = quality()
    base = statistics.mean(results["Popularity baseline"])
    table = Table("Method", "recall@10 (mean of 5 splits)", "min-max", "x popularity")
    for name, values in results.items():
        table.add_row(name, f"{statistics.mean(values):.3f}", f"{min(values):.3f}-{max(values):.3f}",
                      f"{statistics.mean(values) / base:.2f}")
    console.print(table)
    cold, organisations, links = cold_start()
    base = cold["Popularity baseline"]
    table = Table("Method", "recall@10", "x popularity",
                  title=f"Cold start: all links of each of {organisations} linked organisations "
                        f"hidden in turn ({links} links); optimistic, since Nesta's topics come "
                        "from the hidden projects")
    for name, value in cold.items():
        table.add_row(name, f"{value:.3f}", f"{value / base:.2f}")
    console.print(table)
    timing = Table("Index", "build (s)", "median ms", "p95 ms", "max ms")
    for name, times, built in latency():
        times.sort()
        timing.add_row(name, f"{built:.2f}", f"{statistics.median(times):.1f}",
                       f"{times[int(0.95 * (len(times) - 1))]:.1f}", f"{times[-1]:.1f}")
    console.print(timing)


if __name__ == "__main__":
    main()
