"""Housing associations, registered social landlords and community benefit societies are not
businesses: re-type the organisations whose type was guessed from a name ("Gwalia Housing Society
Ltd" had been a business because of its "Ltd"), as ``classify.PATTERNS`` now does.

The patterns are copied here, not imported, so that this migration keeps doing what it did when
the classifier changes again. Types given by a source (the HE providers list, Innovate UK's
Enterprise Size) are left alone. Going back leaves the new types in place.
"""

import re

from django.db import migrations

NOT_FOR_PROFIT = re.compile(
    r"\bhousing (association|society|trust|group|co-?operative)\b|"
    r"\bcommunity housing\b|\bcymdeithas tai\b|\bregistered social landlord\b|"
    r"\bregistered provider of social housing\b|\bcommunity benefit society\b|"
    r"\bindustrial (and|&) provident society\b", re.IGNORECASE)
NOT_FOR_PROFIT_BASIS = "name of a housing association or community benefit society, which are not-for-profit"
BUILDING_SOCIETY = re.compile(r"\bbuilding society\b", re.IGNORECASE)


def _guessed_from_name(type_basis: str) -> bool:
    # as registry._strength: a basis that starts "name" (or names a known RTO) is a guess
    return not type_basis or type_basis.startswith("name") or "known research" in type_basis


def retype(apps, schema_editor):
    Organisation = apps.get_model("collaboration", "Organisation")
    for org in Organisation.objects.filter(name__iregex=r"housing|tai|landlord|society"):
        if not _guessed_from_name(org.type_basis):
            continue
        if NOT_FOR_PROFIT.search(org.name) and org.org_type != "charity":
            org.org_type, org.type_basis = "charity", NOT_FOR_PROFIT_BASIS
            org.save(update_fields=["org_type", "type_basis"])
        elif BUILDING_SOCIETY.search(org.name) and not NOT_FOR_PROFIT.search(org.name) \
                and org.org_type != "business":
            org.org_type, org.type_basis = "business", "name of a building society"
            org.save(update_fields=["org_type", "type_basis"])


class Migration(migrations.Migration):
    dependencies = [("collaboration", "0001_initial")]
    operations = [migrations.RunPython(retype, migrations.RunPython.noop)]
