"""Routing: for a country and a situation, who answers each step, best first.

Pure reads of the directory (never writes). National services come first (priority, then
most recently checked); where the country has none, the step falls back to the worldwide
services and says so. A step is never bare: an emergency step is answered by the country's
emergency numbers, and a police step with no dedicated service by the police number.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.db import DatabaseError
from django.db.models import Exists, OuterRef, Prefetch, Q, StringAgg, Subquery, Value

from directory import snapshot
from directory.importing import ORGANISATION_SCALARS
from directory.models import Channel, EmergencyNumber, Organisation, Place, ServiceSlug
from directory.validation import dial_uri
from reporting.situations import Situation, Step

logger = logging.getLogger(__name__)


@dataclass
class Listing:
    """An organisation as it answers one country: only the channels meant for that country."""

    organisation: Organisation
    channels: list[Channel]
    national: bool
    country: str  # the country being answered
    services: set[str] = field(default_factory=set)
    networks: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)  # the countries it serves

    @property
    def is_draft(self) -> bool:
        return self.organisation.status != Organisation.Status.PUBLISHED

    def region_of(self, channel: Channel) -> str | None:
        """The country a national-format number is dialled in (the directory's validation guarantees one)."""
        if channel.country:
            return str(channel.country)
        if self.national:
            return self.country
        return self.places[0] if len(self.places) == 1 else None

    def links(self) -> list[dict]:
        """The channels as links a person can tap: tel:, sms:, mailto: or the web address."""
        result = []
        for channel in self.channels:
            if channel.type == Channel.Type.PHONE:
                href = dial_uri(channel.value, self.region_of(channel))
            elif channel.type == Channel.Type.SMS:
                href = dial_uri(channel.value, self.region_of(channel), scheme="sms")
            elif channel.type == Channel.Type.EMAIL:
                href = f"mailto:{channel.value}"
            else:
                href = channel.value
            result.append({"channel": channel, "type": channel.type, "href": href})
        return result


@dataclass
class RoutedStep:
    step: Step
    listings: list[Listing] = field(default_factory=list)
    fallback: bool = False  # the answer is a worldwide one: the country has no national service
    use_emergency_number: bool = False  # answered by the country's emergency (or police) number

    @property
    def service(self) -> str:
        return self.step.service


@dataclass
class Route:
    country: str
    situation: Situation
    emergency: EmergencyNumber | None
    steps: list[RoutedStep]

    @property
    def emergency_number(self) -> str:
        return self.emergency.first_number() if self.emergency else ""

    @property
    def police_number(self) -> str:
        """The number for reaching the police: theirs, else the general emergency number."""
        return (self.emergency.police if self.emergency else "") or self.emergency_number


def _best_first(listing: Listing) -> tuple:
    """Priority, then entries nobody has doubts about, then the most recently checked."""
    organisation = listing.organisation
    checked = organisation.last_checked or datetime.date.min
    return (organisation.priority, organisation.needs_check, -checked.toordinal(), organisation.name)


def candidates(country: str, *, include_drafts: bool = False) -> list[Listing]:
    """Every organisation that could answer someone in `country`: national ones and worldwide ones.

    Reads the database; if it is unreachable, the last snapshot of the published directory.
    """
    try:
        return _candidates_from_database(country, include_drafts)
    except DatabaseError:
        records = snapshot.read()
        if include_drafts or records is None:
            raise
        logger.warning("Database unavailable: answering from the directory snapshot")
        return _candidates_from_snapshot(country, records)


def _joined(model, column: str) -> Subquery:
    """One organisation's related values as a comma-separated string, inside the main query."""
    rows = model.objects.filter(organisation=OuterRef("pk")).values("organisation")
    return Subquery(rows.annotate(joined=StringAgg(column, Value(","))).values("joined")[:1])


def _split(joined: str | None) -> list[str]:
    return sorted(joined.split(",")) if joined else []


def _candidates_from_database(country: str, include_drafts: bool) -> list[Listing]:
    # Three queries whatever the directory's size: organisations (with their services, networks
    # and countries folded in), their channels, and the channels' opening hours.
    statuses = [Organisation.Status.PUBLISHED]
    if include_drafts:
        statuses.append(Organisation.Status.DRAFT)
    serves_country = Exists(Place.objects.filter(organisation=OuterRef("pk"), country=country))
    organisations = (
        Organisation.objects.filter(status__in=statuses)
        .annotate(
            national=serves_country,
            service_slugs=_joined(Organisation.services.through, "service_id"),
            network_slugs=_joined(Organisation.networks.through, "network_id"),
            country_codes=_joined(Place, "country"),
        )
        .filter(Q(national=True) | Q(worldwide=True))
        .prefetch_related(
            Prefetch("channels", queryset=Channel.objects.order_by("position", "id").prefetch_related("opening_hours"))
        )
    )
    return [
        Listing(
            organisation,
            [c for c in organisation.channels.all() if not c.country or c.country == country],
            national=organisation.national,
            country=country,
            services=set(_split(organisation.service_slugs)),
            networks=_split(organisation.network_slugs),
            places=_split(organisation.country_codes),
        )
        for organisation in organisations
    ]


def _candidates_from_snapshot(country: str, records: dict) -> list[Listing]:
    """The same listings, built from the snapshot's records as unsaved model instances."""
    listings = []
    for record in records["organisations"]:
        national = country in record["countries"]
        if not (national or record["worldwide"]):
            continue
        organisation = Organisation(pk=record["id"], **{name: record[name] for name in ORGANISATION_SCALARS})
        if record["last_checked"]:
            organisation.last_checked = datetime.date.fromisoformat(record["last_checked"])
        channels = [
            Channel(position=i, **{name: data[name] for name in ("type", "value", "label", "hours", "free", "country")})
            for i, data in enumerate(record["channels"])
            if not data["country"] or data["country"] == country
        ]
        listings.append(
            Listing(
                organisation,
                channels,
                national=national,
                country=country,
                services=set(record["services"]),
                networks=record["networks"],
                places=record["countries"],
            )
        )
    return listings


def emergency_numbers(country: str) -> EmergencyNumber | None:
    try:
        return EmergencyNumber.objects.filter(country=country).first()
    except DatabaseError:
        return snapshot.emergency_number(country)


def offers(listing: Listing, service: str) -> bool:
    return service in listing.services


def route_step(step: Step, listings: list[Listing]) -> RoutedStep:
    national = sorted((item for item in listings if item.national and offers(item, step.service)), key=_best_first)
    if step.service == ServiceSlug.EMERGENCY:
        return RoutedStep(step, national, use_emergency_number=True)
    if national:
        return RoutedStep(step, national)
    if step.service == ServiceSlug.REPORT_POLICE:
        return RoutedStep(step, [], use_emergency_number=True)
    worldwide = sorted((item for item in listings if offers(item, step.service)), key=_best_first)
    if worldwide:
        return RoutedStep(step, worldwide, fallback=True)
    # No service anywhere (only if the directory lost its worldwide entries): the emergency number.
    return RoutedStep(step, [], use_emergency_number=True)


def route(country: str, situation: Situation, *, include_drafts: bool = False) -> Route:
    """The answer for a person in `country` (an upper-case ISO code) in `situation`."""
    country = country.upper()
    listings = candidates(country, include_drafts=include_drafts)
    emergency = emergency_numbers(country)
    steps = [route_step(step, listings) for step in situation.steps]
    return Route(country=country, situation=situation, emergency=emergency, steps=steps)
