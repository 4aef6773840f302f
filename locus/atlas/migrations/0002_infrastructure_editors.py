"""Infrastructure editors: the administrator and analyst role groups may add, change, delete and
import commercialisation-infrastructure sites. Anyone may read them (no permission needed)."""

from django.db import migrations

EDITOR_GROUPS = ("administrator", "analyst")
PERMISSIONS = {
    "add_infrastructuresite": "Can add infrastructure site",
    "change_infrastructuresite": "Can change infrastructure site",
    "delete_infrastructuresite": "Can delete infrastructure site",
    "import_sites": "Can import infrastructure sites from a CSV file",
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="atlas", model="infrastructuresite")
    perms = [Permission.objects.get_or_create(codename=code, content_type=content_type,
                                              defaults={"name": name})[0]
             for code, name in PERMISSIONS.items()]
    for name in EDITOR_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="atlas", codename__in=PERMISSIONS)
    for group in Group.objects.filter(name__in=EDITOR_GROUPS):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [("atlas", "0001_initial"), ("accounts", "0001_roles"),
                    ("contenttypes", "0002_remove_content_type_name"),
                    ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(grant, revoke)]
