"""Organisation type from the name, for sources that do not give one (GtR, the Welsh network).

A source's own type always wins (the HE providers list, Innovate UK's Enterprise Size). The
patterns below are checked in order and the first that matches decides; the page shows the
basis ("name contains 'Ltd'"), so a reader can judge it. No Django here.
"""

from __future__ import annotations

import re

# Welsh equivalents of the English designations, each with or without full stops (Companies Act
# 1985 s. 27(4), as amended by the Companies (Audit, Investigations and Community Enterprise) Act
# 2004 Sch. 6; The Company, Limited Liability Partnership and Business (Names and Trading
# Disclosures) Regulations 2015, Sch. 2 paras 1 and 3; Limited Liability Partnerships Act 2000,
# Schedule para. 3): "cyfyngedig"/"cyf" for "limited"/"ltd"; "cwmni cyfyngedig cyhoeddus"/"ccc"
# for "public limited company"/"plc"; "partneriaeth atebolrwydd cyfyngedig"/"pac" for "limited
# liability partnership"/"llp"; "cwmni buddiant cymunedol"/"cbc" for "community interest
# company"/"cic", and "cwmni buddiant cymunedol cyhoeddus cyfyngedig"/"cwmni buddiant cymunedol
# ccc" for "community interest public limited company"/"community interest plc". A Welsh ending
# is read wherever the English one is, so a name classifies the same with either.
# Words that mark a company anywhere in a name; the short forms below count only at its end
# ("Cyf", "CCC", "PAC" and "CBC" are also ordinary acronyms).
LIMITED_WORDS = r"ltd|limited|limted|plc|llp|cyfyngedig"
LIMITED_AT_END = r"ltd|limited|limted|plc|p\.l\.c|llp|cyfyngedig|cyf|ccc|c\.c\.c|pac"

# "... Community Interest Company", "... CIC", "... C.I.C." or "... (CIC)", with or without a
# trailing "Ltd", a public CIC ("... Community Interest PLC"), and the Welsh forms ("... Cwmni
# Buddiant Cymunedol", "... CBC", "... C.B.C.", "... CBC Cyf"): a "CIC" or "CBC" elsewhere in a
# name is left to the other patterns (it may be an acronym).
CIC_PATTERN = (r"\bcommunity interest (company|public limited company|p\.?l\.?c)\b|"
               r"\bcwmni buddiant cymunedol\b|"
               r"(^|[\s(])c\.?[ib]\.?c\.?\)?(\s+(ltd|limited|cyf|cyfyngedig)\.?)?$")
CIC_BASIS = ("name of a community interest company: a limited company that cannot be a charity; "
             "funders count any organisation engaged in economic activity as a business")
CHARITY_WORD_BASIS = ("name says 'charity' or 'charitable', which a company may use only as a "
                      "charity or with the Charity Commission's permission")
TRUST_LTD_BASIS = ("name has a company suffix; 'Trust', 'Foundation', 'Association' or 'Society' "
                   "alone does not make it a charity (a charity may be a limited company too)")

# (type, pattern, basis shown to users); first match wins.
PATTERNS: list[tuple[str, str, str]] = [
    ("rto", r"\bcatapult\b", "name contains 'Catapult'"),
    ("rto", r"\b(twi|fraunhofer|sintef|tno|vtt)\b", "a known research and technology organisation"),
    ("rto", r"\bresearch (and|&) technology organisation\b", "name says RTO"),
    # Before the company suffix: a housing association, registered social landlord or community
    # benefit society is registered as a society whose name ends in "Limited" like a company's,
    # but it is not-for-profit, not a business. A building society or a trading co-operative
    # ("The Co-operative Group Limited") is a business, and the patterns leave them to the rules below.
    ("charity", r"\bhousing (association|society|trust|group|co-?operative)\b|"
                r"\bcommunity housing\b|\bcymdeithas tai\b|\bregistered social landlord\b|"
                r"\bregistered provider of social housing\b|\bcommunity benefit society\b|"
                r"\bindustrial (and|&) provident society\b",
     "name of a housing association or community benefit society, which are not-for-profit"),
    ("business", r"\bbuilding society\b", "name of a building society"),
    # A community interest company is a limited company (by shares or guarantee) with an asset lock
    # and cannot be a charity; its name ends "community interest company" or "CIC" instead of
    # "Limited". Funders class an organisation by its activity, not its form (GBER Annex I: any
    # entity engaged in an economic activity, irrespective of its legal form, is an enterprise;
    # Innovate UK: a business undertakes economic activities, and each applicant decides its type).
    ("business", CIC_PATTERN, CIC_BASIS),
    # Only a charity may put "charity" or "charitable" in a company's name in England and Wales,
    # unless the Charity Commission agrees otherwise: these names are charities even with "Ltd".
    ("charity", r"\b(charity|charities|charitable)\b", CHARITY_WORD_BASIS),
    # "Trust", "Foundation", "Association" or "Society" with a company suffix: a charity can be a
    # company limited by guarantee whose name ends "Limited", and a business may use these words
    # with Companies House's approval, so the name does not settle it. Kept a business (as before)
    # with a basis that says so.
    ("business", r"^(?=.*\b(trust|foundation|association|society)\b)"
                 r"(?=.*(\b(" + LIMITED_WORDS + r")\b|\b(" + LIMITED_AT_END + r")\.?(\s*\(the\))?$))",
     TRUST_LTD_BASIS),
    ("business", r"\b(" + LIMITED_AT_END + r"|l\.?l\.?c|inc|gmbh|s\.?a\.?|b\.?v\.?|ag|a/s|ab|oy|"
                 r"s\.?r\.?l|s\.?p\.?a|corporation|corp|company|co)\.?(\s*\(the\))?$|"
                 r"\b(" + LIMITED_WORDS + r")\b", "name has a company suffix (Ltd, plc, ...)"),
    ("public", r"\b(nhs|health board|hospital|police|council|government|ministry|department of|"
               r"authority|agency|office|natural resources wales|public health|parliament|"
               r"assembly|museum wales|national museum)\b", "name of a public body"),
    ("public", r"^city and county of\b|\bcounty borough\b|\bcounty$|\broyal com(mission|\.)?\b|"
               r"^(the )?national (archives|library)\b|^historic (england|environment scotland)$",
     "name of a local authority or national public body"),
    ("university", r"\b(university|universit[yaeé]|prifysgol|polytechnic)\b",
     "name contains 'University'"),
    ("university", r"\b(college|school of)\b.*\b(london|art|music|medicine|economics)\b|"
                   r"\bcollege\b", "name contains 'College' or 'School of'"),
    ("research", r"\b(institute|laboratory|laboratories|observatory|research centre|"
                 r"survey|wellcome sanger|rothamsted)\b", "name of a research institute"),
    ("business", r"\b(consulting|consultancy|consultants|technologies|solutions|systems|semiconductors?|"
                 r"circuits|publishers|associates|manufacturing|materials technology)\b",
     "name has a trading word (Consulting, Technologies, Solutions, Systems, Manufacturing, ...)"),
    ("charity", r"\b(trust|foundation|society|association|communities first|federation|"
                r"network)\b", "name of a charity or association"),
]
_COMPILED = [(kind, re.compile(pattern, re.IGNORECASE), basis) for kind, pattern, basis in PATTERNS]


def org_type_guess(name: str) -> tuple[str, str]:
    """('business', "name has a company suffix (Ltd, plc, ...)") or ('unknown', '')."""
    for kind, pattern, basis in _COMPILED:
        if pattern.search(name or ""):
            return kind, basis
    return "unknown", ""


ENTERPRISE_SIZES = {"micro": "micro", "small": "small", "medium": "medium", "large": "large",
                    "micro/small": "small", "sme": "small"}
ACADEMIC_SIZES = {"academic", "university", "research", "research organisation",
                  "research organization"}


def enterprise_size_parse(value: str | None) -> tuple[str, str]:
    """Innovate UK 'Enterprise Size' -> (organisation type, size).

    'Micro'/'Small'/'Medium'/'Large' -> a business of that size; 'Academic' -> research; anything
    else (blank, 'N/A', 'Public Sector') -> ('', '') so the name decides the type.
    """
    text = (value or "").strip().lower()
    if text in ENTERPRISE_SIZES:
        return "business", ENTERPRISE_SIZES[text]
    if text in ACADEMIC_SIZES:
        return "university", ""
    if "public" in text:
        return "public", ""
    if "charit" in text or "not for profit" in text or "non-profit" in text:
        return "charity", ""
    return "", ""
