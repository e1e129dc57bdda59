"""The Curator role: may view, add and change directory entries (and mark them checked); may not delete."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATOR_MODELS = ["organisation", "place", "channel", "emergencynumber"]
CURATOR_ACTIONS = ["view", "add", "change"]
READ_ONLY_MODELS = ["linkcheck"]


def create_curator_group(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in CURATOR_MODELS for action in CURATOR_ACTIONS]
    codenames += [f"view_{model}" for model in READ_ONLY_MODELS]
    group, _created = Group.objects.get_or_create(name="Curator")
    group.permissions.set(Permission.objects.filter(content_type__app_label="directory", codename__in=codenames))


def remove_curator_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Curator").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_history_and_link_checks"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_curator_group, remove_curator_group)]
