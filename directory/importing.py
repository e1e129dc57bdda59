"""Reading and writing the directory's exchange format: the one import/export code path.

The format is one JSON document (see README.md, "Data"):

    {"organisations": [{"key": ..., "name": ..., "channels": [...], ...}],
     "emergency_numbers": [{"country": "DE", "general": "112", ...}]}

Import matches organisations by `key` and emergency numbers by `country`, writes only what
differs (so a second import of the same file changes nothing), and runs in one transaction:
the first bad record stops it, nothing is written, and the error names the record and field.
"""

import contextlib
import datetime
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django_countries import countries as all_countries
from simple_history.signals import pre_create_historical_record

from directory.models import (
    Channel,
    EmergencyNumber,
    Network,
    OpeningHours,
    Organisation,
    Place,
    Platform,
    Service,
)

SHIPPED_FILE = Path(__file__).resolve().parent / "data" / "directory.json"

ORGANISATION_DEFAULTS = {
    "name_en": "",
    "networks": [],
    "services": [],
    "audience": [],
    "languages": [],
    "free": None,
    "anonymous": None,
    "hours": "",
    "description": "",
    "countries": [],
    "worldwide": False,
    "channels": [],
    "status": Organisation.Status.DRAFT.value,
    "needs_check": False,
    "last_checked": None,
    "checked_by": "",
    "source_urls": [],
    "internal_notes": "",
    "priority": 100,
    "time_zone": "",
}
ORGANISATION_REQUIRED = ("key", "name", "kind")
# Plain model fields, copied as they are (the rest need translating).
ORGANISATION_SCALARS = (
    "key", "name", "name_en", "kind", "audience", "languages", "free", "anonymous", "hours",
    "description", "worldwide", "status", "needs_check", "source_urls", "internal_notes", "priority", "time_zone",
)  # fmt: skip
CHANNEL_DEFAULTS = {
    "label": "",
    "hours": "",
    "free": None,
    "country": "",
    "number_confirmed": False,
    "always_open": False,
    "closed_on_public_holidays": False,
    # Structured weekly hours in the organisation's local time: [{"day": 0, "opens": "14:00", "closes": "20:00"}]
    "opening_hours": [],
}
CHANNEL_REQUIRED = ("type", "value")
EMERGENCY_DEFAULTS = {
    "general": "",
    "police": "",
    "ambulance": "",
    "fire": "",
    "other": [],
    "source_urls": [],
    "last_checked": None,
    "needs_check": False,
    "notes": "",
}
EMERGENCY_SCALARS = ("general", "police", "ambulance", "fire", "other", "source_urls", "needs_check", "notes")

PLATFORM_DEFAULTS = {
    "child_safety_url": "",
    "take_it_down": None,
    "status": "draft",
    "needs_check": False,
    "source_urls": [],
    "last_checked": None,
    "internal_notes": "",
}
PLATFORM_SCALARS = ("name", "report_url", *(name for name in PLATFORM_DEFAULTS if name != "last_checked"))


# Who or what is importing, for the history of every row the import writes ("Changed by").
_current_import = threading.local()


@contextlib.contextmanager
def recorded_as(reason: str, user=None):
    """Rows written inside this block say in their history that this import wrote them (and who ran it)."""
    previous = getattr(_current_import, "value", None)
    _current_import.value = (reason, user)
    try:
        yield
    finally:
        _current_import.value = previous


@receiver(pre_create_historical_record)
def _name_the_import(sender, history_instance, **kwargs) -> None:
    current = getattr(_current_import, "value", None)
    if current is None:
        return
    reason, user = current
    history_instance.history_change_reason = reason[:100]
    if user is not None and getattr(user, "pk", None):
        history_instance.history_user = user


class DirectoryImportError(Exception):
    """A record that cannot be imported; names where it is and what is wrong."""

    def __init__(self, where: str, field_name: str, message: str):
        self.where = where
        self.field = field_name
        self.message = message
        super().__init__(f"{where}, field “{field_name}”: {message}")


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    emergency_created: int = 0
    emergency_updated: int = 0
    emergency_unchanged: int = 0
    kept: int = 0  # --only-new: already in the database, left as curators have them (not compared)
    emergency_kept: int = 0
    platforms_created: int = 0
    platforms_updated: int = 0
    platforms_unchanged: int = 0
    changed_keys: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        kept = f", {self.kept} kept as they are" if self.kept else ""
        emergency_kept = f", {self.emergency_kept} kept as they are" if self.emergency_kept else ""
        return (
            f"Organisations: {self.created} created, {self.updated} updated, {self.unchanged} unchanged{kept}. "
            f"Emergency numbers: {self.emergency_created} created, {self.emergency_updated} updated, "
            f"{self.emergency_unchanged} unchanged{emergency_kept}. "
            f"Platforms: {self.platforms_created} created, {self.platforms_updated} updated, "
            f"{self.platforms_unchanged} unchanged."
        )


# Export ---------------------------------------------------------------------------------------


def export_organisation(organisation: Organisation) -> dict:
    """One organisation in the exchange format (expects places, channels, services, networks prefetched)."""
    record = {name: getattr(organisation, name) for name in ORGANISATION_SCALARS}
    record["networks"] = sorted(network.slug for network in organisation.networks.all())
    record["services"] = sorted(service.slug for service in organisation.services.all())
    record["countries"] = sorted(str(place.country) for place in organisation.places.all())
    record["channels"] = [
        {
            "type": channel.type,
            "value": channel.value,
            "label": channel.label,
            "hours": channel.hours,
            "free": channel.free,
            "country": str(channel.country) if channel.country else "",
            "number_confirmed": channel.number_confirmed,
            "always_open": channel.always_open,
            "closed_on_public_holidays": channel.closed_on_public_holidays,
            "opening_hours": [
                {"day": hours.day, "opens": f"{hours.opens:%H:%M}", "closes": f"{hours.closes:%H:%M}"}
                for hours in channel.opening_hours.all()
            ],
        }
        for channel in organisation.channels.all()
    ]
    record["last_checked"] = organisation.last_checked.isoformat() if organisation.last_checked else None
    record["checked_by"] = organisation.checked_by.get_username() if organisation.checked_by else ""
    return {name: record[name] for name in ("key", "name", "kind", *ORGANISATION_DEFAULTS)}


def export_emergency(number: EmergencyNumber) -> dict:
    record = {"country": str(number.country)}
    record.update({name: getattr(number, name) for name in EMERGENCY_SCALARS})
    record["last_checked"] = number.last_checked.isoformat() if number.last_checked else None
    return {name: record[name] for name in ("country", *EMERGENCY_DEFAULTS)}


def export_platform(platform: Platform) -> dict:
    record = {"key": platform.key}
    record.update({name: getattr(platform, name) for name in PLATFORM_SCALARS})
    record["last_checked"] = platform.last_checked.isoformat() if platform.last_checked else None
    return {name: record[name] for name in ("key", "name", "report_url", *PLATFORM_DEFAULTS)}


def organisations_for_export():
    return (
        Organisation.objects.order_by("key")
        .select_related("checked_by")
        .prefetch_related("networks", "services", "places", "channels__opening_hours")
    )


def export_document(organisations=None) -> dict:
    """The whole directory (or the given organisations) in the exchange format."""
    if organisations is None:
        organisations = organisations_for_export()
    return {
        "organisations": [export_organisation(org) for org in organisations],
        "emergency_numbers": [export_emergency(number) for number in EmergencyNumber.objects.order_by("country")],
        "platforms": [export_platform(platform) for platform in Platform.objects.order_by("key")],
    }


def dump_document(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


# Import ---------------------------------------------------------------------------------------


def read_document(text: str) -> dict:
    """Parse the file's text; a malformed file is an import error, not a traceback."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise DirectoryImportError("the file", "(JSON)", f"not valid JSON: {error}") from None
    if not isinstance(document, dict):
        raise DirectoryImportError("the file", "(top level)", "expected a JSON object with “organisations”.")
    # meta: the open data's licence and notes (ignored).
    unknown = set(document) - {"organisations", "emergency_numbers", "platforms", "meta"}
    if unknown:
        raise DirectoryImportError("the file", ", ".join(sorted(unknown)), "unknown section.")
    for section in ("organisations", "emergency_numbers", "platforms"):
        if not isinstance(document.get(section, []), list):
            raise DirectoryImportError("the file", section, "must be a list.")
    return document


def import_document(document: dict, *, only_new: bool = False) -> ImportSummary:
    """Import a parsed document in one transaction; raise DirectoryImportError on the first bad record.

    only_new: add only organisations the database has never had (no row and no history under that
    key) and emergency numbers of countries it has none for; everything curators have — edited,
    archived or deleted — stays as it is. This is what `make run` does on every start.
    """
    summary = ImportSummary()
    with transaction.atomic():
        importer = Importer(summary)
        known_keys: set[str] = set()
        known_countries: set[str] = set()
        if only_new:
            known_keys = set(Organisation.history.values_list("key", flat=True)) | set(importer.existing)
            known_countries = set(importer.existing_emergency)
        for where, key, record in _records(document, "organisations", "key"):
            if key in known_keys:
                summary.kept += 1
                continue
            importer.import_organisation(where, record)
        for where, country, record in _records(document, "emergency_numbers", "country"):
            if isinstance(country, str) and country.upper() in known_countries:
                summary.emergency_kept += 1
                continue
            importer.import_emergency(where, record)
        for where, key, record in _records(document, "platforms", "key"):
            if only_new and key in importer.existing_platforms:
                continue
            importer.import_platform(where, record)
    return summary


def _records(document: dict, section: str, identity: str):
    """Each record of a section with where it is ("platforms[3] (key “tiktok”)") and its identity; the same
    identity twice in one file is an error that names the second one."""
    seen: set = set()
    for index, record in enumerate(document.get(section, [])):
        value = record.get(identity) if isinstance(record, dict) else None
        where = f"{section}[{index}]" + (f" ({identity} “{value}”)" if value else "")
        if value in seen:
            raise DirectoryImportError(where, identity, f"the same {identity} appears twice in the file.")
        seen.add(value)
        yield where, value, record


def import_text(text: str, *, only_new: bool = False) -> ImportSummary:
    return import_document(read_document(text), only_new=only_new)


def import_file(path: Path | str = SHIPPED_FILE, *, only_new: bool = False) -> ImportSummary:
    with recorded_as(f"Imported from {Path(path).name}"):
        return import_text(Path(path).read_text(encoding="utf-8"), only_new=only_new)


def _lf(value: object) -> object:
    """Text with LF line endings, as the models store it (see models.normalise_newlines)."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def _with_defaults(where: str, record: object, required: tuple, defaults: dict) -> dict:
    if not isinstance(record, dict):
        raise DirectoryImportError(where, "(record)", "expected a JSON object.")
    for name in required:
        if record.get(name) in (None, ""):
            raise DirectoryImportError(where, name, "this field is required.")
    unknown = set(record) - set(required) - set(defaults)
    if unknown:
        raise DirectoryImportError(where, ", ".join(sorted(unknown)), "unknown field.")
    full = dict(defaults)
    full.update(record)
    for name, default in defaults.items():
        if full[name] is None and default is not None:
            full[name] = default
    return full


def _parse_date(where: str, value: object) -> datetime.date | None:
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise DirectoryImportError(where, "last_checked", f"“{value}” is not a date (YYYY-MM-DD).") from None


def _country_code(where: str, field_name: str, value: object) -> str:
    code = value.upper() if isinstance(value, str) else ""
    if code not in all_countries:
        raise DirectoryImportError(where, field_name, f"“{value}” is not an ISO 3166 country code.")
    return code


def _raise_validation(where: str, error: ValidationError, prefix: str = "") -> None:
    if hasattr(error, "error_dict"):
        name, errors = next(iter(error.message_dict.items()))
        raise DirectoryImportError(where, prefix + name, " ".join(errors)) from None
    raise DirectoryImportError(where, prefix.rstrip(".") or "(record)", " ".join(error.messages)) from None


class Importer:
    """Imports records one at a time (inside the caller's transaction), counting what changed.

    Used by the management command (through import_document) and by the admin's
    import (directory.resources), so both apply the same rules.
    """

    CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

    def __init__(self, summary: ImportSummary | None = None, *, may_delete: bool = True):
        """may_delete: whether this import may remove channels and countries an organisation has and the
        file leaves out (the admin passes the user's delete permissions; the command line may)."""
        summary = summary or ImportSummary()
        self.summary = summary
        self.may_delete = may_delete
        self.existing = {org.key: org for org in organisations_for_export()}
        self.existing_emergency = {str(n.country): n for n in EmergencyNumber.objects.all()}
        self.existing_platforms = {platform.key: platform for platform in Platform.objects.all()}
        self.services = {service.slug: service for service in Service.objects.all()}
        self.networks = {network.slug: network for network in Network.objects.all()}
        self.users = {}

    def _user(self, username: str):
        if not username:
            return None
        if username not in self.users:
            self.users[username] = get_user_model().objects.filter(username=username).first()
        return self.users[username]

    def import_organisation(self, where: str, raw: object) -> str:
        record = _with_defaults(where, raw, ORGANISATION_REQUIRED, ORGANISATION_DEFAULTS)
        record = {name: _lf(value) for name, value in record.items()}
        record["countries"] = sorted(
            {_country_code(where, "countries", code) for code in self._list(where, record, "countries")}
        )
        record["services"] = sorted(set(self._list(where, record, "services")))
        record["networks"] = sorted(set(self._list(where, record, "networks")))
        for slug in record["services"]:
            if slug not in self.services:
                raise DirectoryImportError(where, "services", f"unknown service “{slug}”.")
        for slug in record["networks"]:
            if slug not in self.networks:
                raise DirectoryImportError(where, "networks", f"unknown network “{slug}”.")
        last_checked = _parse_date(where, record["last_checked"])
        record["last_checked"] = last_checked.isoformat() if last_checked else None
        channels = [
            _with_defaults(f"{where}, channels[{i}]", channel, CHANNEL_REQUIRED, CHANNEL_DEFAULTS)
            for i, channel in enumerate(self._list(where, record, "channels"))
        ]
        for i, channel in enumerate(channels):
            if channel["country"]:
                channel["country"] = _country_code(where, f"channels[{i}].country", channel["country"])
        record["channels"] = channels

        existing = self.existing.get(record["key"])
        if existing is not None and export_organisation(existing) == record:
            self.summary.unchanged += 1
            return self.UNCHANGED

        organisation = existing or Organisation()
        for name in ORGANISATION_SCALARS:
            setattr(organisation, name, record[name])
        organisation.last_checked = last_checked
        organisation.checked_by = self._user(record["checked_by"])
        organisation.pending_country_codes = record["countries"]
        try:
            organisation.full_clean()
        except ValidationError as error:
            _raise_validation(where, error)

        channel_objects = []
        for i, data in enumerate(channels):
            data = dict(data)
            periods = self._opening_hours(where, i, data.pop("opening_hours"))
            channel = Channel(organisation=organisation, position=i, **data)
            try:
                channel.full_clean(exclude=["organisation"])
            except ValidationError as error:
                _raise_validation(where, error, prefix=f"channels[{i}].")
            channel.pending_opening_hours = periods
            channel_objects.append(channel)

        problems = organisation.blocks_publication(channels=len(channel_objects), countries=len(record["countries"]))
        for field_name, message in problems.items():
            raise DirectoryImportError(where, field_name, str(message))

        if existing is not None and not self.may_delete:
            self._refuse_removals(where, existing, record["countries"], channel_objects)
        organisation.save()
        del organisation.pending_country_codes
        organisation.services.set([self.services[slug] for slug in record["services"]])
        organisation.networks.set([self.networks[slug] for slug in record["networks"]])
        self._sync_places(organisation, record["countries"])
        self._sync_channels(organisation, channel_objects)
        self.summary.changed_keys.append(organisation.key)
        if existing is None:
            self.summary.created += 1
            return self.CREATED
        self.summary.updated += 1
        return self.UPDATED

    @staticmethod
    def _refuse_removals(where: str, existing: Organisation, countries: list[str], wanted: list[Channel]) -> None:
        """An import never deletes what its user could not delete by hand (curators have no delete right)."""
        kept = {(channel.type, channel.value, str(channel.country)) for channel in wanted}
        removed = [c.value for c in existing.channels.all() if (c.type, c.value, str(c.country)) not in kept]
        if removed:
            raise DirectoryImportError(
                where,
                "channels",
                f"this would remove {len(removed)} channel(s) ({', '.join(removed)}); removing needs the delete "
                "permission: keep them in the file, or ask an administrator to remove them.",
            )
        gone = sorted({str(place.country) for place in existing.places.all()} - set(countries))
        if gone:
            raise DirectoryImportError(
                where,
                "countries",
                f"this would remove the countries {', '.join(gone)}; removing needs the delete permission: keep "
                "them in the file, or ask an administrator to remove them.",
            )

    @staticmethod
    def _list(where: str, record: dict, name: str) -> list:
        value = record[name]
        if not isinstance(value, list):
            raise DirectoryImportError(where, name, "must be a list.")
        return value

    @staticmethod
    def _sync_places(organisation: Organisation, codes: list[str]) -> None:
        current = {str(place.country): place for place in organisation.places.all()}
        for code, place in current.items():
            if code not in codes:
                place.delete()
        for code in codes:
            if code not in current:
                Place.objects.create(organisation=organisation, country=code)  # one by one: each gets its history

    @staticmethod
    def _opening_hours(where: str, index: int, periods: object) -> list[OpeningHours]:
        field_name = f"channels[{index}].opening_hours"
        if not isinstance(periods, list):
            raise DirectoryImportError(where, field_name, "must be a list.")
        result = []
        for period in periods:
            try:
                hours = OpeningHours(
                    day=period["day"],
                    opens=datetime.time.fromisoformat(period["opens"]),
                    closes=datetime.time.fromisoformat(period["closes"]),
                )
                hours.full_clean(exclude=["channel"])
            except (TypeError, KeyError, ValueError):
                raise DirectoryImportError(
                    where, field_name, 'each period is {"day": 0-6 (Monday = 0), "opens": "HH:MM", "closes": "HH:MM"}.'
                ) from None
            except ValidationError as error:
                raise DirectoryImportError(where, field_name, " ".join(error.messages)) from None
            result.append(hours)
        return result

    @staticmethod
    def _sync_channels(organisation: Organisation, wanted: list[Channel]) -> None:
        """Keep rows that still exist (same type, value and country), so history stays meaningful."""
        current = {(c.type, c.value, str(c.country)): c for c in organisation.channels.all()} if organisation.pk else {}
        for channel in wanted:
            match = current.pop((channel.type, channel.value, str(channel.country)), None)
            if match is not None:
                channel.pk = match.pk
            channel.save()
            wanted_hours = [(h.day, h.opens, h.closes) for h in channel.pending_opening_hours]
            if match is None or [(h.day, h.opens, h.closes) for h in match.opening_hours.all()] != wanted_hours:
                channel.opening_hours.all().delete()
                for hours in channel.pending_opening_hours:
                    hours.channel = channel
                    hours.save()
        for leftover in current.values():
            leftover.delete()

    def import_emergency(self, where: str, raw: object) -> str:
        record = _with_defaults(where, raw, ("country",), EMERGENCY_DEFAULTS)
        record["country"] = _country_code(where, "country", record["country"])
        existing = self.existing_emergency.get(record["country"])
        number = existing or EmergencyNumber(country=record["country"])
        return self._save_scalars(where, record, number, existing, export_emergency, EMERGENCY_SCALARS, "emergency")

    def import_platform(self, where: str, raw: object) -> str:
        record = _with_defaults(where, raw, ("key", "name", "report_url"), PLATFORM_DEFAULTS)
        existing = self.existing_platforms.get(record["key"])
        platform = existing or Platform(key=record["key"])
        return self._save_scalars(where, record, platform, existing, export_platform, PLATFORM_SCALARS, "platforms")

    def _save_scalars(self, where, record, instance, existing, export, scalars, counter: str) -> str:
        """A record of plain fields (an emergency row, a platform): validated like a form, saved only if it
        changes something, counted in the summary as `<counter>_created/updated/unchanged`."""
        last_checked = _parse_date(where, record["last_checked"])
        record["last_checked"] = last_checked.isoformat() if last_checked else None
        if existing is not None and export(existing) == record:
            setattr(self.summary, f"{counter}_unchanged", getattr(self.summary, f"{counter}_unchanged") + 1)
            return self.UNCHANGED
        for name in scalars:
            setattr(instance, name, _lf(record[name]))
        instance.last_checked = last_checked
        try:
            instance.full_clean()
        except ValidationError as error:
            _raise_validation(where, error)
        instance.save()
        outcome = "created" if existing is None else "updated"
        setattr(self.summary, f"{counter}_{outcome}", getattr(self.summary, f"{counter}_{outcome}") + 1)
        return self.CREATED if existing is None else self.UPDATED
