import datetime

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, JSON, XLSX
from simple_history.admin import SimpleHistoryAdmin

from directory import linkcheck
from directory.bulk import save_organisations
from directory.forms import ChannelInlineFormSet, DirectoryImportForm, OrganisationForm, PlaceInlineFormSet
from directory.models import (
    Channel,
    EmbedOrigin,
    EmergencyNumber,
    LinkCheck,
    OpeningHours,
    Organisation,
    Place,
    Platform,
    ProblemReport,
)
from directory.resources import EmergencyNumberResource, OrganisationResource

# Spreadsheets and the admin's JSON export; the full exchange document is `export_directory`'s.
DIRECTORY_FORMATS = [CSV, XLSX, JSON]


def preview_url(country: str, situation: str = "not-sure") -> str | None:
    """The curators' route preview (a view of the public side, found by its URL name)."""
    try:
        return reverse("preview", args=[country.lower(), situation])
    except NoReverseMatch:
        return None


class PlaceInline(admin.TabularInline):
    model = Place
    formset = PlaceInlineFormSet
    extra = 0
    verbose_name = _("country served")
    verbose_name_plural = _("countries served")


class ChannelInline(admin.TabularInline):
    model = Channel
    formset = ChannelInlineFormSet
    extra = 0
    fields = ["type", "value", "number_confirmed", "label", "hours", "free", "country", "always_open", "position"]
    # Weekly opening hours are edited on the channel's own page (the link on each row).
    show_change_link = True


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class CountryServedFilter(admin.SimpleListFilter):
    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        used = set(Place.objects.values_list("country", flat=True).distinct())
        return [("worldwide", _("Worldwide"))] + [(code, name) for code, name in countries if code in used]

    def queryset(self, request, queryset):
        if self.value() == "worldwide":
            return queryset.filter(worldwide=True)
        if self.value():
            return queryset.filter(places__country=self.value()).distinct()
        return queryset


class StaleFilter(admin.SimpleListFilter):
    """Entries not checked within SIGNPOST_STALE_AFTER_DAYS (or never)."""

    title = _("freshness")
    parameter_name = "fresh"

    def lookups(self, request, model_admin):
        return [("stale", _("Stale: not checked recently")), ("fresh", _("Checked recently"))]

    def queryset(self, request, queryset):
        stale = Organisation.objects.stale().values("pk")
        if self.value() == "stale":
            return queryset.filter(pk__in=stale)
        if self.value() == "fresh":
            return queryset.exclude(pk__in=stale)
        return queryset


class BrokenLinkFilter(admin.SimpleListFilter):
    """Entries with a website or form that the last `check_links` run found broken."""

    title = _("links")
    parameter_name = "links"

    def lookups(self, request, model_admin):
        return [("broken", _("Has a broken link"))]

    def queryset(self, request, queryset):
        if self.value() == "broken":
            return queryset.filter(pk__in=linkcheck.organisations_with_broken_links().values("pk"))
        return queryset


# A save in the admin writes the organisation, then its channels and countries, within one request:
# the related rows that belong to a version are those saved within this time after it.
SAME_SAVE = datetime.timedelta(seconds=1)


def related_moment(organisation_id: int, version_id) -> datetime.datetime:
    """The moment whose channels and countries belong to this version of the organisation: just after
    it was saved, and before the organisation's next version."""
    version = Organisation.history.get(history_id=version_id)
    later = (
        Organisation.history.filter(id=organisation_id, history_date__gt=version.history_date)
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    moment = version.history_date + SAME_SAVE
    return min(moment, later - datetime.timedelta(microseconds=1)) if later else moment


def restore_related(organisation_id: int, moment, user) -> None:
    """Channels and countries as they were at `moment`: later ones removed, removed ones back."""
    for model in (Channel, Place):
        then = list(model.history.as_of(moment).filter(organisation_id=organisation_id))
        kept = {row.pk for row in then}
        for row in model.objects.filter(organisation_id=organisation_id).exclude(pk__in=kept):
            row._history_user = user
            row.delete()
        for row in then:
            if model is Place:  # the same country may have come back as another row since
                model.objects.filter(organisation_id=organisation_id, country=row.country).exclude(pk=row.pk).delete()
            row._history_user = user
            row.save()


@admin.register(Organisation)
class OrganisationAdmin(ImportExportMixin, SimpleHistoryAdmin):
    form = OrganisationForm
    resource_classes = [OrganisationResource]
    formats = DIRECTORY_FORMATS
    import_template_name = "admin/directory/import.html"
    import_form_class = DirectoryImportForm
    object_history_template = "admin/directory/organisation/object_history.html"
    # Places before channels: the channels' phone numbers are read in the countries given here.
    inlines = [PlaceInline, ChannelInline]

    def history_view(self, request, object_id, extra_context=None):
        """The organisation's history, with the changes to its channels and countries beside its own."""
        related = [
            *Channel.history.filter(organisation_id=object_id).select_related("history_user"),
            *Place.history.filter(organisation_id=object_id).select_related("history_user"),
        ]
        related.sort(key=lambda record: record.history_date, reverse=True)
        context = {"related_changes": related[:200], **(extra_context or {})}
        return super().history_view(request, object_id, extra_context=context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting restores the channels and countries the organisation had at that version, too."""
        with transaction.atomic():
            moment = related_moment(int(object_id), version_id)
            response = super().history_form_view(request, object_id, version_id, extra_context)
            if request.method == "POST" and response.status_code == 302:
                restore_related(int(object_id), moment, request.user)
                problems = Organisation.objects.get(pk=object_id).blocks_publication()
                if problems:
                    transaction.set_rollback(True)
                    list(messages.get_messages(request))  # drop the "changed successfully" just queued
                    text = " ".join(str(problem) for problem in problems.values())
                    self.message_user(request, _("Not reverted: %(problems)s") % {"problems": text}, messages.ERROR)
                    return redirect(request.path)
        return response

    list_display = ["name", "kind", "served", "status", "doubts", "last_checked"]
    list_filter = [
        "kind", "networks", "services", CountryServedFilter, "status", "needs_check", StaleFilter, BrokenLinkFilter,
        "worldwide",
    ]  # fmt: skip
    search_fields = ["name", "name_en", "key", "channels__value"]
    readonly_fields = ["checked_by", "updated_at", "previews"]
    actions = ["mark_checked", "publish", "archive"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["name", "name_en", "key", "kind", "status", "needs_check", "priority"]}),
        (
            _("What it offers"),
            {"fields": ["services", "networks", "audience", "languages", "free", "anonymous", "hours", "worldwide"]},
        ),
        (_("Public description"), {"fields": ["description"]}),
        (_("Opening hours"), {"fields": ["time_zone"]}),
        (_("Checking"), {"fields": ["last_checked", "checked_by", "source_urls", "internal_notes", "updated_at"]}),
        (_("What the public sees"), {"fields": ["previews"]}),
    ]

    def get_queryset(self, request):
        places = Prefetch("places", queryset=Place.objects.order_by("country"))
        return super().get_queryset(request).prefetch_related(places)

    @admin.display(description=_("serves"))
    def served(self, organisation: Organisation) -> str:
        names = [str(place.country) for place in organisation.places.all()]
        if organisation.worldwide:
            names.insert(0, str(_("Worldwide")))
        return ", ".join(names) or "—"

    @admin.display(description=_("route previews"))
    def previews(self, organisation: Organisation) -> str:
        codes = [str(place.country) for place in organisation.places.all()] if organisation.pk else []
        links = [(preview_url(code), countries.name(code)) for code in codes]
        links = [(url, name) for url, name in links if url]
        if not links:
            return _("Save the organisation with a country to preview the answers there.")
        return format_html_join(", ", '<a href="{}">{}</a>', links)

    # Each change goes through save() so that it is recorded in the entry's history.
    @admin.display(description=_("needs check"), ordering="needs_check")
    def doubts(self, organisation: Organisation) -> str:
        # A warning, not a green tick: "needs check" is something wrong, not something done.
        return "⚠ " + str(_("needs check")) if organisation.needs_check else ""

    def save_model(self, request, obj, form, change) -> None:
        # Publishing is a statement that the entry was checked: record by whom, and when — today, unless
        # the curator gave the date of their check themselves.
        publishing = "status" in form.changed_data and obj.status == Organisation.Status.PUBLISHED
        if publishing:
            if obj.last_checked is None or "last_checked" not in form.changed_data:
                obj.last_checked = timezone.localdate()
            obj.checked_by = request.user
        super().save_model(request, obj, form, change)

    # Bulk actions write every selected entry in a fixed number of queries and one transaction (one
    # history entry each, one version bump and one snapshot after the commit), however many are selected.
    @admin.action(description=_("Mark selected as checked today"), permissions=["change"])
    def mark_checked(self, request, queryset):
        organisations = list(queryset.order_by())
        for organisation in organisations:
            organisation.last_checked = timezone.localdate()
            organisation.checked_by = request.user
            organisation.needs_check = False
        save_organisations(organisations, ["last_checked", "checked_by", "needs_check"], request.user)
        count = len(organisations)
        self.message_user(request, ngettext("%d entry marked checked.", "%d entries marked checked.", count) % count)

    @admin.action(description=_("Publish selected"), permissions=["change"])
    def publish(self, request, queryset):
        published = []
        for organisation in queryset.order_by().annotate(
            channel_count=Count("channels", distinct=True), place_count=Count("places", distinct=True)
        ):
            problems = organisation.publication_problems(
                channels=organisation.channel_count, countries=organisation.place_count
            )
            if problems:
                text = " ".join(str(problem) for problem in problems.values())
                self.message_user(request, f"{organisation}: {text}", messages.ERROR)
                continue
            organisation.status = Organisation.Status.PUBLISHED
            organisation.last_checked = timezone.localdate()
            organisation.checked_by = request.user
            published.append(organisation)
        save_organisations(published, ["status", "last_checked", "checked_by"], request.user)
        if published:
            count = len(published)
            self.message_user(request, ngettext("%d entry published.", "%d entries published.", count) % count)

    @admin.action(description=_("Archive selected"), permissions=["change"])
    def archive(self, request, queryset):
        organisations = list(queryset.order_by())
        for organisation in organisations:
            organisation.status = Organisation.Status.ARCHIVED
        save_organisations(organisations, ["status"], request.user)
        count = len(organisations)
        self.message_user(request, ngettext("%d entry archived.", "%d entries archived.", count) % count)


class KeepsPublicationRule:
    """Deleting a channel or a place on its own page, or moving it to another organisation, never leaves a
    published organisation without one."""

    counted = ""  # "channels" or "countries": what a deletion takes away

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)  # one at a time, each checked against the rule
        return actions

    def problem_without(self, row) -> str | None:
        """What the row's organisation would lack if the row went, as the curator should read it."""
        organisation = row.organisation
        remaining = (organisation.channels if self.counted == "channels" else organisation.places).count() - 1
        problem = organisation.blocks_publication(**{self.counted: remaining}).get(self.counted)
        if not problem:
            return None
        return _("%(problem)s Unpublish “%(organisation)s” first, or add another one.") % {
            "problem": problem,
            "organisation": organisation,
        }

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        model_admin = self

        class KeepsRuleForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                moved_to = cleaned_data.get("organisation")
                if self.instance.pk and moved_to and moved_to.pk != self.instance.organisation_id:
                    problem = model_admin.problem_without(type(self.instance).objects.get(pk=self.instance.pk))
                    if problem:
                        raise ValidationError({"organisation": problem})
                return cleaned_data

        return KeepsRuleForm

    def delete_view(self, request, object_id, extra_context=None):
        row = self.get_object(request, object_id)
        if row is not None:
            problem = self.problem_without(row)
            if problem:
                self.message_user(request, problem, messages.ERROR)
                return redirect(reverse(f"admin:directory_{row._meta.model_name}_change", args=[row.pk]))
        return super().delete_view(request, object_id, extra_context)


@admin.register(Channel)
class ChannelAdmin(KeepsPublicationRule, SimpleHistoryAdmin):
    """Every contact channel, searchable by number or address, each with its history and opening hours."""

    counted = "channels"
    inlines = [OpeningHoursInline]
    list_display = ["value", "type", "organisation", "country", "always_open"]
    list_filter = ["type", "always_open", "closed_on_public_holidays"]
    search_fields = ["value", "label", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]


@admin.register(Place)
class PlaceAdmin(KeepsPublicationRule, SimpleHistoryAdmin):
    counted = "countries"

    list_display = ["organisation", "country"]
    search_fields = ["organisation__name", "country"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]


@admin.register(EmergencyNumber)
class EmergencyNumberAdmin(ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [EmergencyNumberResource]
    formats = DIRECTORY_FORMATS
    import_template_name = "admin/directory/import.html"
    import_form_class = DirectoryImportForm
    list_display = ["country", "general", "police", "ambulance", "fire", "needs_check", "last_checked"]
    list_filter = ["needs_check"]
    search_fields = ["country", "general", "police", "ambulance", "fire"]
    readonly_fields = ["updated_at"]


@admin.register(LinkCheck)
class LinkCheckAdmin(admin.ModelAdmin):
    """Results of `manage.py check_links` (read only: the command writes them)."""

    list_display = ["url", "ok", "status_code", "error", "checked_at"]
    list_filter = ["ok"]
    search_fields = ["url"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("used by"))
    def used_by(self, check: LinkCheck) -> str:
        organisations = Organisation.objects.filter(channels__value=check.url).distinct()
        platforms = Platform.objects.filter(Q(report_url=check.url) | Q(child_safety_url=check.url))
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            [(reverse("admin:directory_organisation_change", args=[o.pk]), o.name) for o in organisations]
            + [(reverse("admin:directory_platform_change", args=[p.pk]), p.name) for p in platforms],
        )

    readonly_fields = ["url", "ok", "status_code", "error", "checked_at", "used_by"]


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    """The queue of "Is something wrong here?" reports from the public side."""

    list_display = ["organisation", "reason", "text", "created_at", "state"]
    list_filter = ["state", "reason"]
    search_fields = ["organisation__name", "text"]
    list_select_related = ["organisation"]
    readonly_fields = ["organisation", "reason", "text", "language", "created_at"]
    actions = ["resolve"]

    def has_add_permission(self, request):
        return False  # reports come from the public form

    @admin.action(description=_("Mark selected as resolved"), permissions=["change"])
    def resolve(self, request, queryset):
        count = queryset.update(state=ProblemReport.State.RESOLVED)
        self.message_user(request, ngettext("%d report resolved.", "%d reports resolved.", count) % count)


def public_base() -> str:
    """The site's public address for snippets partners paste (SIGNPOST_PUBLIC_URL; a check requires it)."""
    return (settings.SIGNPOST_PUBLIC_URL or "https://signpost.example.org").rstrip("/")


@admin.register(EmbedOrigin)
class EmbedOriginAdmin(admin.ModelAdmin):
    """Partner sites allowed to frame Signpost's answers; each gets a snippet to paste."""

    list_display = ["origin", "name", "active"]
    list_filter = ["active"]
    readonly_fields = ["snippet"]

    @admin.display(description=_("snippet for the partner"))
    def snippet(self, origin: EmbedOrigin) -> str:
        try:
            path = reverse("reporting:embed", args=["de", "csam-found"])
        except NoReverseMatch:
            return "—"
        return format_html(
            "<p>{}</p><pre>{}</pre>",
            _("Change the country code (de) and the situation (csam-found) as needed:"),
            f'<iframe src="{public_base()}{path}" title="Where to get help" '
            'width="100%" height="800" loading="lazy" referrerpolicy="no-referrer"></iframe>',
        )


@admin.register(Platform)
class PlatformAdmin(SimpleHistoryAdmin):
    """The apps and sites, and their own official routes for reporting an account or a message."""

    list_display = ["name", "status", "take_it_down", "needs_check", "last_checked"]
    list_filter = ["status", "needs_check", "take_it_down"]
    search_fields = ["key", "name", "report_url", "child_safety_url"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["key", "name", "status", "needs_check"]}),
        (_("Public"), {"fields": ["report_url", "child_safety_url", "take_it_down"]}),
        (_("Sources and checks"), {"fields": ["source_urls", "last_checked", "internal_notes", "updated_at"]}),
    ]
