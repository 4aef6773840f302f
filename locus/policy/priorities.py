"""Peer matching in stated priorities: Combined Authorities that chose the same priority sectors.

The second dimension of Combined Authority peer matching, beside the place and pathway profile of
``places.ca_peers``. The facts are the authorities' stated Investment Zone priority sectors in
``data/policy/ca_priorities.yaml``, each with its source (publisher, title, web address, date)
and the date Locus checked it; an authority with no checked statement has "priorities unknown".

Method: each authority's priorities are a set of sectors from one shared vocabulary (the five
Investment Zone priority sectors). Two authorities are compared by the Jaccard index of their
sets (shared sectors / sectors either names, 0-1); peers share at least one sector, and are
ranked by the index, then by the number of shared sectors, then by name. Authorities whose
priorities are unknown are never matched, nor treated as sharing nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from locus.errors import DataFileError

FILE_NAME = "ca_priorities.yaml"
SOURCE_FIELDS = ("publisher", "title", "url", "date")


@dataclass(frozen=True)
class Source:
    publisher: str
    title: str
    url: str
    date: str | None  # as the source shows it; None where the page is undated


@dataclass(frozen=True)
class Statement:
    ca: str
    name: str
    programme: str
    stated_as: str
    sectors: tuple[str, ...]
    source: Source
    checked: str


@dataclass(frozen=True)
class Priorities:
    sectors: dict[str, str]  # key -> label (the shared vocabulary)
    vocabulary_source: Source
    statements: tuple[Statement, ...]

    def of(self, code: str) -> list[Statement]:
        return [s for s in self.statements if s.ca == code]

    def sectors_of(self, code: str) -> frozenset[str]:
        return frozenset(k for s in self.of(code) for k in s.sectors)

    def labels(self, keys) -> list[str]:
        return [self.sectors[k] for k in sorted(keys, key=list(self.sectors).index)]


@dataclass(frozen=True)
class PriorityPeer:
    code: str
    name: str
    score: float  # Jaccard index, 0-1
    shared: list[str]  # sector labels both chose
    reason: str
    statements: list[Statement]


def _source(raw, path: str, where: str) -> Source:
    if not isinstance(raw, dict) or any(not raw.get(f) for f in SOURCE_FIELDS if f != "date"):
        raise DataFileError("a source needs a publisher, title and url", path=path, field=where)
    if not str(raw["url"]).startswith("https://"):
        raise DataFileError(f"source url {raw['url']!r} is not an https web address", path=path, field=where)
    return Source(str(raw["publisher"]), str(raw["title"]), str(raw["url"]),
                  str(raw["date"]) if raw.get("date") else None)


def _statement(raw: dict, sectors: dict, path: str, i: int) -> Statement:
    where = f"statements[{i}]"
    for key in ("ca", "name", "programme", "stated_as", "sectors", "source", "checked"):
        if not raw.get(key):
            raise DataFileError(f"missing {key}", path=path, field=f"{where}.{key}")
    unknown = [s for s in raw["sectors"] if s not in sectors]
    if unknown:
        raise DataFileError(f"unknown sector(s) {unknown}: use one of {list(sectors)}", path=path,
                            field=f"{where}.sectors")
    return Statement(str(raw["ca"]), str(raw["name"]), str(raw["programme"]), str(raw["stated_as"]),
                     tuple(raw["sectors"]), _source(raw["source"], path, f"{where}.source"), str(raw["checked"]))


def priorities_read(path: Path) -> Priorities:
    """Read and validate the priorities file; a bad entry names the file and the field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"cannot read the priorities file: {exc}", path=str(path)) from None
    vocabulary = (data or {}).get("vocabulary") or {}
    sectors = vocabulary.get("sectors") or {}
    if not sectors:
        raise DataFileError("no sector vocabulary", path=str(path), field="vocabulary.sectors")
    statements = tuple(_statement(raw, sectors, str(path), i)
                       for i, raw in enumerate(data.get("statements") or []))
    return Priorities(dict(sectors), _source(vocabulary.get("source"), str(path), "vocabulary.source"),
                      statements)


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> Priorities:
    return priorities_read(Path(path))


def priorities_get(data_dir: Path) -> Priorities:
    path = data_dir / FILE_NAME
    try:
        mtime = path.stat().st_mtime
    except OSError:
        raise DataFileError("the priorities file is missing", path=str(path)) from None
    return _cached(str(path), mtime)


def jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def priority_peers(*, priorities: Priorities, code: str, names: dict[str, str],
                   limit: int = 5) -> list[PriorityPeer]:
    """Authorities (from ``names``: code -> name) sharing stated priority sectors with ``code``,
    most similar first; empty when ``code``'s priorities are unknown."""
    mine = priorities.sectors_of(code)
    if not mine:
        return []
    peers = []
    for other, name in names.items():
        theirs = priorities.sectors_of(other)
        if other == code or not (mine & theirs):
            continue
        shared = priorities.labels(mine & theirs)
        only_mine, only_theirs = priorities.labels(mine - theirs), priorities.labels(theirs - mine)
        reason = f"Both chose {_join(shared)} as Investment Zone priority sectors."
        if only_mine or only_theirs:
            differ = ([f"only {names.get(code, code)} names {_join(only_mine)}"] if only_mine else []) + \
                     ([f"only {name} names {_join(only_theirs)}"] if only_theirs else [])
            text = "; ".join(differ)
            reason += f" {text[:1].upper()}{text[1:]}."
        peers.append(PriorityPeer(other, name, jaccard(mine, theirs), shared, reason, priorities.of(other)))
    peers.sort(key=lambda p: (-p.score, -len(p.shared), p.name))
    return peers[:limit]
