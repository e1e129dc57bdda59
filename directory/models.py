"""The curated directory: organisations, where they serve, how to reach them, emergency numbers."""

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from directory import validation
from directory.labels import validate_public_label


class ServiceSlug(models.TextChoices):
    """What an organisation can do for a person. Stable slugs: the data, routing and API use them."""

    EMERGENCY = "emergency", _("Emergency")
    REPORT_CSAM = "report_csam", _("Report sexual images of children")
    REPORT_POLICE = "report_police", _("Report grooming, sextortion or exploitation to the police")
    REMOVE_IMAGES = "remove_images", _("Remove one's own images taken under 18")
    SUPPORT_CHILD = "support_child", _("Support for children and young people")
    SUPPORT_ADULT = "support_adult", _("Support for parents, carers and professionals")
    ADVICE = "advice", _("Advice on keeping children safe online")
    PREVENTION = "prevention", _("Help for people worried about their own sexual thoughts")


class NetworkSlug(models.TextChoices):
    INHOPE = "INHOPE", "INHOPE"
    CHI = "CHI", _("Child Helpline International")
    INSAFE = "Insafe", "Insafe"
    IWF = "IWF", _("Internet Watch Foundation")


class Audience(models.TextChoices):
    CHILDREN = "children", _("Children")
    YOUNG_PEOPLE = "young_people", _("Young people")
    PARENTS = "parents", _("Parents and carers")
    ADULTS = "adults", _("Adults")
    PROFESSIONALS = "professionals", _("Professionals")


class Service(models.Model):
    """One of the fixed services (a lookup row, so that organisations can be filtered by it)."""

    slug = models.CharField(primary_key=True, max_length=20, choices=ServiceSlug.choices)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(condition=Q(slug__in=ServiceSlug.values), name="service_slug_known"),
        ]

    def __str__(self) -> str:
        return str(self.get_slug_display())


class Network(models.Model):
    """A network an organisation belongs to (INHOPE, Child Helpline International, Insafe, IWF)."""

    slug = models.CharField(primary_key=True, max_length=20, choices=NetworkSlug.choices)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(condition=Q(slug__in=NetworkSlug.values), name="network_slug_known"),
        ]

    def __str__(self) -> str:
        return self.slug


class Kind(models.TextChoices):
    HOTLINE = "hotline", _("National hotline")
    REPORTING_PORTAL = "reporting_portal", _("Reporting portal")
    CHILD_HELPLINE = "child_helpline", _("Child helpline")
    SIC_HELPLINE = "sic_helpline", _("Safer Internet Centre helpline")
    AWARENESS_CENTRE = "awareness_centre", _("Awareness centre")
    POLICE = "police", _("Police or law-enforcement reporting")
    WORLDWIDE_SERVICE = "worldwide_service", _("Worldwide service")
    # A list of local services (INHOPE's hotlines, CHI's helpline finder): only ever a last
    # "find your local service" link, never a place to report or talk.
    DIRECTORY = "directory", _("Directory of local services")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


def normalise_newlines(instance: models.Model) -> None:
    """Store text typed in a browser with the line endings of the data file (LF, not CRLF), so that
    saving an untouched form or re-importing an export records no change nobody made."""
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if isinstance(value, str) and "\r" in value:
            setattr(instance, field.attname, value.replace("\r\n", "\n").replace("\r", "\n"))


class OrganisationQuerySet(models.QuerySet):
    def published(self) -> "OrganisationQuerySet":
        return self.filter(status=Status.PUBLISHED)

    def stale(self, today: datetime.date | None = None) -> "OrganisationQuerySet":
        """Entries not checked within SIGNPOST_STALE_AFTER_DAYS, or never checked."""
        cutoff = (today or timezone.localdate()) - datetime.timedelta(days=settings.SIGNPOST_STALE_AFTER_DAYS)
        return self.filter(Q(last_checked__lt=cutoff) | Q(last_checked__isnull=True))


class Organisation(models.Model):
    Kind = Kind
    Status = Status

    key = models.SlugField(
        max_length=100,
        unique=True,
        help_text=_("Stable identifier used by the data file, e.g. de-jugendschutz-net. Do not change it."),
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("As the organisation writes it."))
    name_en = models.CharField(_("English name"), max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    networks = models.ManyToManyField(Network, blank=True, related_name="organisations")
    services = models.ManyToManyField(
        Service, blank=True, related_name="organisations", help_text=_("What a person can get here.")
    )
    audience = models.JSONField(default=list, blank=True, validators=[validation.ChoiceListValidator(Audience.values)])
    languages = models.JSONField(
        default=list,
        blank=True,
        validators=[validation.validate_language_codes],
        help_text=_("ISO 639-1 codes of the languages it answers in, e.g. de, en."),
    )
    free = models.BooleanField(
        null=True, blank=True, help_text=_("Free of charge (leave unknown if the source does not say).")
    )
    anonymous = models.BooleanField(
        null=True, blank=True, help_text=_("One can stay anonymous (only if the source says so).")
    )
    hours = models.CharField(
        _("opening hours"),
        max_length=500,
        blank=True,
        help_text=_("Shown to the public, as written: short, no sources or remarks (those go in the internal notes)."),
    )
    description = models.TextField(blank=True, help_text=_("Shown to the public."))
    worldwide = models.BooleanField(default=False, help_text=_("Serves people in every country."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    needs_check = models.BooleanField(
        default=False, help_text=_("Something in this entry is uncertain; a curator should check it.")
    )
    last_checked = models.DateField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_urls = models.JSONField(
        _("sources"), default=list, blank=True, validators=[validation.validate_web_addresses]
    )
    internal_notes = models.TextField(blank=True, help_text=_("For curators only; never shown to the public."))
    priority = models.PositiveSmallIntegerField(
        default=100, help_text=_("Lower numbers are shown first within a step.")
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validation.validate_time_zone],
        help_text=_("Only where the country spans several zones, e.g. America/Chicago. Empty: the country's zone."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[services, networks])

    class Meta:
        ordering = ["priority", "-last_checked", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="organisation_kind_known"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="organisation_status_known"),
            models.CheckConstraint(condition=~Q(key=""), name="organisation_key_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        normalise_newlines(self)
        super().save(*args, **kwargs)

    def country_codes(self) -> list[str]:
        """The codes of the countries it serves; while a form or import is validating, the pending ones."""
        pending = getattr(self, "pending_country_codes", None)
        if pending is not None:
            return list(pending)
        if self.pk is None:
            return []
        return [str(place.country) for place in self.places.all()]

    def publication_problems(self, *, channels: int | None = None, countries: int | None = None) -> dict[str, str]:
        """What stops this entry from being published: {"channels" / "countries": message for a curator}.

        The one home of the rule "a published organisation needs a channel and a place". Every path
        asks it: the admin form and its inlines, the channel and place pages (deleting the last one),
        the publish action and the import. Pass the counts a pending change would leave; by default
        the database's.
        """
        if channels is None:
            channels = self.channels.count() if self.pk else 0
        if countries is None:
            countries = self.places.count() if self.pk else 0
        problems = {}
        if not channels:
            problems["channels"] = _("A published organisation needs at least one contact channel.")
        if not self.worldwide and not countries:
            problems["countries"] = _("A published organisation needs at least one country, or to be worldwide.")
        return problems

    def blocks_publication(self, **counts) -> dict[str, str]:
        """The publication problems that matter now: only while it is published."""
        return self.publication_problems(**counts) if self.status == Status.PUBLISHED else {}

    def mark_checked(self, user, today: datetime.date | None = None) -> None:
        self.last_checked = today or timezone.localdate()
        self.checked_by = user
        self.needs_check = False
        self.save(update_fields=["last_checked", "checked_by", "needs_check", "updated_at"])


class Place(models.Model):
    """A country an organisation serves."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="places")
    country = CountryField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["country"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "country"], name="place_unique_per_organisation"),
            models.CheckConstraint(condition=~Q(country=""), name="place_country_not_empty"),
        ]

    def __str__(self) -> str:
        return str(self.country.name)


class ChannelType(models.TextChoices):
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    CHAT = "chat", _("Chat")
    EMAIL = "email", _("Email")
    WEB_FORM = "web_form", _("Report form")
    WEBSITE = "website", _("Website")
    APP = "app", _("App")
    WHATSAPP = "whatsapp", _("WhatsApp")
    TELEGRAM = "telegram", _("Telegram")


class Channel(models.Model):
    """One way to reach an organisation: a number, an address, a form."""

    Type = ChannelType

    # Numbers (WhatsApp is messaged in the app, never dialled, but its value is a number).
    PHONE_TYPES = (Type.PHONE, Type.SMS, Type.WHATSAPP)
    DIALLED_TYPES = (Type.PHONE, Type.SMS)
    # Web addresses (a Telegram value may also be written @name).
    URL_TYPES = (Type.CHAT, Type.WEB_FORM, Type.WEBSITE, Type.APP, Type.TELEGRAM)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="channels")
    type = models.CharField(max_length=10, choices=Type.choices)
    value = models.CharField(max_length=500, help_text=_("The number, address or link, exactly as published."))
    label = models.CharField(
        max_length=300,
        blank=True,
        validators=[validate_public_label],
        help_text=_(
            "Shown to the public next to the button: a few words a person needs, such as “for parents”. "
            "Sources, years, remarks and doubts go in the organisation's internal notes."
        ),
    )
    hours = models.CharField(
        _("opening hours"),
        max_length=300,
        blank=True,
        help_text=_(
            "Shown to the public, as written: short, no sources or remarks (those go in the organisation's internal "
            "notes). Prefer the weekly hours, so the page can say “open now”."
        ),
    )
    free = models.BooleanField(null=True, blank=True)
    country = CountryField(
        blank=True,
        help_text=_("Only where an organisation serving several countries has a number for one of them."),
    )
    position = models.PositiveSmallIntegerField(default=0)
    number_confirmed = models.BooleanField(
        _("number confirmed by a curator"),
        default=False,
        help_text=_(
            "Only for a number the phone-number library does not know for this country (a new short number, "
            "say) that a curator has confirmed works. Say in the notes how it was confirmed."
        ),
    )
    always_open = models.BooleanField(_("open 24/7"), default=False)
    closed_on_public_holidays = models.BooleanField(default=False, help_text=_("Only where the source says so."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(type__in=ChannelType.values), name="channel_type_known"),
            models.CheckConstraint(condition=~Q(value=""), name="channel_value_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.value}"

    def validation_region(self) -> str | None:
        """The country a national-format number is read in: the channel's own, else the organisation's only one."""
        if self.country:
            return str(self.country)
        try:
            codes = self.organisation.country_codes()
        except Organisation.DoesNotExist:
            return None
        return codes[0] if len(codes) == 1 else None

    def home_country(self, organisation_countries: Sequence[str]) -> str | None:
        """The country this channel is for: its own; for a number in international form, the number's;
        else the organisation's only country (None when it cannot be told)."""
        if self.country:
            return str(self.country)
        if self.type in self.PHONE_TYPES and (region := validation.number_region(self.value, organisation_countries)):
            return region
        return organisation_countries[0] if len(organisation_countries) == 1 else None

    def usable_in(self, country: str, organisation_countries: Sequence[str]) -> bool:
        """Whether a person in `country` can use this channel: the one home of that rule (pages, API, card).

        A channel for another country is not. A toll-free, shared-cost or short number, and any number
        written in national format, works only in its own country; abroad only an international (+…)
        number that can be dialled from anywhere is shown. WhatsApp, Telegram and web channels work
        from anywhere (a WhatsApp number needs its international digits for the link).
        """
        home = self.home_country(organisation_countries)
        if self.country and home != country:
            return False
        if self.type == self.Type.WHATSAPP:
            return bool(validation.whatsapp_digits(self.value, home))
        if self.type not in self.DIALLED_TYPES:
            return True
        if home == country:
            return True
        if home is None and country in organisation_countries and not self.value.strip().startswith("+"):
            return True  # a confirmed national number of an organisation serving several countries, all of them
        return validation.reachable_from_abroad(self.value)

    def clean(self) -> None:
        value = (self.value or "").strip()
        self.value = value
        if not value:
            return  # the field's own "required" error says it
        try:
            if self.type == self.Type.WHATSAPP:
                validation.validate_whatsapp_number(value, self.validation_region())
            elif self.type == self.Type.TELEGRAM:
                validation.validate_telegram(value)
            elif self.type in self.PHONE_TYPES and self.number_confirmed:
                validation.validate_plain_number(value)
            elif self.type in self.PHONE_TYPES:
                validation.parse_phone_number(value, self.validation_region())
            elif self.type in self.URL_TYPES:
                validation.validate_public_web_address(value)
            elif self.type == self.Type.EMAIL:
                validation.validate_email(value)
        except ValidationError as error:
            raise ValidationError({"value": error}) from None


class EmergencyNumber(models.Model):
    """The emergency numbers of one country."""

    country = CountryField(unique=True)
    general = models.CharField(
        max_length=20, blank=True, validators=[validation.validate_emergency_number], help_text=_("e.g. 112")
    )
    police = models.CharField(max_length=20, blank=True, validators=[validation.validate_emergency_number])
    ambulance = models.CharField(max_length=20, blank=True, validators=[validation.validate_emergency_number])
    fire = models.CharField(max_length=20, blank=True, validators=[validation.validate_emergency_number])
    other = models.JSONField(
        default=list, blank=True, help_text=_('Other numbers from the sources: [{"number": "...", "note": "..."}].')
    )
    source_urls = models.JSONField(
        _("sources"), default=list, blank=True, validators=[validation.validate_web_addresses]
    )
    last_checked = models.DateField(null=True, blank=True)
    needs_check = models.BooleanField(default=False)
    notes = models.TextField(
        blank=True,
        help_text=_("Published in the open data and the API with the numbers: no internal remarks here."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["country"]
        constraints = [
            models.CheckConstraint(condition=~Q(country=""), name="emergency_country_not_empty"),
        ]

    def __str__(self) -> str:
        return str(self.country.name)

    def save(self, *args, **kwargs) -> None:
        normalise_newlines(self)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not isinstance(self.other, list) or not all(
            isinstance(item, dict) and set(item) <= {"number", "note"} and item.get("number") for item in self.other
        ):
            raise ValidationError({"other": _('Use a list of {"number": "...", "note": "..."} entries.')})

    def first_number(self) -> str:
        """The number to call in an emergency: the general one, else the police, else any the sources list."""
        listed = self.general or self.police or self.ambulance or self.fire
        if listed:
            return listed
        return self.other[0]["number"] if self.other else ""


class LinkCheck(models.Model):
    """The last result of visiting a web address that the directory publishes (see `check_links`)."""

    url = models.URLField(max_length=500, unique=True)
    checked_at = models.DateTimeField()
    ok = models.BooleanField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True, help_text=_("What went wrong, when it did."))

    class Meta:
        ordering = ["url"]

    def __str__(self) -> str:
        return self.url


class OpeningHours(models.Model):
    """One opening period of a channel, in the organisation's local time (the country's time zone)."""

    class Day(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="opening_hours")
    day = models.PositiveSmallIntegerField(choices=Day.choices)
    opens = models.TimeField()
    closes = models.TimeField(help_text=_("Earlier than the opening time: open past midnight (22:00–02:00)."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["day", "opens"]
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(condition=Q(day__gte=0, day__lte=6), name="opening_day_is_a_weekday"),
            models.CheckConstraint(condition=~Q(opens=models.F("closes")), name="opening_period_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.get_day_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens is not None and self.opens == self.closes:
            raise ValidationError(_("Opening and closing times are the same; for 24 hours tick “open 24/7”."))


class ProblemReason(models.TextChoices):
    NUMBER = "number", _("The phone number doesn't work")
    WEBSITE = "website", _("The website or form is broken")
    CLOSED = "closed", _("It is closed or no longer exists")
    OTHER = "other", _("Something else is wrong")


class ProblemState(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class ProblemReport(models.Model):
    """Someone told us an entry is wrong. No personal data: a reason and an optional short text."""

    Reason = ProblemReason
    State = ProblemState

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="problem_reports")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    text = models.CharField(max_length=500, blank=True)
    language = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(reason__in=ProblemReason.values), name="problem_reason_known"),
            models.CheckConstraint(condition=Q(state__in=ProblemState.values), name="problem_state_known"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_reason_display()}"


class Platform(models.Model):
    """An app or site where a young person can be harmed, and its own official way to report an account or a
    message. Shown on the answers about sextortion, grooming and shared images when the person names it."""

    key = models.SlugField(max_length=60, unique=True, help_text=_("Stable, e.g. “instagram”."))
    name = models.CharField(max_length=100, help_text=_("As the platform writes it, e.g. “Instagram”."))
    report_url = models.URLField(
        _("how to report an account or message"),
        max_length=500,
        validators=[validation.validate_public_web_address],
        help_text=_("The platform's own help page (https), exactly as it publishes it. Public."),
    )
    child_safety_url = models.URLField(
        _("child safety report form"),
        max_length=500,
        blank=True,
        validators=[validation.validate_public_web_address],
        help_text=_("Its own form for reporting child sexual exploitation, where one exists. Public."),
    )
    take_it_down = models.BooleanField(
        _("takes part in Take It Down"),
        null=True,
        blank=True,
        help_text=_("NCMEC's Take It Down hash matching. Leave unknown unless a source says so."),
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    needs_check = models.BooleanField(default=False)
    source_urls = models.JSONField(
        _("sources"), default=list, blank=True, validators=[validation.validate_web_addresses]
    )
    last_checked = models.DateField(null=True, blank=True)
    internal_notes = models.TextField(blank=True, help_text=_("For curators only: never shown to the public."))
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(key=""), name="platform_key_not_empty"),
            models.CheckConstraint(condition=~Q(report_url=""), name="platform_report_url_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        normalise_newlines(self)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = {}
        for name in ("report_url", "child_safety_url"):
            value = getattr(self, name)
            if value and not value.startswith("https://"):
                errors[name] = _("Use the platform's https address.")
        if self.status == Status.PUBLISHED and not self.source_urls:
            errors["source_urls"] = _("A published platform needs the official page its addresses come from.")
        if errors:
            raise ValidationError(errors)


class EmbedOrigin(models.Model):
    """A partner site allowed to show Signpost's answers in a frame."""

    origin = models.URLField(
        max_length=200,
        unique=True,
        validators=[validation.validate_origin],
        help_text=_("Scheme and host only, e.g. https://www.school.example"),
    )
    name = models.CharField(max_length=200, help_text=_("Who the partner is."))
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["origin"]

    def __str__(self) -> str:
        return self.origin


class DirectoryVersion(models.Model):
    """One row: a stamp that changes after every committed change to the directory (directory.versioning).

    It lives in the database so that every process and every app server sees the same stamp,
    with or without a shared cache.
    """

    stamp = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="directory_version_single_row")]

    def __str__(self) -> str:
        return str(self.stamp)


class RateLimitCounter(models.Model):
    """How many problem reports one client sent in the current window, shared by every process.

    The key is a keyed hash of the client's address and the day: enough to count, useless to identify.
    """

    key = models.CharField(max_length=64, unique=True)
    window_start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.count} since {self.window_start:%H:%M}"
