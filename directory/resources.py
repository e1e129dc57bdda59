"""Import and export in the admin (django-import-export), through the directory's one import path.

A row of a spreadsheet (CSV, XLSX) or of the admin's JSON export is one record of the
exchange format, flattened: list fields are JSON text (["DE", "AT"]; plain "DE, AT" is
accepted too) and the channels are a JSON list. Each row is imported by
`directory.importing.Importer`, exactly as `import_directory` imports a record, so the same
validation applies; a bad row stops the whole import (nothing is written) and the preview
names the row and the field.
"""

import datetime
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import escape, format_html
from import_export import resources
from import_export.results import Error, RowResult

from directory.importing import (
    EMERGENCY_DEFAULTS,
    ORGANISATION_DEFAULTS,
    DirectoryImportError,
    Importer,
    export_emergency,
    export_organisation,
    organisations_for_export,
    recorded_as,
)
from directory.models import EmergencyNumber, Organisation

ORGANISATION_COLUMNS = ["key", "name", "kind", *ORGANISATION_DEFAULTS]
EMERGENCY_COLUMNS = ["country", *EMERGENCY_DEFAULTS]
LIST_COLUMNS = {"networks", "services", "audience", "languages", "countries", "source_urls", "channels", "other"}
BOOLEAN_COLUMNS = {"free", "anonymous", "worldwide", "needs_check"}
TRUE_WORDS, FALSE_WORDS = {"true", "yes", "1", "y"}, {"false", "no", "0", "n"}
PREVIEW_LENGTH = 120


def cell(value) -> str:
    """A record's value as text for a spreadsheet cell."""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Text for a spreadsheet cell that no spreadsheet runs: a leading ' before a formula character.
    (A "+44 …" number keeps its digits; the import takes the ' away again.)"""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def parse_cell(column: str, value):
    """A spreadsheet cell back into the record's value (types are checked by the importer)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        value = value[1:]  # written by spreadsheet_safe
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m-%d")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None  # the record's default applies
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if column in LIST_COLUMNS:
        if isinstance(value, list):
            return value
        text = str(value).strip()
        if text.startswith("["):
            try:
                return json.loads(text)
            except (ValueError, RecursionError):  # RecursionError: a list nested thousands deep
                raise DirectoryImportError("", column, "not a valid JSON list.") from None
        if column in ("channels", "other"):
            raise DirectoryImportError("", column, 'must be a JSON list, e.g. [{"type": "phone", "value": "116 111"}].')
        separator = "\n" if "\n" in text else ","
        return [item.strip() for item in text.split(separator) if item.strip()]
    if column in BOOLEAN_COLUMNS and isinstance(value, str):
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    if column == "priority" and isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


def row_to_record(row: dict, columns: list[str]) -> dict:
    record = {}
    for column, value in row.items():
        if column is None or not str(column).strip():
            continue
        column = str(column).strip()
        if column not in columns:
            raise DirectoryImportError("", column, "unknown column.")
        try:
            parsed = parse_cell(column, value)
        except DirectoryImportError as error:
            raise DirectoryImportError("", error.field, error.message) from None
        if parsed is not None:
            record[column] = parsed
    return record


def preview_cells(before: dict | None, after: dict, columns: list[str]) -> list[str]:
    """One HTML cell per column: the value, with what changes shown as removed and added text."""
    cells = []
    for column in columns:
        new = cell(after.get(column))[:PREVIEW_LENGTH]
        old = cell(before.get(column))[:PREVIEW_LENGTH] if before else None
        if before is None or old == new:
            cells.append(escape(new))
        else:
            cells.append(format_html("<del>{}</del> <ins>{}</ins>", old, new))
    return cells


class DirectoryResource(resources.ModelResource):
    """Shared machinery; subclasses say which records, columns and import method."""

    columns: list[str] = []
    identity = ""

    def import_data(self, dataset, **kwargs):
        # All or nothing: one bad row rolls back every row, in the preview and in the real import.
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        if len(dataset) > settings.SIGNPOST_IMPORT_MAX_ROWS:
            result = self.get_result_class()()
            message = f"{len(dataset)} rows; at most {settings.SIGNPOST_IMPORT_MAX_ROWS} can be imported at once."
            result.append_base_error(Error(ValueError(message)))
            return result
        user = kwargs.get("user")
        may_delete = user is None or (
            user.has_perm("directory.delete_channel") and user.has_perm("directory.delete_place")
        )
        self.importer = Importer(may_delete=may_delete)
        self.seen = set()
        reason = f"Imported in the admin from {kwargs.get('file_name') or 'a file'}"
        with recorded_as(reason, kwargs.get("user")):
            return super().import_data(dataset, **kwargs)

    def get_diff_headers(self):
        return list(self.columns)

    def import_row(self, row, instance_loader, **kwargs):
        result = RowResult()
        number = kwargs.get("row_number", 0)
        try:
            record = row_to_record(dict(row), self.columns)
            identity = record.get(self.identity)
            if identity in self.seen:
                raise DirectoryImportError("", self.identity, "the same value appears in an earlier row.")
            self.seen.add(identity)
            found = self.find(identity)
            before = self.export_record(found) if found else None
            outcome = self.import_record(f"row {number}", record)
        except DirectoryImportError as error:
            result.import_type = RowResult.IMPORT_TYPE_INVALID
            result.validation_error = ValidationError({error.field: [error.message]})
            return result
        result.import_type = {
            Importer.CREATED: RowResult.IMPORT_TYPE_NEW,
            Importer.UPDATED: RowResult.IMPORT_TYPE_UPDATE,
            Importer.UNCHANGED: RowResult.IMPORT_TYPE_SKIP,
        }[outcome]
        instance = self.find(identity)
        after = self.export_record(instance)
        # The admin writes a log entry for each new or changed row from these.
        result.instance, result.object_id, result.object_repr = instance, instance.pk, str(instance)
        result.diff = preview_cells(before, after, self.columns)
        return result

    def get_export_headers(self, selected_fields=None):
        return list(self.columns)

    def export_resource(self, instance, selected_fields=None, **kwargs):
        record = self.export_record(instance)
        return [spreadsheet_safe(cell(record.get(column))) for column in self.columns]

    def export(self, queryset=None, **kwargs):
        kwargs.pop("export_fields", None)
        return super().export(queryset=queryset, **kwargs)


class OrganisationResource(DirectoryResource):
    columns = ORGANISATION_COLUMNS
    identity = "key"

    class Meta:
        model = Organisation
        fields = ["key"]
        import_id_fields = ["key"]
        report_skipped = False  # the preview lists what changes; the summary counts the rest

    def find(self, key) -> Organisation | None:
        return organisations_for_export().filter(key=key).first()

    def import_record(self, where: str, record: dict) -> str:
        return self.importer.import_organisation(where, record)

    def export_record(self, instance) -> dict:
        return export_organisation(instance)

    def export(self, queryset=None, **kwargs):
        if queryset is not None:
            queryset = queryset.select_related("checked_by").prefetch_related(
                "networks", "services", "places", "channels"
            )
        return super().export(queryset=queryset, **kwargs)


class EmergencyNumberResource(DirectoryResource):
    columns = EMERGENCY_COLUMNS
    identity = "country"

    class Meta:
        model = EmergencyNumber
        fields = ["country"]
        import_id_fields = ["country"]
        report_skipped = False

    def find(self, country) -> EmergencyNumber | None:
        return EmergencyNumber.objects.filter(country=str(country or "").upper()).first()

    def import_record(self, where: str, record: dict) -> str:
        return self.importer.import_emergency(where, record)

    def export_record(self, instance) -> dict:
        return export_emergency(instance)
