"""The published directory as open data: the exchange format, without curators' internal fields."""

import csv
import hashlib
import io
import json

from django.utils import timezone

from directory import snapshot
from directory.importing import ORGANISATION_DEFAULTS, export_emergency, export_organisation, organisations_for_export
from directory.models import EmergencyNumber
from directory.resources import cell, spreadsheet_safe

LICENCE = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); every entry lists its sources"
PRIVATE_FIELDS = ("internal_notes", "checked_by")
CSV_COLUMNS = ["key", "name", "kind", *(name for name in ORGANISATION_DEFAULTS if name not in PRIVATE_FIELDS)]


def published_records() -> list[dict]:
    records = []
    for organisation in organisations_for_export().published():
        record = export_organisation(organisation)
        for name in PRIVATE_FIELDS:
            record.pop(name)
        records.append(record)
    return records


def document() -> dict:
    """The open data document; `import_directory` reads it too (the "meta" section is ignored)."""
    return {
        "meta": {
            "title": "Signpost directory: where to report online child sexual abuse or get help, per country",
            "licence": LICENCE,
            "csv": "In directory.csv a text cell that starts with = + - @ (or a tab or carriage return) starts "
            "with ' so that spreadsheet programs show it instead of running it as a formula.",
            "generated": timezone.now().isoformat(timespec="seconds"),
        },
        "organisations": published_records(),
        "emergency_numbers": [export_emergency(number) for number in EmergencyNumber.objects.order_by("country")],
        "platforms": snapshot.published_platforms(),
    }


def as_json() -> str:
    return json.dumps(document(), ensure_ascii=False, indent=1) + "\n"


def as_csv() -> str:
    """One row per published organisation; list fields as JSON text."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(CSV_COLUMNS)
    for record in published_records():
        writer.writerow([spreadsheet_safe(cell(record[column])) for column in CSV_COLUMNS])
    return output.getvalue()


def etag(text: str) -> str:
    return '"' + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32] + '"'
