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
from urllib.parse import urlsplit

SourceKind = Literal["evaluation", "review", "registry", "official", "programme", "press", "other"]
# What each kind means, for editors (docs/methodology/policy.md). A kind says what the document is,
# not where the copy we cite is held: a copy of an evaluation on a document-sharing site is still an
# evaluation, and records where it is held in ``mirror_of`` (see ``MIRROR_HOSTS``).
SOURCE_KIND_LABELS: dict[str, str] = {
    "evaluation": "the evaluation or study itself (report, journal article or its record)",
    "review": "an independent evidence review that scores or summarises the study",
    "registry": "a trial registration (the planned design, not the results)",
    "official": "a government, funder or parliament page that is neither an evaluation nor news "
                "(decision record, policy paper, funding call, guidance, evidence to a committee)",
    "programme": "the programme's or delivery body's own page (other than a press release)",
    "press": "a press release or news report, whoever published it",
    "other": "a blog, encyclopaedia, event page or other secondary page",
}
# The same kinds as readers see them beside each source on a case page.
SOURCE_KIND_NAMES: dict[str, str] = {
    "evaluation": "Evaluation",
    "review": "Independent review",
    "registry": "Trial registration",
    "official": "Official record",
    "programme": "Programme page",
    "press": "Press release or news",
    "other": "Other secondary source",
}
# Hosts that only hold copies of documents published elsewhere (document-sharing and encyclopaedia
# mirrors, web archives, job boards reposting funding calls, a publisher's test server). A source
# held on one of them must say what it is a copy of (``Source.mirror_of``).
MIRROR_HOSTS = frozenset({
    "abcdocz.com", "archive.md", "archive.ph", "design-reuse.com", "docplayer.net", "docsbay.net",
    "docslib.org", "fdocuments.in", "fdocuments.net", "gmi-co.com", "government-world.com",
    "handwiki.org", "jobijoba.co.uk", "pdfslide.net", "pdfslide.us", "piglix.com", "readkong.com",
    "scribd.com", "studylib.net", "vdocument.in", "vdocuments.mx", "vdocuments.net",
    "webcachetest.london.gov.uk",
})


def mirror_host(url: str) -> str | None:
    """The mirror host ``url`` is on (``MIRROR_HOSTS``, with or without ``www.``), else None."""
    host = urlsplit(url).hostname or ""
    host = host.removeprefix("www.")
    return host if host in MIRROR_HOSTS else None


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
