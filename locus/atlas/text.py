"""Words and number formats shared by pages, API, charts and packs (Django-free)."""

from __future__ import annotations

import math

from locus.pathways import opportunities
from locus.pathways.stages import STAGES

LEVEL_PLURAL = {"itl3": "ITL3 areas", "ca": "Combined Authorities", "lad": "local authority districts",
                "itl2": "ITL2 regions", "itl1": "ITL1 regions", "nation": "nations", "uk": "the UK"}
LEVEL_SINGULAR = {"itl3": "ITL3 area", "ca": "Combined Authority", "lad": "local authority district",
                  "itl2": "ITL2 region", "itl1": "ITL1 region", "nation": "nation", "uk": "United Kingdom"}
LEVEL_ARTICLE = {"itl3": "an", "itl2": "an", "itl1": "an", "uk": "the"}  # before LEVEL_SINGULAR; else "a"
MAP_LEVELS = ("itl3", "ca", "lad")
SCORED_LEVELS = ("itl3", "ca", "lad")  # districts: only stages measured for districts (ADR 0010)
# What statistical neighbours are compared on, per level (methodology, section 5).
NEIGHBOUR_VARIABLES = {
    "lad": "population, density, GVA per hour worked and the number of HE providers (the variables measured for "
           "districts themselves)",
    "": "population, density, GVA per head and per hour, research income and funding per head, industry mix and "
        "skills",
}
STAGE_TITLES = {s.id: s.title for s in STAGES}
STAGE_QUESTIONS = {s.id: s.question for s in STAGES}
METHOD_WORDS = {
    "exact": "exact: every source unit lies wholly inside the area",
    "apportioned": "apportioned: at least one source unit was shared out by population",
    "structural_zero": "none recorded: the source covers the year and lists nothing here",
    "weighted_mean": "population-weighted mean of the source units",
}




def finite(value) -> bool:
    return value is not None and isinstance(value, (int, float)) and math.isfinite(value)


def value_text(value: float | None, unit: str) -> str:
    """A value with its unit, for people: '£12.50 per head', '11.6%', '€154 per head', a count or an index
    as a bare number (the table names the unit), 'no data' when there is none. The build's formatter
    (``locus.pathways.opportunities.value_text``, which writes the opportunity reasons) with the pages'
    options: a value that rounds to zero is written without a sign ('0.00', not '-0.00', which reads as
    a measured negative)."""
    return opportunities.value_text(value if finite(value) else None, unit, missing="no data",
                                    unsigned_zero=True, bare=True)


UNIT_WORDS = {"GBP per GBP 100": "£ per £100 of research income", "percent": "%"}


def unit_words(unit: str) -> str:
    """A unit as a reader says it, for titles and captions: "£ per £100 of research income", "€ per head",
    "£ per hour", "£" (the catalogue's codes "GBP per GBP 100", "EUR per head" are for machines); others as
    they are ("firms per 100,000")."""
    if unit in UNIT_WORDS:
        return UNIT_WORDS[unit]
    for code, symbol in (("GBP", "£"), ("EUR", "€")):
        if unit == code or unit.startswith(code + " "):
            return symbol + unit[len(code):]
    return unit


def score_text(value: float | None) -> str:
    return "no score" if not finite(value) else f"{value:.2f}"


def signed_text(value: float, decimals: int = 2) -> str:
    """A signed number ('+0.14', '-0.08'); one that rounds to zero without a sign ('0.00', not '-0.00' or
    '+0.00', which read as a measured change), as ``value_text``'s unsigned zero."""
    return f"{0.0:.{decimals}f}" if round(value, decimals) == 0 else f"{value:+.{decimals}f}"


def gap_text(gap: float | None, lo: float | None = None, hi: float | None = None) -> str:
    if not finite(gap):
        return "not assessed"
    text = signed_text(gap)
    if finite(lo) and finite(hi):
        text += f" (95% interval {signed_text(lo)} to {signed_text(hi)})"
    return text


def opportunity_short(*, numbers: dict, stage_title: str) -> str:
    """An opportunity in one line that keeps its uncertainty (the map page's list; the full reason is on
    the profile): the research base, the weak stage against what was expected, the gap and its 95% interval."""
    n = numbers or {}
    research = (f"research base {score_text(n.get('research_score'))}, rank {n['research_rank']} of {n['n_areas']}"
                if n.get("research_rank") and n.get("n_areas") else f"research base {score_text(n.get('research_score'))}")
    return (f"{research}; {lower_first(stage_title)} {score_text(n.get('actual'))} against "
            f"{score_text(n.get('expected'))} expected, gap {gap_text(n.get('gap'), n.get('lo'), n.get('hi'))}")


def link_verdict(*, is_weak: bool, is_strong: bool) -> str:
    if is_weak:
        return "Weak link"
    if is_strong:
        return "Stronger than expected"
    return "As expected"


def lower_first(text: str) -> str:
    """'Business R&D and innovation finance' -> 'business R&D and innovation finance'; acronyms and names
    ('Innovate UK ...') kept (the pathway core's rule, which the opportunity reasons use too)."""
    return opportunities.lower_first(text)


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"

# Infrastructure layer symbols (circles) on the map, keyed by SiteKind value; shared by the page's
# legend and the map script so the two always agree.
SITE_COLOURS = {"university": "#4c2c92", "makerspace": "#b58840", "catapult": "#d4351c", "science_park": "#00703c",
                "incubator": "#f47738", "accelerator": "#d53880", "poc_fund": "#0b0c0c",
                "innovation_hub": "#28a197", "other": "#505a5f"}


SECTOR_GROUPS = {"manufacture": "manufacturing", "services": "services", "primary": "primary industries",
                 "construction": "construction"}
SECTOR_WORDS = {"kibs": "knowledge-intensive business services", "r_&_d": "R&D", "real_state": "real estate",
                "oil_gas": "oil and gas", "quarrying_concrete": "quarrying and concrete",
                "footwear_leather": "footwear and leather", "machinery_tools": "machinery and tools",
                "steel_metal": "steel and metal", "financial_legal": "financial and legal",
                "insurance_finance": "insurance and finance", "electronics_machinery": "electronics and machinery",
                "education_post_primary": "post-primary education", "education_primary": "primary education",
                "consumer_retail": "consumer and retail"}


def sector_label(sector: str) -> str:
    """Nesta's BRES sector identifiers in words: 'services_textiles' -> 'Textiles (services)',
    'services_kibs' -> 'Knowledge-intensive business services (services)'. Other labels (the GVA
    tables' 'C (10-33) Manufacturing') pass through."""
    group, _, rest = (sector or "").partition("_")
    if group not in SECTOR_GROUPS or not rest:
        return sector
    words = SECTOR_WORDS.get(rest, rest.replace("_", " "))
    return f"{words[:1].upper()}{words[1:]} ({SECTOR_GROUPS[group]})"
