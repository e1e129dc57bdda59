"""Plain factory functions for the tests: small, explicit, with sensible defaults."""

import datetime
import itertools

from directory.models import Channel, EmergencyNumber, Network, Organisation, Place, Platform, Service

_sequence = itertools.count(1)


def make_organisation(
    *,
    countries: tuple[str, ...] = ("DE",),
    services: tuple[str, ...] = ("report_csam",),
    networks: tuple[str, ...] = (),
    channels: tuple[tuple[str, str], ...] = (("web_form", "https://example.org/report"),),
    **fields,
) -> Organisation:
    number = next(_sequence)
    fields.setdefault("key", f"test-organisation-{number}")
    fields.setdefault("name", f"Test organisation {number}")
    fields.setdefault("kind", Organisation.Kind.HOTLINE)
    fields.setdefault("status", Organisation.Status.PUBLISHED)
    fields.setdefault("last_checked", datetime.date(2026, 11, 1))
    organisation = Organisation.objects.create(**fields)
    organisation.services.set(Service.objects.filter(slug__in=services))
    organisation.networks.set(Network.objects.filter(slug__in=networks))
    for code in countries:
        Place.objects.create(organisation=organisation, country=code)
    for position, (kind, value) in enumerate(channels):
        Channel.objects.create(organisation=organisation, type=kind, value=value, position=position)
    return organisation


def make_emergency(country: str = "DE", **numbers) -> EmergencyNumber:
    numbers.setdefault("general", "112")
    return EmergencyNumber.objects.create(country=country, last_checked=datetime.date(2026, 7, 1), **numbers)


def make_platform(**fields) -> Platform:
    """A published platform, validated as the admin would (its addresses must be https)."""
    fields.setdefault("key", "instagram")
    fields.setdefault("name", "Instagram")
    fields.setdefault("report_url", "https://help.instagram.com/192435014247952")
    fields.setdefault("take_it_down", True)
    fields.setdefault("status", Organisation.Status.PUBLISHED)
    fields.setdefault("source_urls", [fields["report_url"]])
    fields.setdefault("last_checked", datetime.date(2026, 12, 1))
    platform = Platform(**fields)
    platform.full_clean()
    platform.save()
    return platform
