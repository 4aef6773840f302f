"""Community interest companies, company names saying "charity", and "Trust Ltd"-style names:
re-type (or re-word) the organisations whose type was guessed from a name, as
``classify.PATTERNS`` now does.

- A community interest company is a limited company that cannot be a charity: "X CIC" had been a
  charity ("name of a charity or association") and "X Community Interest Company" a business for
  its "Company"; every spelling is now a business, with a basis that says why.
- A company may put "charity" or "charitable" in its name only as a charity (or with the Charity
  Commission's permission): "X Charitable Trust Ltd" had been a business for its "Ltd".
- "X Trust Ltd" (or Foundation, Association, Society) stays a business, with a basis that says the
  name does not settle it.

A "CIC" elsewhere in a name (an acronym) no longer makes a charity when names are classified
afresh; a stored one is left as it is (the name alone cannot say what it should become).

The patterns are copied here, not imported, so that this migration keeps doing what it did when
the classifier changes again. Types given by a source (the HE providers list, Innovate UK's
Enterprise Size) are left alone, and so are names that an earlier pattern decides (a housing
association, a building society, a Catapult). Going back leaves the new types in place.
"""

import re

from django.db import migrations

EARLIER = re.compile(
    r"\bcatapult\b|\b(twi|fraunhofer|sintef|tno|vtt)\b|\bresearch (and|&) technology organisation\b|"
    r"\bhousing (association|society|trust|group|co-?operative)\b|\bcommunity housing\b|"
    r"\bcymdeithas tai\b|\bregistered social landlord\b|\bregistered provider of social housing\b|"
    r"\bcommunity benefit society\b|\bindustrial (and|&) provident society\b|\bbuilding society\b",
    re.IGNORECASE)
CIC = re.compile(r"\bcommunity interest company\b|(^|[\s(])c\.?i\.?c\.?\)?(\s+(ltd|limited)\.?)?$",
                 re.IGNORECASE)
CIC_BASIS = ("name of a community interest company: a limited company that cannot be a charity; "
             "funders count any organisation engaged in economic activity as a business")
CHARITY_WORD = re.compile(r"\b(charity|charities|charitable)\b", re.IGNORECASE)
CHARITY_WORD_BASIS = ("name says 'charity' or 'charitable', which a company may use only as a "
                      "charity or with the Charity Commission's permission")
TRUST_LTD = re.compile(r"^(?=.*\b(trust|foundation|association|society)\b)"
                       r"(?=.*\b(ltd|limited|limted|plc|llp)\b)", re.IGNORECASE)
TRUST_LTD_BASIS = ("name has a company suffix; 'Trust', 'Foundation', 'Association' or 'Society' "
                   "alone does not make it a charity (a charity may be a limited company too)")


def _guessed_from_name(type_basis: str) -> bool:
    # as registry._strength: a basis that starts "name" (or names a known RTO) is a guess
    return not type_basis or type_basis.startswith("name") or "known research" in type_basis


def new_guess(name: str) -> tuple[str, str] | None:
    """The (type, basis) the new patterns give a stored name, or None to leave it."""
    if EARLIER.search(name):
        return None
    if CIC.search(name):
        return "business", CIC_BASIS
    if CHARITY_WORD.search(name):
        return "charity", CHARITY_WORD_BASIS
    if TRUST_LTD.search(name):
        return "business", TRUST_LTD_BASIS
    return None


def retype(apps, schema_editor):
    Organisation = apps.get_model("collaboration", "Organisation")
    candidates = Organisation.objects.filter(
        name__iregex=r"c\.?i\.?c|community interest|charit|trust|foundation|association|society")
    for org in candidates:
        if not _guessed_from_name(org.type_basis):
            continue
        found = new_guess(org.name)
        if found and found != (org.org_type, org.type_basis):
            org.org_type, org.type_basis = found
            org.save(update_fields=["org_type", "type_basis"])


class Migration(migrations.Migration):
    dependencies = [("collaboration", "0002_housing_associations_not_businesses")]
    operations = [migrations.RunPython(retype, migrations.RunPython.noop)]
