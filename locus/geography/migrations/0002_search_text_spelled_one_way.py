"""Recompute every area's search text with ``locus.geography.names.search_text`` (names spelled one
way: "St. Helens" and "St Helens", "&" and "and", hyphens and apostrophes). A database loaded before
this change keeps its areas (the load is skipped while the bundled files are unchanged), so the
search text is rewritten here."""

from django.db import migrations


def recompute(apps, schema_editor):
    from locus.geography.names import search_text

    Area = apps.get_model("geography", "Area")
    changed = []
    for area in Area.objects.only("code", "name", "search_text"):
        area.search_text = search_text(area.name, area.code)
        changed.append(area)
    Area.objects.bulk_update(changed, ["search_text"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [("geography", "0001_initial")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
