"""Welsh company designations, and "p.l.c." / a public CIC: re-type the organisations whose type
was guessed from a name, as ``classify.PATTERNS`` now does.

The Welsh forms of the English endings are now read wherever the English ones are: "Cyf" and
"Cyfyngedig" (Ltd, Limited), "CCC" and "Cwmni Cyfyngedig Cyhoeddus" (plc), "PAC" and "Partneriaeth
Atebolrwydd Cyfyngedig" (LLP), and "CBC" and "Cwmni Buddiant Cymunedol" (CIC, a business with the
community interest company basis). "p.l.c." and "c.c.c." with full stops count like "plc", and a
public community interest company ("... Community Interest PLC") has the CIC basis instead of the
plain company-suffix one. Before, "Warm Wales - Cymru Gynnes CBC" (in Nesta's Welsh network) and
any "... Cyf" had no type.

The patterns are copied here, not imported, so that this migration keeps doing what it did when
the classifier changes again. Only names with one of the new forms are looked at; types given by
a source (the HE providers list, Innovate UK's Enterprise Size) are left alone, and so are names
that an earlier pattern decides (a housing association such as "Cymdeithas Tai Clwyd Cyf", a
building society, a Catapult) or that say "charity". Going back leaves the new types in place.
"""

import re

from django.db import migrations

EARLIER = re.compile(
    r"\bcatapult\b|\b(twi|fraunhofer|sintef|tno|vtt)\b|\bresearch (and|&) technology organisation\b|"
    r"\bhousing (association|society|trust|group|co-?operative)\b|\bcommunity housing\b|"
    r"\bcymdeithas tai\b|\bregistered social landlord\b|\bregistered provider of social housing\b|"
    r"\bcommunity benefit society\b|\bindustrial (and|&) provident society\b|\bbuilding society\b|"
    r"\b(charity|charities|charitable)\b",
    re.IGNORECASE)
LIMITED_WORDS = r"ltd|limited|limted|plc|llp|cyfyngedig"
LIMITED_AT_END = r"ltd|limited|limted|plc|p\.l\.c|llp|cyfyngedig|cyf|ccc|c\.c\.c|pac"
CIC = re.compile(r"\bcommunity interest (company|public limited company|p\.?l\.?c)\b|"
                 r"\bcwmni buddiant cymunedol\b|"
                 r"(^|[\s(])c\.?[ib]\.?c\.?\)?(\s+(ltd|limited|cyf|cyfyngedig)\.?)?$", re.IGNORECASE)
CIC_BASIS = ("name of a community interest company: a limited company that cannot be a charity; "
             "funders count any organisation engaged in economic activity as a business")
TRUST_LTD = re.compile(r"^(?=.*\b(trust|foundation|association|society)\b)"
                       r"(?=.*(\b(" + LIMITED_WORDS + r")\b|\b(" + LIMITED_AT_END
                       + r")\.?(\s*\(the\))?$))", re.IGNORECASE)
TRUST_LTD_BASIS = ("name has a company suffix; 'Trust', 'Foundation', 'Association' or 'Society' "
                   "alone does not make it a charity (a charity may be a limited company too)")
SUFFIX = re.compile(r"\b(" + LIMITED_AT_END + r"|l\.?l\.?c|inc|gmbh|s\.?a\.?|b\.?v\.?|ag|a/s|ab|"
                    r"oy|s\.?r\.?l|s\.?p\.?a|corporation|corp|company|co)\.?(\s*\(the\))?$|"
                    r"\b(" + LIMITED_WORDS + r")\b", re.IGNORECASE)
SUFFIX_BASIS = "name has a company suffix (Ltd, plc, ...)"
# a name with one of the forms this migration adds
NEW_FORMS = re.compile(r"\bcyf(yngedig)?\b|\b(ccc|c\.c\.c|p\.l\.c|pac)\.?(\s*\(the\))?$|"
                       r"\bcwmni buddiant cymunedol\b|(^|[\s(])c\.?b\.?c\.?\)?(\s+\S+)?$|"
                       r"\bcommunity interest (public limited company|p\.?l\.?c)\b", re.IGNORECASE)


def _guessed_from_name(type_basis: str) -> bool:
    # as registry._strength: a basis that starts "name" (or names a known RTO) is a guess
    return not type_basis or type_basis.startswith("name") or "known research" in type_basis


def new_guess(name: str) -> tuple[str, str] | None:
    """The (type, basis) the new patterns give a stored name, or None to leave it."""
    if not NEW_FORMS.search(name) or EARLIER.search(name):
        return None
    if CIC.search(name):
        return "business", CIC_BASIS
    if TRUST_LTD.search(name):
        return "business", TRUST_LTD_BASIS
    if SUFFIX.search(name):
        return "business", SUFFIX_BASIS
    return None


def retype(apps, schema_editor):
    Organisation = apps.get_model("collaboration", "Organisation")
    candidates = Organisation.objects.filter(
        name__iregex=r"cyf|ccc|c\.c\.c|p\.l\.c|pac|c\.?b\.?c|buddiant|community interest")
    for org in candidates:
        if not _guessed_from_name(org.type_basis):
            continue
        found = new_guess(org.name)
        if found and found != (org.org_type, org.type_basis):
            org.org_type, org.type_basis = found
            org.save(update_fields=["org_type", "type_basis"])


class Migration(migrations.Migration):
    dependencies = [("collaboration", "0003_community_interest_companies_and_charity_names")]
    operations = [migrations.RunPython(retype, migrations.RunPython.noop)]
