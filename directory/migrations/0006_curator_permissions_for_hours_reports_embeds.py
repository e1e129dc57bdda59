"""Curators also keep opening hours, work the problem-report queue and list partners' embed origins."""

from django.db import migrations

from directory.migrations._permissions import grant


def add_permissions(apps, schema_editor):
    grant(apps, "Curator", ["openinghours", "embedorigin"], ["view", "add", "change"])
    grant(apps, "Curator", ["problemreport"], ["view", "change"])


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_opening_hours_problem_reports_embeds"), ("directory", "0004_curator_group")]
    operations = [migrations.RunPython(add_permissions, migrations.RunPython.noop)]
