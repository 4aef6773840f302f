"""The evidence-rating rubric (locus.policy.evidence) over every bundled case, and editorial notes
kept out of the fields readers see.

Run with:  .venv/bin/python -m pytest -p no:django tests/policy_data
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from pydantic import ValidationError

from locus.policy.evidence import (
    RATING_KINDS,
    SOURCE_KIND_LABELS,
    SOURCE_KIND_NAMES,
    STRONG,
    is_editorial,
    mirror_host,
    rating_problems,
)
from locus.policy.schema import PolicyCase, load_cases

CASES_DIR = Path(__file__).resolve().parents[2] / "data" / "policy" / "cases"
# Host names that look like a publisher's test, staging or cache server rather than its public site.
TEST_HOST = re.compile(r"(^|[.-])(test|staging|stage|dev|uat|preview)\d*[.-]|webcache|^find-lb\.")


def _raw(slug: str) -> dict:
    return yaml.safe_load((CASES_DIR / f"{slug}.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cases() -> list[PolicyCase]:
    return load_cases(CASES_DIR)


def test_every_bundled_rating_follows_the_rubric(cases) -> None:
    rated = [c for c in cases if c.sms_rating is not None]
    assert len(rated) >= 5
    for c in rated:
        kinds = [s.kind for s in c.sources]
        assert rating_problems(rating=c.sms_rating, field_sources=c.field_sources,
                               kinds=kinds) == [], c.slug
        cited = {kinds[i] for i in c.field_sources["sms_rating"]}
        assert cited & RATING_KINDS, f"{c.slug}: rating rests on {cited}"
        if c.sms_rating >= STRONG:
            method = {kinds[i] for i in c.field_sources["evaluation_method"]}
            assert method & RATING_KINDS, f"{c.slug}: strong rating, method from {method}"


def test_a_rating_resting_only_on_press_or_programme_pages_is_refused() -> None:
    data = _raw("creative-credits-manchester")
    for source in data["sources"]:
        source["kind"] = "press"
    data["sources"][0]["kind"] = "programme"
    with pytest.raises(ValidationError, match="evaluation itself or an independent review"):
        PolicyCase.model_validate(data)


def test_a_strong_rating_needs_its_method_from_the_evaluation() -> None:
    data = _raw("evolve-digital-trial")
    data["field_sources"]["evaluation_method"] = [3]  # the recruitment page alone
    data["sources"][3]["kind"] = "programme"
    with pytest.raises(ValidationError, match="rating of 3 or more"):
        PolicyCase.model_validate(data)
    data["sms_rating"] = 2  # below What Works Growth's minimum the method rule does not apply
    PolicyCase.model_validate(data)


def test_sources_cited_for_a_rating_must_say_what_they_are() -> None:
    data = _raw("innovate-uk-grants-impact")
    for i in data["field_sources"]["sms_rating"]:
        data["sources"][i].pop("kind", None)
    with pytest.raises(ValidationError, match="have no kind"):
        PolicyCase.model_validate(data)


def test_a_rating_without_rating_sources_is_refused() -> None:
    assert rating_problems(rating=3, field_sources={}, kinds=["evaluation"])
    assert rating_problems(rating=None, field_sources={}, kinds=[]) == []


def test_editorial_text_cannot_go_in_a_public_field() -> None:
    data = _raw("imec")
    data["sources"][0]["note"] = "Audit 2026-11-28 (search tool, pages corpus): confirms it."
    with pytest.raises(ValidationError, match="maintainer_note"):
        PolicyCase.model_validate(data)
    data = _raw("imec")
    data["sources"][0]["maintainer_note"] = "Audit 2026-11-28 (search tool, pages corpus): fine."
    data["maintainer_notes"] = ["Stated before the 2026-11-28 audit: removed."]
    PolicyCase.model_validate(data)
    data["not_verified"] = ["A figure stated before the audit, removed."]
    with pytest.raises(ValidationError, match="maintainer_notes"):
        PolicyCase.model_validate(data)


def test_bundled_public_fields_carry_no_editorial_notes(cases) -> None:
    audited = 0
    for c in cases:
        for s in c.sources:
            assert not is_editorial(s.note), c.slug
            assert "maintainer_note" not in s.public()
            audited += bool(s.maintainer_note)
        assert not any(is_editorial(n) for n in c.not_verified), c.slug
    assert audited >= 50  # the audit's notes are kept for maintainers, not dropped


# --- source kinds and copies held on other sites ------------------------------------------------

def test_every_source_of_every_case_has_a_valid_kind(cases) -> None:
    for c in cases:
        for i, s in enumerate(c.sources):
            assert s.kind in SOURCE_KIND_LABELS, f"{c.slug} source {i}: kind {s.kind!r}"
            assert s.kind in SOURCE_KIND_NAMES  # readers see a name for every kind
    assert set(SOURCE_KIND_NAMES) == set(SOURCE_KIND_LABELS)


def test_a_case_with_a_source_without_a_kind_is_refused() -> None:
    data = _raw("mars-discovery-district")
    data["sources"][2].pop("kind")
    with pytest.raises(ValidationError, match=r"sources \[2\] have no kind"):
        PolicyCase.model_validate(data)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def test_no_case_cites_a_mirror_or_test_host_unless_it_is_recorded_as_a_copy(cases) -> None:
    copies = 0
    for c in cases:
        for i, s in enumerate(c.sources):
            host = _host(s.url)
            looks_like_a_copy = bool(mirror_host(s.url) or TEST_HOST.search(host))
            if looks_like_a_copy:
                assert s.mirror_of is not None, f"{c.slug} source {i}: {host} is not recorded as a copy"
                copies += 1
            if s.mirror_of is not None:  # the page says whose document it is
                assert s.mirror_of.title and s.mirror_of.publisher, c.slug
    assert copies >= 10  # the copies kept, each saying what it reproduces


def test_a_source_on_a_mirror_host_must_say_what_it_is_a_copy_of() -> None:
    data = _raw("help-to-grow-management")
    copy = next(s for s in data["sources"] if "gmi-co.com" in s["url"])
    del copy["mirror_of"]
    with pytest.raises(ValidationError, match="copy held on gmi-co.com"):
        PolicyCase.model_validate(data)
    data = _raw("enterprise-zones")
    data["sources"][1]["url"] = "https://www.docslib.org/doc/1/job-creation-in-the-enterprise-zones"
    with pytest.raises(ValidationError, match="copy held on docslib.org"):
        PolicyCase.model_validate(data)
    data["sources"][1]["mirror_of"] = {"publisher": "Centre for Cities",
                                       "title": "Job creation in the enterprise zones"}
    PolicyCase.model_validate(data)


def test_mirror_hosts_are_matched_by_host_not_by_text() -> None:
    assert mirror_host("https://www.docslib.org/doc/1") == "docslib.org"
    assert mirror_host("http://webcachetest.london.gov.uk/decisions/x") == "webcachetest.london.gov.uk"
    assert mirror_host("https://www.london.gov.uk/decisions/add2239-mentoring-programme") is None
    assert mirror_host("https://example.org/?from=docslib.org") is None
