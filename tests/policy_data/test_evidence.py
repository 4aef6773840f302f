"""The evidence-rating rubric (locus.policy.evidence) over every bundled case, and editorial notes
kept out of the fields readers see.

Run with:  .venv/bin/python -m pytest -p no:django tests/policy_data
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from locus.policy.evidence import RATING_KINDS, STRONG, is_editorial, rating_problems
from locus.policy.schema import PolicyCase, load_cases

CASES_DIR = Path(__file__).resolve().parents[2] / "data" / "policy" / "cases"


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
