"""The evidence-rating rubric: is a case's Maryland SMS rating consistent with its sources?

No Django. ``rating_problems`` returns what is wrong in plain words (an empty list when nothing
is); the case schema (``locus.policy.schema.PolicyCase``) refuses a case with a problem, so every
bundled case and every accepted proposal is held to the same rubric (docs/methodology/policy.md).

What Works Growth scores an evaluation "according to the robustness of the method used and the
quality of its implementation" (Guide to scoring the evidence), which only the evaluation itself,
or a review that scored it, can show. A press release, a news report, the programme's own pages,
a trial registration (the design planned, not carried out) or another secondary page never carries
a rating alone.
"""

from __future__ import annotations

import re
from typing import Literal

SourceKind = Literal["evaluation", "review", "registry", "official", "programme", "press", "other"]
SOURCE_KIND_LABELS: dict[str, str] = {
    "evaluation": "the evaluation or study itself (report, journal article or its record)",
    "review": "an independent evidence review that scores or summarises the study",
    "registry": "a trial registration (the planned design, not the results)",
    "official": "a government or funder page that is not itself an evaluation",
    "programme": "the programme's or delivery body's own page",
    "press": "a press release or news report",
    "other": "a blog, encyclopaedia, mirror or other secondary page",
}
# Kinds that can show an evaluation's design and how it was carried out.
RATING_KINDS = frozenset({"evaluation", "review"})
# What Works Growth's minimum standard: a rating at or above it is a strong rating.
STRONG = 3

# Words that mark editorial (maintainers') notes, which must not reach a public field.
EDITORIAL = re.compile(r"\baudit|search tool|stored cop|\bcorpus\b|stated before|staging domain",
                       re.IGNORECASE)


def is_editorial(text: str | None) -> bool:
    return bool(text and EDITORIAL.search(text))


def rating_problems(*, rating: int | None, field_sources: dict[str, list[int]],
                    kinds: list[str | None]) -> list[str]:
    """Problems with a rating given the case's sources (``kinds[i]`` is source i's kind)."""
    if rating is None:
        return []
    cited = field_sources.get("sms_rating", [])
    if not cited:
        return ["an evidence rating needs field_sources.sms_rating: the sources that show the "
                "evaluation's design"]
    problems = []
    unknown = [i for i in cited if i < len(kinds) and kinds[i] is None]
    if unknown:
        problems.append(f"sources {unknown} are cited for the rating but have no kind "
                        f"(one of {', '.join(SOURCE_KIND_LABELS)})")
    if not any(i < len(kinds) and kinds[i] in RATING_KINDS for i in cited):
        problems.append("a rating must rest on the evaluation itself or an independent review of "
                        "it; the sources cited for it are only "
                        f"{', '.join(sorted({str(kinds[i]) for i in cited if i < len(kinds)}))}")
    if rating >= STRONG:
        method = field_sources.get("evaluation_method", [])
        if not any(i < len(kinds) and kinds[i] in RATING_KINDS for i in method):
            problems.append(f"a rating of {STRONG} or more needs the evaluation method sourced to "
                            "the evaluation itself or an independent review of it, not to press, "
                            "programme or registry pages alone")
    return problems
