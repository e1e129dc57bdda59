from django.db import migrations

SERVICES = [
    "emergency", "report_csam", "report_police", "remove_images",
    "support_child", "support_adult", "advice", "prevention",
]  # fmt: skip
NETWORKS = ["INHOPE", "CHI", "Insafe", "IWF"]


def seed(apps, schema_editor):
    Service = apps.get_model("directory", "Service")
    Network = apps.get_model("directory", "Network")
    for slug in SERVICES:
        Service.objects.get_or_create(slug=slug)
    for slug in NETWORKS:
        Network.objects.get_or_create(slug=slug)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
