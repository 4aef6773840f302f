"""Editors: grant 'review_proposal' to the administrator and analyst role groups.

Administrators may also grant the permission to any other user in the admin site.
See docs/adr/0006-policy-search.md.
"""

from django.db import migrations

EDITOR_GROUPS = ("administrator", "analyst")


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="policy", model="proposal")
    permission, _ = Permission.objects.get_or_create(
        codename="review_proposal", content_type=content_type,
        defaults={"name": "Can review proposed policy cases and corrections"})
    for name in EDITOR_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(codename="review_proposal",
                              content_type__app_label="policy").delete()


class Migration(migrations.Migration):
    dependencies = [("policy", "0002_search_index"), ("accounts", "0001_roles"),
                    ("contenttypes", "0002_remove_content_type_name"),
                    ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(grant, revoke)]
