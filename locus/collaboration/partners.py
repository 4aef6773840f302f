"""Partner finder: turn a request into a recommender query and return organisations with reasons."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from locus.collaboration.models import Organisation
from locus.collaboration.network_data import recommender_index
from locus.collaboration.rules.model import FieldErrors
from locus.errors import PostcodeError
from locus.geography.postcodes import default_index
from locus.networks.recommend import (
    NEED_LABELS,
    Query,
    Recommendation,
    has_links,
    recommend,
    text_without_links,
)

MAX_DESCRIPTION = 1000  # characters of project description the finder reads
POSTCODE_EXAMPLE = "SA2 8PP"
def web_address_only(text: str) -> bool:
    """True when the input is links and nothing else, rather than the words asked for (a link is
    ``WEB_ADDRESS``: a scheme or "www." first, or a domain followed by a path). A link inside longer
    text is accepted and ignored for topics."""
    return bool(text.strip()) and not re.search(r"\w", text_without_links(text))
TYPE_CHOICES = ("business", "university", "research", "rto", "public", "charity")


@dataclass(frozen=True)
class PartnerSuggestion:
    organisation: Organisation
    score: float
    components: dict[str, float]
    reasons: list[str]
    links: int = 0      # its recorded collaborations; 0: suggested on topics, place and type alone
    weak: bool = False  # no partner in common and a word or two in common at most (WEAK_SIMILARITY)

    @property
    def match(self) -> str:
        return "weak" if self.weak else "strong"

    @property
    def evidence(self) -> str:
        return "collaborations" if self.links else "no_recorded_collaborations"


@dataclass(frozen=True)
class PartnerEvidence:
    """What the partner finder can go on for one organisation, in words for its page and the API."""
    available: bool          # the finder can suggest partners for it (and suggest it)
    collaborations: int      # links recorded for it in the loaded networks and projects
    basis: list[str]         # "collaborations", "topics", "project titles", "place", "type"
    message: str


@dataclass(frozen=True)
class PartnerResults:
    suggestions: list[PartnerSuggestion]
    query_organisation: Organisation | None
    place_name: str
    seconds: float
    # A description was given but no suggestion shares a topic word with it: the ranking then rests
    # on place, links and gaps alone, and the page says so.
    no_topic_match: bool = False
    # Needs ("an SME") that no suggestion meets: the loaded data knows of no such organisation.
    unmet_needs: list[str] = field(default_factory=list)
    # The organisation asked about has no recorded collaborations: no suggestion rests on shared
    # partners, only on its topics, place and type.
    organisation_without_collaborations: bool = False

    @property
    def strong(self) -> list[PartnerSuggestion]:
        return [s for s in self.suggestions if not s.weak]

    @property
    def weak(self) -> list[PartnerSuggestion]:
        return [s for s in self.suggestions if s.weak]


# Organisation types that can meet each need (sizes decide SMEs and large businesses).
NEED_TYPES = {"sme": ("business",), "business": ("business",), "large_business": ("business",),
              "research": ("university", "research"),
              "research_or_rto": ("university", "research", "rto")}


def organisation_fits(org: Organisation, need: str) -> bool:
    """Whether an organisation meets a need; False for needs no loaded dataset can tell (a vehicle
    manufacturer or Tier 1 supplier)."""
    if need == "sme":
        return org.is_sme
    if need == "large_business":
        return org.org_type == "business" and org.size == "large"
    return org.org_type in NEED_TYPES.get(need, ())


HOW_TO_ADD_EVIDENCE = ("Loading projects it took part in would make suggestions possible: an "
                       "analyst can fetch them from Gateway to Research (locus data fetch gtr) or "
                       "import Innovate UK's funded-projects workbook. Until then, describe your "
                       "project to search by topic instead.")


def partner_evidence(org: Organisation) -> PartnerEvidence:
    """Whether the partner finder can work for ``org`` and on what evidence, said plainly."""
    index = recommender_index()
    basis = [word for word, present in (("topics", bool(org.topics.strip())),
                                        ("project titles", org.participations.exists()))
             if present]
    # coordinates alone are a place too: the proximity part measures from them (the HE providers
    # list places Northern Ireland's universities, whose postcodes Locus does not hold)
    known = [word for word, present in (("place", org.lad_id is not None or org.lat is not None),
                                        ("type", org.org_type not in ("", "unknown")))
             if present]
    if org.pk not in index.position:
        held = [f"its {word}" for word in known]
        if org.funding_decisions.exists():
            held.append("UKRI funding decisions, which name councils and amounts but no topics "
                        "or partners")
        return PartnerEvidence(
            available=False, collaborations=0, basis=[],
            message=f"No partners can be suggested for {org.name}, and it cannot be suggested to "
                    "others: the loaded data hold no topics, projects or recorded collaborations "
                    f"for it{f' (only {_listed(held)})' if held else ''}, so there is nothing to "
                    f"compare it by. {HOW_TO_ADD_EVIDENCE}")
    links = int(index.degree[index.position[org.pk]])
    basis += known
    if links:
        return PartnerEvidence(
            available=True, collaborations=links, basis=["collaborations", *basis],
            message=f"Suggestions for {org.name} draw on its {links} recorded collaboration "
                    f"{'link' if links == 1 else 'links'} (shared partners)"
                    f"{f' and on its {_listed(basis)}' if basis else ''}.")
    return PartnerEvidence(
        available=True, collaborations=0, basis=basis,
        message=f"No collaborations are recorded for {org.name} in the loaded data, so "
                f"suggestions for it rest on its {_listed(basis)} alone, never on shared "
                "partners; it can be suggested to others on the same evidence.")


def _listed(words: list[str]) -> str:
    return " and ".join(words) if len(words) < 3 else f"{', '.join(words[:-1])} and {words[-1]}"


def _where(postcode: str) -> tuple[float | None, float | None, str | None, str]:
    if not postcode.strip():
        return None, None, None, ""
    try:
        location = default_index().lookup(postcode)
    except PostcodeError as exc:
        # say what to type, not the postcode grammar: "an outward code (A9, A99, ...)"
        message = {"malformed": f"enter a full UK postcode, for example {POSTCODE_EXAMPLE}",
                   "unknown": f"{exc.postcode} is not in Locus's postcode table: check it, or "
                              "leave the postcode out (a very new postcode may not be there yet)"}
        raise FieldErrors([("postcode", message.get(exc.reason, str(exc)))]) from None
    return location.lat, location.lon, location.lad_code, location.postcode


def partners_find(*, organisation_id: int | None = None, description: str = "",
                  postcode: str = "", needs: Sequence[str] = (), partner_ids: Sequence[int] = (),
                  types: Sequence[str] = (), need_reason: str = "", k: int = 10) -> PartnerResults:
    """Ranked candidates for an organisation, a project description or a consortium's gaps."""
    errors = [("needs", f"unknown need {n!r}; use {', '.join(NEED_LABELS)}")
              for n in needs if n not in NEED_LABELS]
    errors += [("types", f"unknown type {t!r}; use {', '.join(TYPE_CHOICES)}")
               for t in types if t not in TYPE_CHOICES]
    if organisation_id is None and not description.strip() and not partner_ids and not needs:
        errors.append(("description", "choose your organisation or describe the project"))
    if web_address_only(description):
        errors.append(("description", "describe the project in words, not a link to a web page, "
                                      "for example hydrogen fuel cells for buses"))
    if web_address_only(postcode):
        errors.append(("postcode", f"enter a postcode, not a web address, for example "
                                   f"{POSTCODE_EXAMPLE}"))
    if len(description) > MAX_DESCRIPTION:
        errors.append(("description", f"describe the project in at most {MAX_DESCRIPTION:,} characters "
                                      f"(this has {len(description):,})"))
    if errors:
        raise FieldErrors(errors)
    started = time.perf_counter()
    lat, lon, lad, shown = _where(postcode)
    index = recommender_index()
    if organisation_id is not None and organisation_id not in index.position:
        org = Organisation.objects.filter(pk=organisation_id).first()
        raise FieldErrors([("organisation", partner_evidence(org).message if org else
                            f"no organisation has the id {organisation_id}")])
    query = Query(key=organisation_id, text=description, partners=tuple(partner_ids), lat=lat,
                  lon=lon, place=lad, needs=tuple(needs), need_reason=need_reason,
                  types=tuple(types))
    found: list[Recommendation] = recommend(index, query, k=k)
    orgs = Organisation.objects.select_related("lad").in_bulk([r.key for r in found])
    unmet = [n for n in needs if not any(organisation_fits(orgs[r.key], n) for r in found)]
    return PartnerResults(
        # weak matches after the others (each part in score order): never ranked among them
        suggestions=sorted((PartnerSuggestion(orgs[r.key], r.score, r.components, r.reasons,
                                              r.links, r.weak) for r in found),
                           key=lambda s: s.weak),
        query_organisation=Organisation.objects.filter(pk=organisation_id).first()
        if organisation_id else None,
        place_name=shown, seconds=time.perf_counter() - started,
        no_topic_match=bool(text_without_links(description).strip()) and bool(found)
        and all(r.components.get("topic", 0.0) <= 0.0 for r in found), unmet_needs=unmet,
        organisation_without_collaborations=organisation_id is not None
        and not has_links(index, organisation_id))
