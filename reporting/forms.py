from django import forms
from django.utils.translation import gettext_lazy as _

from reporting.locale import country_choices
from reporting.situations import SITUATIONS, WHO_CHOICES


def situation_choices() -> list[tuple[str, str]]:
    return [(slug, situation.title) for slug, situation in SITUATIONS.items()]


class CountryField(forms.ChoiceField):
    """A country code, accepted in any case and given back in upper case."""

    def __init__(self, **kwargs):
        super().__init__(choices=lambda: [("", _("Choose your country"))] + country_choices(), **kwargs)

    def to_python(self, value):
        return super().to_python(value).strip().upper()


def who_field() -> forms.ChoiceField:
    """Who is asking. Optional: without an answer, each situation reads for the person it usually is."""
    return forms.ChoiceField(
        label=_("Who is asking?"),
        choices=WHO_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Please choose one of the answers below.")},
    )


class ChooseForm(forms.Form):
    """The questions. A GET form: its answer is an address that can be shared."""

    country = CountryField(
        label=_("Where are you?"),
        error_messages={
            "required": _("Choose your country, so we can show services that work there."),
            "invalid_choice": _("We don't know that country. Please choose it from the list."),
        },
    )
    who = who_field()
    situation = forms.ChoiceField(
        label=_("What happened?"),
        choices=situation_choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Please choose one of the answers below.")},
    )


class SituationForm(forms.Form):
    who = who_field()
    situation = forms.ChoiceField(
        label=_("What happened?"),
        choices=situation_choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _(
                "Please choose the answer closest to what happened. If you're not sure, choose the last one."
            ),
            "invalid_choice": _("Please choose one of the answers below."),
        },
    )
