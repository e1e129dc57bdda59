from django.contrib import admin, messages
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries

from directory.forms import ChannelInlineFormSet, OrganisationForm, PlaceInlineFormSet
from directory.models import Channel, EmergencyNumber, Organisation, Place


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
    fields = ["type", "value", "label", "hours", "free", "country", "position"]


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


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    # Places before channels: the channels' phone numbers are read in the countries given here.
    inlines = [PlaceInline, ChannelInline]
    list_display = ["name", "kind", "served", "status", "needs_check", "last_checked"]
    list_filter = ["kind", "networks", "services", CountryServedFilter, "status", "needs_check", "worldwide"]
    search_fields = ["name", "name_en", "key", "channels__value"]
    readonly_fields = ["checked_by", "updated_at"]
    actions = ["mark_checked", "publish", "archive"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["name", "name_en", "key", "kind", "status", "needs_check", "priority"]}),
        (
            _("What it offers"),
            {"fields": ["services", "networks", "audience", "languages", "free", "anonymous", "hours", "worldwide"]},
        ),
        (_("Public description"), {"fields": ["description"]}),
        (_("Checking"), {"fields": ["last_checked", "checked_by", "source_urls", "internal_notes", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("places", queryset=Place.objects.order_by("country")))
        )

    @admin.display(description=_("serves"))
    def served(self, organisation: Organisation) -> str:
        names = [str(place.country) for place in organisation.places.all()]
        if organisation.worldwide:
            names.insert(0, str(_("Worldwide")))
        return ", ".join(names) or "—"

    @admin.action(description=_("Mark selected as checked today"), permissions=["change"])
    def mark_checked(self, request, queryset):
        for organisation in queryset:
            organisation.mark_checked(request.user)
        count = len(queryset)
        self.message_user(request, ngettext("%d entry marked checked.", "%d entries marked checked.", count) % count)

    @admin.action(description=_("Publish selected"), permissions=["change"])
    def publish(self, request, queryset):
        published = 0
        for organisation in queryset:
            problems = organisation.publication_problems()
            if problems:
                self.message_user(request, f"{organisation}: {' '.join(str(p) for p in problems)}", messages.ERROR)
                continue
            organisation.status = Organisation.Status.PUBLISHED
            organisation.save(update_fields=["status", "updated_at"])
            published += 1
        if published:
            self.message_user(request, ngettext("%d entry published.", "%d entries published.", published) % published)

    @admin.action(description=_("Archive selected"), permissions=["change"])
    def archive(self, request, queryset):
        count = 0
        for organisation in queryset:
            organisation.status = Organisation.Status.ARCHIVED
            organisation.save(update_fields=["status", "updated_at"])
            count += 1
        self.message_user(request, ngettext("%d entry archived.", "%d entries archived.", count) % count)


@admin.register(EmergencyNumber)
class EmergencyNumberAdmin(admin.ModelAdmin):
    list_display = ["country", "general", "police", "ambulance", "fire", "needs_check", "last_checked"]
    list_filter = ["needs_check"]
    search_fields = ["country", "general", "police", "ambulance", "fire"]
    readonly_fields = ["updated_at"]
