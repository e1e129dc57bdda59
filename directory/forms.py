"""Admin forms: friendly editing of the list fields stored as JSON."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from import_export.forms import ImportForm

from directory.models import Audience, Organisation


class SeparatedListField(forms.CharField):
    """A list edited as text: items separated by commas or by lines."""

    def __init__(self, *, separator: str = ",", lowercase: bool = False, **kwargs):
        self.separator = separator
        self.lowercase = lowercase
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            joiner = "\n" if self.separator == "\n" else f"{self.separator} "
            return joiner.join(value)
        return value

    def to_python(self, value) -> list[str]:
        if isinstance(value, list):
            return value
        text = super().to_python(value)
        items = [item.strip() for item in text.replace("\r", "").split(self.separator)]
        return [item.lower() if self.lowercase else item for item in items if item]


class OrganisationForm(forms.ModelForm):
    audience = forms.MultipleChoiceField(choices=Audience.choices, widget=forms.CheckboxSelectMultiple, required=False)
    languages = SeparatedListField(lowercase=True, help_text=_("ISO 639-1 codes separated by commas, e.g. de, en."))
    source_urls = SeparatedListField(
        separator="\n",
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Sources"),
        help_text=_("Where the facts were read: one web address per line."),
    )

    class Meta:
        model = Organisation
        fields = [
            "name", "name_en", "key", "kind", "status", "needs_check", "priority", "services", "networks",
            "audience", "languages", "free", "anonymous", "hours", "worldwide", "description",
            "last_checked", "source_urls", "internal_notes",
        ]  # fmt: skip
        widgets = {"services": forms.CheckboxSelectMultiple, "networks": forms.CheckboxSelectMultiple}


class PlaceInlineFormSet(BaseInlineFormSet):
    """Checks that a published organisation serves somewhere, and tells the channels which countries it serves.

    The channel inline comes after this one, so its phone numbers are checked against the
    countries being saved in the same form, not only those already in the database.
    """

    def clean(self) -> None:
        super().clean()
        codes = [
            str(form.cleaned_data["country"])
            for form in self.forms
            if form.cleaned_data.get("country") and not form.cleaned_data.get("DELETE")
        ]
        self.instance.pending_country_codes = codes
        problem = self.instance.blocks_publication(countries=len(codes), channels=1).get("countries")
        if problem:
            raise ValidationError(problem)


class ChannelInlineFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        live = [form for form in self.forms if form.cleaned_data.get("value") and not form.cleaned_data.get("DELETE")]
        problem = self.instance.blocks_publication(channels=len(live), countries=1).get("channels")
        if problem:
            raise ValidationError(problem)


class DirectoryImportForm(ImportForm):
    """The admin's import form, with the size limit said up front (a huge upload must not take a worker down)."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.SIGNPOST_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("This file is %(size)s; files up to %(limit)s can be imported. Split it, or use import_directory."),
                code="too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        return upload
