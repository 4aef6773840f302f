"""Who may lift a sign-in lock by hand: the permission 'unlock_sign_in', given to the
administrator role group (an administrator may give it to another staff user in the admin site).
The Users list's action "Lift the sign-in lock" asks for it (``locus.accounts.admin``)."""

from django.db import migrations

GROUPS = ("administrator",)
NAME = "Can lift the sign-in lock of a user"


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="accounts",
                                                        model="signinthrottle")
    permission, _ = Permission.objects.get_or_create(
        codename="unlock_sign_in", content_type=content_type, defaults={"name": NAME})
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(codename="unlock_sign_in",
                              content_type__app_label="accounts").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0005_sign_in_throttle"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="signinthrottle",
            options={"permissions": [("unlock_sign_in", NAME)]},
        ),
        migrations.RunPython(grant, revoke),
    ]
