"""Routing: for a country and a situation, who answers each step, best first.

Pure reads of the directory (never writes). National services come first (priority, then
most recently checked); where the country has none, the step falls back to the worldwide
services and says so. A step is never bare: an emergency step is answered by the country's
emergency numbers, and a police step with no dedicated service by the police number.
"""

import datetime
import functools
import logging
from dataclasses import dataclass, field

from django.db import DatabaseError
from django.db.models import Exists, OuterRef, Prefetch, Q, StringAgg, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext

from directory import opening, snapshot
from directory.importing import ORGANISATION_SCALARS
from directory.labels import public_label
from directory.models import Channel, EmergencyNumber, Kind, Organisation, Place, Platform, ServiceSlug
from directory.validation import dial_uri, is_safe_link, telegram_uri, whatsapp_uri
from reporting.situations import ADULT, CHILD, PARENT, Situation, Step

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
    now: datetime.datetime | None = None  # when set, each link says whether it is open now

    @property
    def source_url(self) -> str:
        """The first source, for the "source" link (only an http(s) address is ever linked)."""
        return next((url for url in self.organisation.source_urls or () if is_safe_link(url)), "")

    @property
    def checked_long_ago(self) -> bool:
        """Last checked more than 12 months ago (the page says so next to the date)."""
        checked = self.organisation.last_checked
        today = (self.now or timezone.now()).date()
        return bool(checked) and checked < today - datetime.timedelta(days=365)

    @property
    def what_happens_next_kind(self) -> str:
        """Which "what happens next" text fits: an IWF portal's, a national portal's as a hotline's;
        a worldwide service's only where it is shown as one."""
        kind = self.organisation.kind
        if kind == Kind.REPORTING_PORTAL and "IWF" not in self.networks:
            return Kind.HOTLINE
        if kind == Kind.WORLDWIDE_SERVICE and self.national:
            return ""
        return kind

    @property
    def is_directory(self) -> bool:
        """A list of local services: its links say "Find your local service", never "report" or "call"."""
        return self.organisation.kind == Kind.DIRECTORY

    @property
    def is_draft(self) -> bool:
        return self.organisation.status != Organisation.Status.PUBLISHED

    @property
    def home_country(self) -> str:
        """Where its hours are kept: the country being answered, or its own single country."""
        if self.national:
            return self.country
        return self.places[0] if len(self.places) == 1 else ""

    @property
    def zone(self):
        return opening.zone_for(self.home_country, self.organisation.time_zone)

    @property
    def now_local(self) -> datetime.datetime | None:
        return self.now.astimezone(self.zone) if self.now else None

    @property
    def has_known_hours(self) -> bool:
        """Whether any of its channels says when it is open (so the page names the time zone)."""
        return any(link["status"] and link["status"].state in (opening.OPEN, opening.CLOSED) for link in self.links())

    def region_of(self, channel: Channel) -> str | None:
        """The country a national-format number is dialled in (the directory's validation guarantees one)."""
        if channel.country:
            return str(channel.country)
        if self.national:
            return self.country
        return self.places[0] if len(self.places) == 1 else None

    def links(self) -> list[dict]:
        """The channels as links a person can tap, ready to show: where it goes (tel:, sms:, mailto:, the web
        address), what the button says in the page's language, how it looks, and whether it is open now.

        A directory of local services has one link only: "Find your local service"."""
        if getattr(self, "_links", None) is not None:
            return self._links
        result = []
        for channel in self.channels:
            if channel.type == Channel.Type.PHONE:
                href = dial_uri(channel.value, self.region_of(channel))
            elif channel.type == Channel.Type.SMS:
                href = dial_uri(channel.value, self.region_of(channel), scheme="sms")
            elif channel.type == Channel.Type.WHATSAPP:
                href = whatsapp_uri(channel.value, channel.home_country(self.places) or self.region_of(channel))
            elif channel.type == Channel.Type.EMAIL:
                href = f"mailto:{channel.value}"
            elif channel.type == Channel.Type.TELEGRAM:
                href = telegram_uri(channel.value)
            else:
                href = channel.value
            if not is_safe_link(href):
                continue  # only tel:, sms:, mailto: and http(s) links are ever rendered (never javascript: …)
            link = {"channel": channel, "type": channel.type, "href": href, "status": self._status(channel)}
            link.update(presentation(channel, href))
            result.append(link)
        if self.is_directory:
            local = next((link for link in result if link["href"].startswith("https://")), None)
            result = [{**local, "text": gettext("Find your local service"), "style": "button"}] if local else []
        self._links = result
        return result

    @property
    def buttons(self) -> list[dict]:
        """The links shown on the card itself: ways to reach them; the website too where it is the only way."""
        reach = [link for link in self.links() if link["type"] != Channel.Type.WEBSITE]
        return reach or self.links()

    @property
    def more_links(self) -> list[dict]:
        """The website, when the card already has a way to reach them (it goes under "More about")."""
        shown = self.buttons
        return [link for link in self.links() if link not in shown]

    def main_link(self, service: str, who: str = CHILD) -> dict | None:
        """The one button to press first for this service: the form to report, the number to call; a line
        labelled for someone else (a parents' line for a child) after the others, and one open now before
        one that is closed."""
        order = MAIN_LINK_ORDER.get(service, CONTACT_FIRST)
        support = service in SUPPORT_SERVICES

        def rank(item: tuple[int, dict]) -> tuple:
            position, link = item
            kind = order.index(link["type"]) if link["type"] in order else len(order)
            if not support:
                return (kind, closed(link), position)
            talk = link["type"] in TALK_TYPES
            for_others = link["channel"].label in LABELS_FOR_OTHERS[who]
            return (not talk, for_others, closed(link), kind, position)

        links = self.links()
        return min(enumerate(links), key=rank)[1] if links else None

    def _status(self, channel: Channel) -> opening.Status | None:
        if self.now is None:
            return None
        periods = getattr(channel, "snapshot_periods", None)
        if periods is None:
            periods = [opening.Period(h.day, h.opens, h.closes) for h in channel.opening_hours.all()]
        return opening.status(
            periods,
            zone=self.zone,
            now=self.now,
            always_open=channel.always_open,
            country=self.home_country,
            closed_on_public_holidays=channel.closed_on_public_holidays,
        )


@dataclass
class RoutedStep:
    step: Step
    listings: list[Listing] = field(default_factory=list)
    fallback: bool = False  # the answer is a worldwide one: the country has no national service
    use_emergency_number: bool = False  # answered by the country's emergency (or police) number
    # When the best service's phone, SMS and chat are all closed now: an open one to try instead.
    open_alternative: tuple[Listing, dict] | None = None
    # Organisations already shown in an earlier step of the same answer: the page refers back to
    # them instead of showing their card again (see mark_repeats).
    shown_before: list[Listing] = field(default_factory=list)
    # What the page says, for who is asking: the heading, the guidance, and the advice not given above.
    heading: str = ""
    guidance: str = ""
    do: list = field(default_factory=list)
    dont: list = field(default_factory=list)

    @property
    def new_listings(self) -> list[Listing]:
        earlier = {id(listing) for listing in self.shown_before}
        return [listing for listing in self.listings if id(listing) not in earlier]

    @property
    def service(self) -> str:
        return self.step.service

    def word_for(self, who: str, already_given: set) -> None:
        """Words for who is asking; the dos and don'ts an earlier step has not already given (said once)."""
        self.heading, self.guidance = self.step.heading_for(who), self.step.guidance_for(who)
        self.do = [text for text in self.step.do if text not in already_given]
        self.dont = [text for text in self.step.dont if text not in already_given]
        already_given.update(self.step.do, self.step.dont)

    @property
    def is_support(self) -> bool:
        return self.service in SUPPORT_SERVICES

    @property
    def needs_human_alternative(self) -> bool:
        """Someone to talk to, and no service in the country itself: a trusted adult is one too."""
        return self.is_support and not any(listing.national for listing in self.listings)


@dataclass
class Route:
    country: str
    situation: Situation
    emergency: EmergencyNumber | None
    steps: list[RoutedStep]
    who: str = CHILD
    platform: Platform | None = None  # where it happened, when the person said (its own report route)

    @property
    def title(self):
        return self.situation.title_for(self.who)

    @property
    def reassurance(self):
        return self.situation.reassurance_for(self.who)

    @property
    def has_emergency_step(self) -> bool:
        return any(routed.service == ServiceSlug.EMERGENCY for routed in self.steps)

    @functools.cached_property
    def first_action(self) -> dict | None:
        """Do this first: the first step someone can act on, its service and the one button to press.

        Where that service's line is closed now and another one is open, the open one comes first."""
        for routed in self.steps:
            heading = routed.heading
            if routed.service == ServiceSlug.EMERGENCY or (routed.use_emergency_number and not routed.listings):
                number = self.emergency_number if routed.service == ServiceSlug.EMERGENCY else self.police_number
                if number:
                    return {"heading": heading, "number": number}
                continue
            for listing in routed.listings:
                link = listing.main_link(routed.service, self.who)
                if link is None or (routed.is_support and link["type"] not in TALK_TYPES):
                    continue  # someone to talk to: a website alone is not that; look further
                if closed(link) and routed.open_alternative:
                    listing, link = routed.open_alternative
                    return {"heading": heading, "listing": listing, "link": link, "instead_of": routed.listings[0]}
                return {"heading": heading, "listing": listing, "link": link}
        # Nothing to call anywhere: the first service with a way in at all.
        for routed in self.steps:
            for listing in routed.listings:
                link = listing.main_link(routed.service, self.who)
                if link is not None:
                    return {"heading": routed.heading, "listing": listing, "link": link}
        return None

    @property
    def emergency_number(self) -> str:
        return self.emergency.first_number() if self.emergency else ""

    @property
    def has_national_service(self) -> bool:
        return has_national_service(self.steps)

    def valid_until(self) -> datetime.datetime | None:
        """When this answer's "open now" statuses next change (None: they never do)."""
        changes = [
            link["status"].next_change
            for routed in self.steps
            for listing in routed.listings
            for link in listing.links()
            if link["status"] and link["status"].next_change
        ]
        return min(changes) if changes else None

    @property
    def police_number(self) -> str:
        """The number for reaching the police: theirs, else the general emergency number."""
        return (self.emergency.police if self.emergency else "") or self.emergency_number


# Which kinds of organisation answer a service best, in order (others follow; directories of
# services always come last). Priority belongs to the organisation, so it only breaks ties here:
# a hotline that also counsels never outranks the child helpline when a child needs to talk.
BEST_KINDS = {
    ServiceSlug.SUPPORT_CHILD: (Kind.CHILD_HELPLINE, Kind.SIC_HELPLINE),
    ServiceSlug.SUPPORT_ADULT: (Kind.CHILD_HELPLINE, Kind.SIC_HELPLINE),
    ServiceSlug.REPORT_CSAM: (Kind.HOTLINE, Kind.REPORTING_PORTAL),
    ServiceSlug.REPORT_POLICE: (Kind.POLICE, Kind.HOTLINE),
    ServiceSlug.ADVICE: (Kind.AWARENESS_CENTRE, Kind.SIC_HELPLINE),
}

WHO = (CHILD, PARENT, ADULT)
CHILD_AUDIENCES = {"children", "young_people"}
SUPPORT_SERVICES = (ServiceSlug.SUPPORT_CHILD, ServiceSlug.SUPPORT_ADULT)
# Situations about images taken under 18, whoever asks.
UNDER_18_IMAGES = {"my-images"}


def _best_first(service: str):
    kinds = BEST_KINDS.get(service, ())

    def key(listing: Listing) -> tuple:
        organisation = listing.organisation
        kind = organisation.kind
        rank = kinds.index(kind) if kind in kinds else len(kinds) + (1 if kind == Kind.DIRECTORY else 0)
        checked = organisation.last_checked or datetime.date.min
        return (rank, organisation.priority, organisation.needs_check, -checked.toordinal(), organisation.name)

    return key


def fits(listing: Listing, service: str, who: str, situation: str = "") -> bool:
    """Whether this organisation is right for this person at this step (its audience).

    An empty audience means "anyone". A service whose audience names neither children nor young
    people (a parents' or professionals' line) is never support for a child; one for adults only
    (StopNCII: adults' own intimate images) never removes images for a child, a parent, or images
    from when one was under 18, and is never someone to talk to.
    """
    audience = set(listing.organisation.audience or ())
    if service == ServiceSlug.SUPPORT_CHILD and audience and not audience & CHILD_AUDIENCES:
        return False
    if service in SUPPORT_SERVICES and audience == {"adults"} and ServiceSlug.REMOVE_IMAGES in listing.services:
        return False
    if service == ServiceSlug.REMOVE_IMAGES and audience == {"adults"}:
        return who == ADULT and situation not in UNDER_18_IMAGES
    return True


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


def shown_channels(channels, country: str, places: list[str]) -> list[Channel]:
    """The channels a person in `country` can use (the rule is Channel.usable_in, the same for every path)."""
    return [channel for channel in channels if channel.usable_in(country, places)]


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
            shown_channels(organisation.channels.all(), country, _split(organisation.country_codes)),
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
        fields = {name: record[name] for name in ORGANISATION_SCALARS if name in record}
        organisation = Organisation(pk=record["id"], **fields)
        if record["last_checked"]:
            organisation.last_checked = datetime.date.fromisoformat(record["last_checked"])
        channels = []
        for i, data in enumerate(record["channels"]):
            fields = ("type", "value", "label", "hours", "free", "country", "always_open", "closed_on_public_holidays")
            channel = Channel(position=i, **{name: data[name] for name in fields})
            channel.snapshot_periods = [
                opening.Period(
                    p["day"], datetime.time.fromisoformat(p["opens"]), datetime.time.fromisoformat(p["closes"])
                )
                for p in data["opening_hours"]
            ]
            channels.append(channel)
        listings.append(
            Listing(
                organisation,
                shown_channels(channels, country, record["countries"]),
                national=national,
                country=country,
                services=set(record["services"]),
                networks=record["networks"],
                places=record["countries"],
            )
        )
    return listings


# The answers where reporting the account to the app matters: someone's account, messages or posts.
PLATFORM_SITUATIONS = {"sextortion", "grooming", "my-images", "csam-found"}


def platforms() -> list[Platform]:
    """The published platforms, by name (from the snapshot while the database is unreachable)."""
    try:
        return list(Platform.objects.filter(status=Organisation.Status.PUBLISHED))
    except DatabaseError:
        return snapshot.platforms()


def find_platform(key: str | None) -> Platform | None:
    if not key:
        return None
    return next((platform for platform in platforms() if platform.key == key), None)


def emergency_numbers(country: str) -> EmergencyNumber | None:
    try:
        return EmergencyNumber.objects.filter(country=country).first()
    except DatabaseError:
        return snapshot.emergency_number(country)


def offers(listing: Listing, service: str) -> bool:
    return service in listing.services


def fitting(listing: Listing, service: str, who: str, situation: str) -> bool:
    return offers(listing, service) and fits(listing, service, who, situation)


def route_step(step: Step, listings: list[Listing], who: str = CHILD, situation: str = "") -> RoutedStep:
    """Who answers one step: the country's own services, best first for this service; else the
    worldwide ones (a directory of local services only ever last, as "find your local service")."""
    service = step.service
    listings = [item for item in listings if item.channels and fitting(item, service, who, situation)]
    best_first = _best_first(service)
    services = [item for item in listings if not item.is_directory]
    national = sorted((item for item in services if item.national), key=best_first)
    if service == ServiceSlug.EMERGENCY:
        return RoutedStep(step, national, use_emergency_number=True)
    if national:
        return RoutedStep(step, national)
    # Worldwide services only: never another country's national service, and their numbers only where
    # they can be dialled from here (Listing.channels).
    worldwide = sorted((item for item in services if not item.national), key=best_first)
    directories = sorted((item for item in listings if item.is_directory and not item.national), key=best_first)
    worldwide += directories[:1]
    if service == ServiceSlug.REPORT_POLICE or not worldwide:
        return RoutedStep(step, [], use_emergency_number=True)
    # A directory is never the first choice: with nothing else, the emergency number comes first.
    return RoutedStep(step, worldwide, fallback=True, use_emergency_number=worldwide[0].is_directory)


CONTACT_TYPES = (Channel.Type.PHONE, Channel.Type.SMS, Channel.Type.CHAT)
# Ways to talk to someone (a website alone is not someone to talk to).
TALK_TYPES = (Channel.Type.PHONE, Channel.Type.SMS, Channel.Type.CHAT, Channel.Type.WHATSAPP, Channel.Type.TELEGRAM)
# A channel's label (one of directory.labels.PHRASES) that says it is for someone other than the reader.
LABELS_FOR_OTHERS = {
    CHILD: {"for parents", "for parents and professionals", "for professionals"},
    PARENT: {"for children and young people", "for professionals"},
    ADULT: {"for children and young people"},
}
T = Channel.Type
CONTACT_FIRST = (T.PHONE, T.CHAT, T.SMS, T.WHATSAPP, T.TELEGRAM, T.APP, T.EMAIL, T.WEB_FORM, T.WEBSITE)
REPORT_FIRST = (T.WEB_FORM, T.APP, T.PHONE, T.EMAIL, T.CHAT, T.WHATSAPP, T.TELEGRAM, T.SMS, T.WEBSITE)
MAIN_LINK_ORDER = {
    ServiceSlug.REPORT_CSAM: REPORT_FIRST,
    ServiceSlug.REMOVE_IMAGES: REPORT_FIRST,
    ServiceSlug.REPORT_POLICE: REPORT_FIRST,
    ServiceSlug.ADVICE: (T.WEBSITE, T.WEB_FORM, *CONTACT_FIRST),
}


def closed(link: dict) -> bool:
    return bool(link["status"]) and link["status"].state == opening.CLOSED


def presentation(channel: Channel, href: str) -> dict:
    """What a link says and how it looks. Numbers are buttons that call; web links open outside, without
    telling the other site where the person came from."""
    kind, value = channel.type, channel.value
    texts = {
        T.PHONE: ("call", gettext("Call %(number)s") % {"number": value}),
        T.SMS: ("call", gettext("Text %(number)s") % {"number": value}),
        T.WEB_FORM: ("button", gettext("Open the report form")),
        T.CHAT: ("button", gettext("Chat online")),
        T.EMAIL: ("button", gettext("Email %(address)s") % {"address": value}),
        T.WHATSAPP: ("button", gettext("Message on WhatsApp")),
        T.TELEGRAM: ("button", gettext("Message on Telegram")),
        T.APP: ("button", gettext("Get the app")),
    }
    style, text = texts.get(kind, ("button quiet", gettext("Visit the website")))
    note = " · ".join(part for part in (public_label(channel.label), channel.hours) if part)
    return {"text": text, "style": style, "external": href.startswith("http"), "note": note}


def open_alternative(
    routed: RoutedStep, listings: list[Listing], who: str = CHILD, situation: str = ""
) -> tuple[Listing, dict] | None:
    """If the best service can be contacted but not right now: the first open phone, SMS or chat.

    Looked for in the same step first (another channel, another service), then among the
    worldwide services that offer the step's service.
    """
    if not routed.listings:
        return None
    best = [link for link in routed.listings[0].links() if link["type"] in CONTACT_TYPES]
    if not best or any(link["status"].state != opening.CLOSED for link in best):
        return None  # open, or hours unknown, or nothing to call: nothing to point elsewhere for
    worldwide = sorted(
        (
            item
            for item in listings
            if fitting(item, routed.service, who, situation)
            and not item.national
            and not item.is_directory
            and item not in routed.listings
        ),
        key=_best_first(routed.service),
    )
    for listing in [*routed.listings, *worldwide]:
        for link in listing.links():
            if link["type"] in CONTACT_TYPES and link["status"].is_open:
                return listing, link
    return None


def mark_repeats(steps: list[RoutedStep], shown_per_step: int | None = None) -> None:
    """Each organisation is shown once per answer: later steps list it under `shown_before`.

    `shown_per_step`: how many new organisations each step shows (a printed card shows a few), so
    that only an organisation really shown above is referred to.
    """
    seen: set[int] = set()
    for routed in steps:
        routed.shown_before = [listing for listing in routed.listings if id(listing.organisation) in seen]
        seen |= {id(listing.organisation) for listing in routed.new_listings[:shown_per_step]}


def has_national_service(steps: list[RoutedStep]) -> bool:
    """Whether any step of the answer is answered by a service of the country itself."""
    return any(listing.national for routed in steps for listing in routed.listings)


def default_who(situation: Situation) -> str:
    """Who is asking, where the person has not said (the situation knows)."""
    return situation.default_who


def route(
    country: str,
    situation: Situation,
    who: str | None = None,
    *,
    include_drafts: bool = False,
    now: datetime.datetime | None = None,
    platform: str | None = None,
) -> Route:
    """The answer for a person in `country` (an upper-case ISO code) in `situation`, at `now`.

    `who` is asking: CHILD (a young person about themselves), PARENT or ADULT (another adult or a
    professional); unknown or None: the situation's default (default_who).
    """
    country = country.upper()
    who = who if who in WHO else default_who(situation)
    listings = candidates(country, include_drafts=include_drafts)
    for listing in listings:
        listing.now = now or timezone.now()
    emergency = emergency_numbers(country)
    steps = [route_step(step, listings, who, situation.slug) for step in situation.steps]
    for routed in steps:
        routed.open_alternative = open_alternative(routed, listings, who, situation.slug)
    mark_repeats(steps)
    given: set = set()
    for routed in steps:
        routed.word_for(who, given)
    where = find_platform(platform) if situation.slug in PLATFORM_SITUATIONS else None
    return Route(country=country, situation=situation, emergency=emergency, steps=steps, who=who, platform=where)
