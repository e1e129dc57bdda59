"""Curators keep the platforms' reporting routes too (they cannot delete them: archive instead)."""

from django.db import migrations

from directory.migrations._permissions import grant


def add_permissions(apps, schema_editor):
    grant(apps, "Curator", ["platform"], ["view", "add", "change"])


class Migration(migrations.Migration):
    dependencies = [("directory", "0013_platforms")]
    operations = [migrations.RunPython(add_permissions, migrations.RunPython.noop)]
