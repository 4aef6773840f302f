"""Full-text search of the policy library behind one interface, per database.

SQLite (the default): an FTS5 table ``policy_case_fts`` ranked with bm25.
PostgreSQL (deployment): ``Case.search_vector`` (a tsvector, GIN-indexed) ranked with
SearchRank. Both index the same four weighted fields (title > keywords > summary > body),
use English stemming, match all words by default (or any word), and multiply the score of
evidence-rated local cases by ``LOCAL_BOOST``. See docs/adr/0006-policy-search.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.db import connection
from django.db.models import QuerySet

LOCAL_BOOST = 1.5
MAX_WORDS = 12
# Common English words that carry no meaning in a search (PostgreSQL's english config drops
# these too; dropping them here keeps both engines' "all words" semantics the same).
STOP_WORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its itself
just me more most my myself no nor not now of off on once only or other our ours ourselves out
over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves
""".split())
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Terms:
    words: tuple[str, ...]
    mode: str = "all"  # "all" | "any"

    def __bool__(self) -> bool:
        return bool(self.words)


def terms_parse(text: str | None, *, mode: str = "all") -> Terms:
    words = []
    for word in _WORD.findall((text or "").lower()):
        if len(word) > 1 and word not in STOP_WORDS and word not in words:
            words.append(word[:40])
    return Terms(tuple(words[:MAX_WORDS]), "any" if mode == "any" else "all")


class Backend(Protocol):
    vendor: str

    def index_rebuild(self, *, case_ids: Iterable[int] | None = None) -> None: ...

    def facet_counts(self, ids: list[int], kinds: list[str]) -> tuple[list, list]:
        """Rows (kind, code, n) and (sms_rating, country, geography_level, layer, n) counted
        over the cases ``ids``."""
        ...

    def restrict(self, qs: QuerySet, terms: Terms) -> QuerySet: ...

    def ranked_page(self, qs: QuerySet, terms: Terms, *, offset: int, limit: int,
                    ids: list[int] | None = None) -> list[tuple[int, float]]:
        """(case id, score) of the best matches of ``terms`` among ``qs`` (not yet restricted);
        ``ids``, when known, are those matches."""
        ...


def backend() -> Backend:
    """The search backend for the default database."""
    if connection.vendor == "postgresql":
        from locus.policy.search.postgres import PostgresBackend

        return PostgresBackend()
    from locus.policy.search.sqlite import SqliteBackend

    return SqliteBackend()
