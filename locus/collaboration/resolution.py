"""Entity resolution for organisations: identifiers, then exact normalised names, then fuzzy names.

No Django here. A ``Resolver`` holds what is already known (identifiers and names of existing
organisations, and earlier reviewer decisions) and says, for an incoming name, whether it is an
existing organisation, a new one, or an uncertain match for the review queue:

- an identifier (GtR id, UKPRN, Companies House number) that matches -> that organisation;
- the same normalised name (case, punctuation, "&"/"and", legal suffixes such as Ltd) -> it;
- otherwise rapidfuzz ``token_sort_ratio`` on the distinctive words of the names (generic words
  such as University, College, Council, County are left out), among organisations sharing a
  distinctive word: >= AUTO_MATCH (95) -> it; >= REVIEW (80) -> a new organisation plus a review
  item; below -> a new organisation. Two organisations with different identifiers of the same
  kind (two UKPRNs or two Companies House numbers; not GtR ids, since GtR has several ids for
  some organisations), or of different known types (a police force and a university), are never
  matched by name. Reviewers' decisions on a pair are remembered and win.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

AUTO_MATCH = 95.0
REVIEW = 80.0
LEGAL_WORDS = frozenset({"the", "limited", "ltd", "plc", "llp", "lp", "inc", "incorporated",
                         "cic", "cyf", "cyfyngedig", "ccc"})
GENERIC_WORDS = frozenset({"university", "of", "and", "college", "institute", "uk", "group",
                           "company", "services", "centre", "center", "trust", "national",
                           "international", "technology", "technologies", "solutions",
                           "systems", "research", "school", "for", "in", "de", "the",
                           "county", "borough", "council", "royal", "london", "limited"})
ABBREVIATIONS = {"univ": "university", "uni": "university", "co": "company", "intl": "international"}


def name_normalise(name: str) -> str:
    """'The ACME Company Ltd.' -> 'acme company'; 'Queen Mary, University of London' ->
    'queen mary university of london'."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ").replace("'", "").replace("’", "")
    text = re.sub(r"\(the\)", " ", text)
    tokens = re.sub(r"[^a-z0-9]+", " ", text).split()
    tokens = [ABBREVIATIONS.get(t, t) for t in tokens]
    return " ".join(t for t in tokens if t not in LEGAL_WORDS)


def company_number_normalise(value: str | int | None) -> str | None:
    """Companies House numbers are 8 characters: pad digits with zeros ('1234' -> '00001234')."""
    if value is None:
        return None
    text = str(value).strip().upper().replace(" ", "")
    if text.endswith(".0") and text[:-2].isdecimal():
        text = text[:-2]
    if not text or text in {"NA", "N/A", "NONE", "-"}:
        return None
    return text.zfill(8) if text.isdecimal() else text


def distinctive(normalised: str) -> str:
    """The words that tell organisations apart, sorted: 'university of bath' -> 'bath';
    a name of generic words only ('university of london') is kept whole."""
    words = [w for w in normalised.split() if w not in GENERIC_WORDS and len(w) > 1]
    return " ".join(sorted(words)) or normalised


def _blocks(normalised: str) -> set[str]:
    return set(distinctive(normalised).split())


@dataclass(frozen=True)
class Candidate:
    """What a source says about an organisation."""

    name: str
    gtr_id: str | None = None
    ukprn: str | None = None
    company_number: str | None = None
    org_type: str | None = None


@dataclass(frozen=True)
class Resolution:
    kind: str            # identifier | exact | fuzzy | review | new
    key: object | None   # the matched organisation's key (None for new)
    score: float = 100.0
    review_key: object | None = None  # for kind == "review": the uncertain match


@dataclass
class Resolver:
    """Known organisations by identifier and name; ``add`` as new ones are created."""

    decisions: dict[tuple[str, str], bool] = field(default_factory=dict)
    _by_id: dict[tuple[str, str], object] = field(default_factory=dict)
    _by_name: dict[str, object] = field(default_factory=dict)
    _names: dict[object, set[str]] = field(default_factory=lambda: defaultdict(set))
    _block: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    _ids: dict[object, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    _types: dict[object, str] = field(default_factory=dict)

    def add(self, key: object, names: Iterable[str], *, gtr_id: str | None = None,
            ukprn: str | None = None, company_number: str | None = None,
            org_type: str | None = None) -> None:
        if org_type and org_type != "unknown":
            self._types[key] = org_type
        for scheme, value in (("gtr", gtr_id), ("ukprn", ukprn),
                              ("crn", company_number_normalise(company_number))):
            if value:
                self._by_id.setdefault((scheme, str(value).strip().upper()), key)
                self._ids[key].setdefault(scheme, str(value).strip().upper())
        for name in names:
            normalised = name_normalise(name)
            if not normalised:
                continue
            self._by_name.setdefault(normalised, key)
            self._names[key].add(normalised)
            for word in _blocks(normalised):
                self._block[word].add(normalised)

    def decide(self, name_a: str, name_b: str, same: bool) -> None:
        self.decisions[_pair(name_normalise(name_a), name_normalise(name_b))] = same

    def resolve(self, candidate: Candidate) -> Resolution:
        for scheme, value in (("gtr", candidate.gtr_id), ("ukprn", candidate.ukprn),
                              ("crn", company_number_normalise(candidate.company_number))):
            key = self._by_id.get((scheme, str(value).strip().upper())) if value else None
            if key is not None and not self._conflict(candidate, key):
                return Resolution("identifier", key)
        normalised = name_normalise(candidate.name)
        if normalised in self._by_name:
            key = self._by_name[normalised]
            if not self._conflict(candidate, key):
                return Resolution("exact", key)
        return self._fuzzy(normalised, candidate)

    def _conflict(self, candidate: Candidate, key: object) -> bool:
        """Both carry an identifier of the same kind, or a known type, and they differ."""
        theirs = self._types.get(key)
        if candidate.org_type and candidate.org_type != "unknown" and theirs and \
                theirs != candidate.org_type:
            return True
        known = self._ids.get(key, {})
        for scheme, value in (("ukprn", candidate.ukprn),
                              ("crn", company_number_normalise(candidate.company_number))):
            if value and scheme in known and known[scheme] != str(value).strip().upper():
                return True
        return False

    def _scored(self, normalised: str) -> list[tuple[str, float]]:
        choices = set().union(*(self._block.get(w, set()) for w in _blocks(normalised)))
        forms: dict[str, list[str]] = defaultdict(list)
        for choice in choices:
            forms[distinctive(choice)].append(choice)
        found = process.extract(distinctive(normalised), list(forms), scorer=fuzz.token_sort_ratio,
                                score_cutoff=REVIEW, limit=10)
        scored = [(choice, score) for form, score, _ in found for choice in forms[form]]
        return sorted(scored, key=lambda pair: (-pair[1], pair[0]))

    def _fuzzy(self, normalised: str, candidate: Candidate) -> Resolution:
        best = None
        for choice, score in self._scored(normalised):
            key = self._by_name[choice]
            decided = self.decisions.get(_pair(normalised, choice))
            if decided is True:
                return Resolution("exact", key, score)
            if decided is False or self._conflict(candidate, key):
                continue
            best = best or (key, score)
        if best is None:
            return Resolution("new", None, 0.0)
        key, score = best
        if score >= AUTO_MATCH:
            return Resolution("fuzzy", key, score)
        return Resolution("review", None, score, review_key=key)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)
