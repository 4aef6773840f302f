"""Synthetic (made-up) firms, answers and attendance for the DEMO programme, placed on real
postcodes sampled from the bundled ONS postcode table. Everything generated is labelled DEMO."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from locus.geography.postcodes import COORD_SCALE, default_table_path
from locus.peers.diagnostics import ADOPTION, MANAGEMENT_QUESTIONS, TECHNOLOGIES

# Realistic SIC 2007 subclasses of firms that join peer networks (mixed sectors), each with the
# trade word its made-up name carries, so that a DEMO firm called a bakery is coded as one.
TRADES = {
    "25620": "Precision", "25110": "Fabrication", "10710": "Bakery", "18129": "Print",
    "33120": "Engineering", "28990": "Machinery", "62012": "Software", "62020": "Digital",
    "63110": "Data", "47190": "Stores", "47710": "Outfitters", "46900": "Trading",
    "43210": "Electrical", "41201": "Build", "43390": "Interiors", "56101": "Kitchen",
    "55100": "Hotel", "69201": "Accountants", "70229": "Consulting", "71121": "Design",
    "73110": "Media", "74100": "Studio", "49410": "Logistics", "52290": "Freight",
    "86900": "Health", "88100": "Care", "90030": "Arts", "58290": "Apps", "82990": "Services",
    "96020": "Salon", "32500": "Medical", "22290": "Plastics", "45200": "Motors", "77390": "Hire",
    "85590": "Training",
}
SICS = tuple(TRADES)
_FIRST = ("Northern", "Pennine", "Irwell", "Mersey", "Canal Street", "Red Brick", "Millstone",
          "Cotton", "Copper", "Weaver", "Bridgewater", "Peak", "Moorside", "Lowry", "Foundry",
          "Ardwick", "Oldfield", "Ashbrook", "Heaton", "Salford Quay", "Beacon", "Kestrel",
          "Larkhill", "Thornley", "Edgeworth")


def postcodes_sample(*, lad_codes: set[str], n: int, rng: np.random.Generator) -> list[dict]:
    """n distinct real postcodes (with a location) from the given districts."""
    path = default_table_path()
    meta = pq.read_schema(path).metadata
    codes = json.loads(meta[b"locus.lad_codes"])
    wanted = [i for i, c in enumerate(codes) if c in lad_codes]
    table = pq.read_table(path, columns=["postcode", "lat", "lon", "lad"])
    mask = pc.and_(pc.is_in(table["lad"], value_set=pa.array(
        wanted, type=table.schema.field("lad").type)), pc.is_valid(table["lat"]))
    rows = table.filter(mask)
    if rows.num_rows < n:
        raise ValueError(f"only {rows.num_rows} postcodes in those districts")
    picks = rng.choice(rows.num_rows, size=n, replace=False)
    picked = rows.take(picks).to_pylist()
    return [{"postcode": r["postcode"], "lat": r["lat"] / COORD_SCALE,
             "lon": r["lon"] / COORD_SCALE, "lad_code": codes[r["lad"]]} for r in picked]


@dataclass(frozen=True)
class FakeFirm:
    name: str
    sic: str
    employees: int
    turnover: int
    trading_since: int
    meeting_mode: str
    themes: tuple[int, ...]
    contact: str
    email: str
    research: bool
    level: float  # latent management quality 0-1
    digital: float  # latent digital adoption 0-1
    commitment: float  # probability of attending a meeting


def fake_firms(*, n: int, rng: np.random.Generator, n_themes: int, year: int,
               offset: int = 0) -> list[FakeFirm]:
    out = []
    for i in range(n):
        k = offset + i + 1
        employees = int(np.clip(np.round(rng.lognormal(2.6, 0.9)), 1, 240))
        first = _FIRST[rng.integers(len(_FIRST))]
        themes = tuple(sorted(rng.choice(n_themes, size=min(n_themes, int(rng.integers(1, 4))),
                                         replace=False).tolist())) if n_themes else ()
        sic = str(rng.choice(SICS))
        out.append(FakeFirm(
            name=f"DEMO {first} {TRADES[sic]} {k:03d} Ltd", sic=sic, employees=employees,
            turnover=int(employees * rng.uniform(45_000, 120_000)),
            trading_since=int(year - rng.integers(0, 35)),
            meeting_mode=str(rng.choice(["either", "online", "in_person"], p=[0.7, 0.2, 0.1])),
            themes=themes, contact=f"DEMO Contact {k:03d}",
            email=f"contact{k:03d}@demo.example.org", research=bool(rng.random() < 0.85),
            level=float(np.clip(rng.normal(0.5, 0.15), 0.05, 0.95)),
            digital=float(np.clip(rng.normal(0.45, 0.18), 0.05, 0.95)),
            commitment=float(np.clip(rng.beta(8, 2), 0.3, 0.99))))
    return out


def fake_answers(*, level: float, digital: float, rng: np.random.Generator) -> dict[str, str]:
    """Answers whose scores sit near the latent levels (with noise)."""
    answers: dict[str, str] = {}
    for q in MANAGEMENT_QUESTIONS:
        ranked = sorted(q.options, key=lambda o: o[2])
        target = np.clip(level + rng.normal(0, 0.2), 0, 1)
        answers[q.key] = min(ranked, key=lambda o: abs(o[2] - target))[0]
    for q in MANAGEMENT_QUESTIONS:  # follow-ups of "none" are skipped
        if q.skip_if and answers.get(q.skip_if[0]) == q.skip_if[1]:
            answers.pop(q.key, None)
    for key, _label in TECHNOLOGIES:
        x = digital + rng.normal(0, 0.25)
        answers[f"tech_{key}"] = ADOPTION[0 if x < 0.35 else 1 if x < 0.6 else 2][0]
    return answers
