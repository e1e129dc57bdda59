from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from directory import snapshot, versioning
        from directory.models import Channel, EmergencyNumber, Organisation, Place, Platform

        # Any change to the directory makes cached answers out of date, and the snapshot too.
        for receiver in (versioning.bump, snapshot.schedule_write):
            name = receiver.__name__
            for model in (Organisation, Place, Channel, EmergencyNumber, Platform):
                post_save.connect(receiver, sender=model, dispatch_uid=f"{name}-{model.__name__}-save")
                post_delete.connect(receiver, sender=model, dispatch_uid=f"{name}-{model.__name__}-delete")
            for through in (Organisation.services.through, Organisation.networks.through):
                m2m_changed.connect(receiver, sender=through, dispatch_uid=f"{name}-{through.__name__}")
