"""SQLite FTS5 backend: ``policy_case_fts`` (rowid = case id), bm25 with column weights."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from locus.policy.search import LOCAL_BOOST, Terms

TABLE = "policy_case_fts"
CREATE = (f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
          "title, keywords, summary, body, tokenize = 'porter unicode61 remove_diacritics 2')")
DROP = f"DROP TABLE IF EXISTS {TABLE}"
WEIGHTS = "10.0, 5.0, 3.0, 1.0"  # title, keywords, summary, body


def _match(terms: Terms) -> str:
    joiner = " OR " if terms.mode == "any" else " AND "
    return joiner.join(f'"{w}"' for w in terms.words)


class SqliteBackend:
    vendor = "sqlite"

    def facet_counts(self, ids: list[int], kinds: list[str]) -> tuple[list, list]:
        """(kind, code, n) and (rating, country, level, layer, n) rows for the cases ``ids``.

        The ids travel as one JSON parameter into a materialised CTE, so SQLite starts from
        them and uses the case_id index (an ``IN`` list would scan every tag of the kinds).
        """
        ids_json = json.dumps(ids)
        marks = ", ".join(["%s"] * len(kinds))
        with connection.cursor() as cursor:
            cursor.execute("WITH m AS MATERIALIZED (SELECT value AS id FROM json_each(%s)) "
                           "SELECT t.kind, t.code, COUNT(*) FROM m JOIN policy_casetag t "
                           f"ON t.case_id = m.id WHERE t.kind IN ({marks}) "
                           "GROUP BY t.kind, t.code", [ids_json, *kinds])
            tags = cursor.fetchall()
            cursor.execute("WITH m AS MATERIALIZED (SELECT value AS id FROM json_each(%s)) "
                           "SELECT c.sms_rating, c.country, c.geography_level, c.layer, COUNT(*) "
                           "FROM m JOIN policy_case c ON c.id = m.id GROUP BY c.sms_rating, "
                           "c.country, c.geography_level, c.layer", [ids_json])
            return tags, cursor.fetchall()

    def index_rebuild(self, *, case_ids: Iterable[int] | None = None) -> None:
        select = ("SELECT id, title, acronym || ' ' || search_keywords, summary, search_body "
                  "FROM policy_case")
        with connection.cursor() as cursor:
            if case_ids is None:
                cursor.execute(f"DELETE FROM {TABLE}")
                cursor.execute(f"INSERT INTO {TABLE}(rowid, title, keywords, summary, body) "
                               + select)
                return
            ids = [int(i) for i in case_ids]
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", chunk)
                cursor.execute(f"INSERT INTO {TABLE}(rowid, title, keywords, summary, body) "
                               f"{select} WHERE id IN ({marks})", chunk)

    def restrict(self, qs: QuerySet, terms: Terms) -> QuerySet:
        return qs.filter(id__in=RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s",
                                       (_match(terms),)))

    def ranked_page(self, qs: QuerySet, terms: Terms, *, offset: int, limit: int,
                    ids: list[int] | None = None) -> list[tuple[int, float]]:
        # Rank inside FTS5 first (a materialised CTE), then keep the hits that pass the filters,
        # looked up hit by hit; the other way round SQLite builds the whole filtered library.
        kept = qs.order_by().filter(id__in=RawSQL("SELECT id FROM hits", ())).values("id")
        inner, params = kept.query.sql_with_params()
        sql = (f"WITH hits AS MATERIALIZED (SELECT rowid AS id, bm25({TABLE}, {WEIGHTS}) AS r "
               f"FROM {TABLE} WHERE {TABLE} MATCH %s) "
               f"SELECT h.id, -h.r * (CASE c.layer WHEN 'local' THEN {LOCAL_BOOST} ELSE 1.0 END) "
               "AS score FROM hits h JOIN policy_case c ON c.id = h.id "
               f"WHERE h.id IN ({inner}) ORDER BY score DESC, c.title, c.id LIMIT %s OFFSET %s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [_match(terms), *params, limit, offset])
            return [(row[0], float(row[1])) for row in cursor.fetchall()]
