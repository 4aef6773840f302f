"""PostgreSQL backend: a stored tsvector (``Case.search_vector``, GIN index) and SearchRank."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import BooleanField, F, FloatField, QuerySet, TextField, Value, When
from django.db.models import Case as CaseWhen
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat

from locus.policy.search import LOCAL_BOOST, Terms

CONFIG = "english"
NORMALIZATION = 0  # ts_rank without length normalisation (see docs/adr/0006-policy-search.md)
WEIGHTS = [0.1, 0.2, 0.4, 1.0]  # D (body), C (summary), B (keywords), A (title)
INDEX = "policy_case_search_vector_gin"
CREATE_INDEX = (f"CREATE INDEX IF NOT EXISTS {INDEX} ON policy_case "
                "USING gin (search_vector)")
DROP_INDEX = f"DROP INDEX IF EXISTS {INDEX}"


def _query(terms: Terms) -> SearchQuery:
    if terms.mode == "any":
        return SearchQuery(" | ".join(terms.words), search_type="raw", config=CONFIG)
    return SearchQuery(" ".join(terms.words), search_type="plain", config=CONFIG)


class PostgresBackend:
    vendor = "postgresql"

    def facet_counts(self, ids: list[int], kinds: list[str]) -> tuple[list, list]:
        """(kind, code, n) and (rating, country, level, layer, n) rows for the cases ``ids``.

        The ids travel as one array parameter; ``= ANY`` lets PostgreSQL use the case_id index.
        """
        with connection.cursor() as cursor:
            cursor.execute("SELECT kind, code, COUNT(*) FROM policy_casetag "
                           "WHERE case_id = ANY(%s) AND kind = ANY(%s) GROUP BY kind, code",
                           [ids, kinds])
            tags = cursor.fetchall()
            cursor.execute("SELECT sms_rating, country, geography_level, layer, COUNT(*) "
                           "FROM policy_case WHERE id = ANY(%s) "
                           "GROUP BY sms_rating, country, geography_level, layer", [ids])
            return tags, cursor.fetchall()

    def index_rebuild(self, *, case_ids: Iterable[int] | None = None) -> None:
        from locus.policy.models import Case

        cases = Case.objects.all() if case_ids is None else Case.objects.filter(
            id__in=list(case_ids))
        cases.update(search_vector=(
            SearchVector("title", weight="A", config=CONFIG)
            + SearchVector(Concat("acronym", Value(" "), "search_keywords",
                                  output_field=TextField()), weight="B",
                           config=CONFIG)
            + SearchVector("summary", weight="C", config=CONFIG)
            + SearchVector("search_body", weight="D", config=CONFIG)))
        if case_ids is None:  # after a bulk load, fresh statistics keep the planner on the indexes
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE policy_case")
                cursor.execute("ANALYZE policy_casetag")

    def restrict(self, qs: QuerySet, terms: Terms) -> QuerySet:
        return qs.filter(search_vector=_query(terms))

    def ranked_page(self, qs: QuerySet, terms: Terms, *, offset: int, limit: int,
                    ids: list[int] | None = None) -> list[tuple[int, float]]:
        query = _query(terms)
        boost = CaseWhen(When(layer="local", then=Value(LOCAL_BOOST)), default=Value(1.0),
                         output_field=FloatField())
        if ids is not None:  # the matches are known: rank only them (no second tsquery scan)
            hits = qs.model.objects.filter(RawSQL("policy_case.id = ANY(%s)", (ids,),
                                                  output_field=BooleanField()))
        else:
            hits = qs.filter(search_vector=query)
        rows = (hits.annotate(score=SearchRank(F("search_vector"), query, weights=WEIGHTS,
                                               normalization=NORMALIZATION) * boost)
                .order_by("-score", "title", "id")
                .values_list("id", "score")[offset:offset + limit])
        return [(pk, float(score)) for pk, score in rows]
