"""The Curator role: may view, add and change directory entries (and mark them checked); may not delete."""

from django.db import migrations

from directory.migrations._permissions import grant


def create_curator_group(apps, schema_editor):
    grant(apps, "Curator", ["organisation", "place", "channel", "emergencynumber"], ["view", "add", "change"])
    grant(apps, "Curator", ["linkcheck"], ["view"])


def remove_curator_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Curator").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_history_and_link_checks"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_curator_group, remove_curator_group)]
