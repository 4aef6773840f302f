"""Plain-language explanation of one peer group: who is in it and how well it meets the
programme's goals (sector mix, size similarity, distance, shared themes). Pure."""

from __future__ import annotations

from dataclasses import dataclass

from locus.grouping.geo import haversine_km


@dataclass(frozen=True)
class Member:
    id: str
    sic: str
    employees: int | None
    lat: float | None
    lon: float | None
    themes: frozenset[str]
    locked: bool = False


def _distances(members: list[Member]) -> list[float]:
    located = [m for m in members if m.lat is not None and m.lon is not None]
    return [haversine_km(lat1=a.lat, lon1=a.lon, lat2=b.lat, lon2=b.lon)
            for i, a in enumerate(located) for b in located[i + 1:]]


def group_explain(*, members: list[Member], mode: str, sector_cap: int, max_km: float,
                  competitor_km: float) -> dict:
    """Figures and sentences a manager can check; JSON-serialisable."""
    n = len(members)
    divisions: dict[str, int] = {}
    for m in members:
        divisions[m.sic[:2]] = divisions.get(m.sic[:2], 0) + 1
    classes = [m.sic[:4] for m in members]
    dists = _distances(members)
    heads = [m.employees for m in members if m.employees is not None]
    theme_count: dict[str, int] = {}
    for m in members:
        for t in m.themes:
            theme_count[t] = theme_count.get(t, 0) + 1
    shared = sorted((t for t, c in theme_count.items() if c >= 2), key=lambda t: -theme_count[t])
    pairs = n * (n - 1) // 2
    no_common = sum(1 for i, a in enumerate(members) for b in members[i + 1:]
                    if a.themes and b.themes and not a.themes & b.themes)
    over_cap = {d: c for d, c in divisions.items() if c > sector_cap}
    lines = [f"{n} firms from {len(divisions)} industry divisions (SIC 2007)."]
    lines.append("No division has more than " f"{sector_cap} firms." if not over_cap else
                 "Divisions above the cap of " f"{sector_cap}: " +
                 ", ".join(f"{d} ({c} firms)" for d, c in sorted(over_cap.items())) + ".")
    if len(set(classes)) == len(classes):
        lines.append("No two firms share a SIC class, so none are likely competitors.")
    else:
        lines.append(f"Firms sharing a SIC class are more than {competitor_km:g} km apart, "
                     "so they are not treated as local competitors.")
    if heads:
        lines.append(f"Sizes range from {min(heads)} to {max(heads)} employees.")
    if dists:
        lines.append(f"Members are at most {max(dists):.0f} km apart (mean "
                     f"{sum(dists) / len(dists):.0f} km)"
                     + (f"; the limit for meeting in person is {max_km:g} km." if
                        mode != "online" else "; the group meets online."))
    if shared:
        lines.append("Shared interests: " + ", ".join(
            f"{t} ({theme_count[t]})" for t in shared[:4]) + ".")
    if pairs:
        lines.append(f"{pairs - no_common} of {pairs} pairs share at least one theme.")
    locked = sum(m.locked for m in members)
    if locked:
        lines.append(f"{locked} firm{'s were' if locked != 1 else ' was'} locked in by hand.")
    return {"size": n, "mode": mode, "divisions": len(divisions), "over_cap": over_cap,
            "max_km": None if not dists else round(max(dists), 1),
            "mean_km": None if not dists else round(sum(dists) / len(dists), 1),
            "employees": [min(heads), max(heads)] if heads else None,
            "shared_themes": shared, "pairs_sharing_theme": pairs - no_common, "pairs": pairs,
            "locked": locked, "lines": lines}

