from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from directory import versioning
        from directory.models import Channel, EmergencyNumber, Organisation, Place

        # Any change to the directory makes cached answers out of date.
        for model in (Organisation, Place, Channel, EmergencyNumber):
            post_save.connect(versioning.bump, sender=model, dispatch_uid=f"bump-{model.__name__}-save")
            post_delete.connect(versioning.bump, sender=model, dispatch_uid=f"bump-{model.__name__}-delete")
        for through in (Organisation.services.through, Organisation.networks.through):
            m2m_changed.connect(versioning.bump, sender=through, dispatch_uid=f"bump-{through.__name__}")
