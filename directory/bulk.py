"""Changing many organisations at once (the admin's bulk actions) in a fixed number of queries.

Each organisation still gets its history entry (with its services and networks, as a save would
record them), and the version bump and the snapshot follow once, after the transaction commits.
"""

from collections import defaultdict

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from directory import snapshot, versioning
from directory.models import Organisation

# The many-to-many fields whose state each history entry keeps (Organisation.history's m2m_fields).
HISTORY_M2M_FIELDS = ("services", "networks")


def save_organisations(organisations: list[Organisation], fields: list[str], user) -> None:
    """Write `fields` of these organisations, as save(update_fields=...) would for each, in one transaction."""
    if not organisations:
        return
    now = timezone.now()
    for organisation in organisations:
        organisation.updated_at = now
    with transaction.atomic():
        Organisation.objects.bulk_update(organisations, [*fields, "updated_at"])
        records = Organisation.history.bulk_history_create(
            organisations, update=True, default_user=user, default_date=now
        )
        _record_relations(records)
        versioning.bump()
        snapshot.schedule_write()


def _record_relations(records) -> None:
    """Give each new history entry its organisation's services and networks, as a save() records them."""
    by_organisation = {record.id: record for record in records}
    for name in HISTORY_M2M_FIELDS:
        through = getattr(Organisation, name).through
        history_model = apps.get_model("directory", f"{Organisation.history.model.__name__}_{name}")
        columns = [field.attname for field in through._meta.fields]
        rows = defaultdict(list)
        for row in through.objects.filter(organisation_id__in=by_organisation).values(*columns):
            rows[row["organisation_id"]].append(row)
        history_model.objects.bulk_create(
            history_model(history=record, **row)
            for organisation_id, record in by_organisation.items()
            for row in rows[organisation_id]
        )
