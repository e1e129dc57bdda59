"""Helpers for data migrations that give a group permissions."""

from django.contrib.auth.management import create_permissions


def grant(apps, group_name: str, models: list[str], actions: list[str]) -> None:
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=group_name)
    codenames = [f"{action}_{model}" for model in models for action in actions]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="directory", codename__in=codenames))
