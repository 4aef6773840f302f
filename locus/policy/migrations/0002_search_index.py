"""Full-text index: an FTS5 table on SQLite, a GIN index on the tsvector on PostgreSQL."""

from django.db import migrations


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        from locus.policy.search.sqlite import CREATE
    elif vendor == "postgresql":
        from locus.policy.search.postgres import CREATE_INDEX as CREATE
    else:
        return
    schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        from locus.policy.search.sqlite import DROP
    elif vendor == "postgresql":
        from locus.policy.search.postgres import DROP_INDEX as DROP
    else:
        return
    schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
