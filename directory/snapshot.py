"""The last good copy of the published directory, for answering while the database is unreachable.

Written after every committed change to the directory (and by `import_directory`), to a file
and to the shared cache, so that every app server has it. Read only when the database fails.
"""

import json
import logging
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from directory.importing import export_emergency, export_organisation, export_platform, organisations_for_export
from directory.models import EmergencyNumber, Platform

logger = logging.getLogger(__name__)

CACHE_KEY = "signpost:directory-snapshot"


# What the public side never shows, so the snapshot (a file on every app server, a copy in Redis)
# does not keep it either.
PRIVATE_FIELDS = ("internal_notes", "checked_by")


def public_record(organisation) -> dict:
    record = {**export_organisation(organisation), "id": organisation.pk}
    for name in PRIVATE_FIELDS:
        record.pop(name)
    return record


def build() -> dict:
    """The published organisations (with their ids, without curators' fields) and every country's emergency
    numbers."""
    organisations = organisations_for_export().published()
    return {
        "organisations": [public_record(org) for org in organisations],
        "emergency_numbers": [export_emergency(number) for number in EmergencyNumber.objects.order_by("country")],
        "platforms": published_platforms(),
    }


def published_platforms() -> list[dict]:
    """The published platforms' public fields (no curators' notes), for the snapshot and the open data."""
    records = []
    for platform in Platform.objects.filter(status="published").order_by("key"):
        record = export_platform(platform)
        record.pop("internal_notes")
        records.append(record)
    return records


def path() -> Path:
    return Path(settings.SIGNPOST_SNAPSHOT_PATH)


def write() -> None:
    text = json.dumps(build(), ensure_ascii=False)
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so a reader never sees half a file.
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent, delete=False) as handle:
        handle.write(text)
    os.replace(handle.name, target)
    cache.set(CACHE_KEY, text, timeout=None)


def read() -> dict | None:
    """The snapshot from the shared cache, else from this server's file; None if there is none."""
    text = cache.get(CACHE_KEY)
    if text is None:
        try:
            text = path().read_text(encoding="utf-8")
        except OSError:
            return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        logger.error("The directory snapshot is not valid JSON")
        return None


def _write_now(attempts: int = 3) -> None:
    for attempt in range(attempts):
        try:
            write()
            return
        except Exception:  # a failed snapshot must never break a curator's save: retry, then say so
            if attempt + 1 == attempts:
                logger.exception("Could not write the directory snapshot; the next committed change writes it again")
            else:
                time.sleep(0.1 * (attempt + 1))


_write_now.signpost_snapshot_write = True


def schedule_write(**_signal_kwargs) -> None:
    """Write the snapshot once the current transaction commits (once, however many rows it changed).

    Whether one is already scheduled is read from the transaction's own list of callbacks, which
    Django empties when the transaction rolls back, so a rolled-back change never stops later writes.
    """
    connection = transaction.get_connection()
    if any(getattr(item[1], "signpost_snapshot_write", False) for item in connection.run_on_commit):
        return
    transaction.on_commit(_write_now)


EMERGENCY_FIELDS = ("general", "police", "ambulance", "fire", "other")


def all_emergency_numbers() -> list[EmergencyNumber]:
    """Every country's emergency numbers from the snapshot, as unsaved instances."""
    records = (read() or {}).get("emergency_numbers", [])
    return [
        EmergencyNumber(country=record["country"], **{name: record[name] for name in EMERGENCY_FIELDS})
        for record in records
    ]


def emergency_number(country: str) -> EmergencyNumber | None:
    return next((number for number in all_emergency_numbers() if number.country == country), None)


def platforms() -> list[Platform]:
    """The published platforms from the snapshot, as unsaved instances (by name)."""
    records = (read() or {}).get("platforms", [])
    found = []
    for record in records:
        platform = Platform(**{name: record[name] for name in ("key", "name", "report_url", "child_safety_url")})
        platform.take_it_down = record["take_it_down"]
        found.append(platform)
    return sorted(found, key=lambda platform: platform.name)
