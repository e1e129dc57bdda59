"""Reading the person's region from their browser's language preferences (never from the IP address)."""

import functools

from babel import Locale, UnknownLocaleError
from babel.languages import get_official_languages
from django.conf import settings
from django.utils.translation import get_language, to_locale
from django.utils.translation.trans_real import parse_accept_lang_header
from django_countries import countries
from pyuca import Collator

MAX_HEADER_LENGTH = 500


def country_from_accept_language(header: str) -> str:
    """The first region named in Accept-Language ("de-AT" → "AT"), or "" if none is a known country."""
    if not header or len(header) > MAX_HEADER_LENGTH:
        return ""
    for language, _quality in parse_accept_lang_header(header):
        parts = language.replace("_", "-").split("-")
        for part in parts[1:]:
            code = part.upper()
            if len(code) == 2 and code.isalpha() and code in countries:
                return code
    return ""


def country_languages(country: str) -> list[str]:
    """The site's languages that are the country's own (CLDR's official and de facto languages), the
    country's own variant first where we have one (Brazil: pt-br, not pt)."""
    ours = {code for code, _name in settings.LANGUAGES}
    found: list[str] = []
    for language in get_official_languages(country.upper(), de_facto=True) if country else ():
        for code in (f"{language}-{country.lower()}", language, f"{language}-hans"):
            if code in ours and code not in found:
                found.append(code)
                break
    return found


@functools.cache
def _territories(language: str) -> dict[str, str]:
    """CLDR's country names in a language (Babel), for every language but English."""
    try:
        return dict(Locale.parse(to_locale(language)).territories)
    except (UnknownLocaleError, ValueError):
        return {}


def country_name(code: str) -> str:
    """The country's name in the page's language: CLDR's (which has every language we offer, and writes
    names as their speakers do), django-countries' in English."""
    language = get_language() or settings.LANGUAGE_CODE
    if not language.startswith("en"):
        name = _territories(language).get(code.upper())
        if name:
            return name
    return str(countries.name(code))


@functools.cache
def _collator() -> Collator:
    return Collator()  # the Unicode Collation Algorithm's default order (DUCET), for every script


def sort_key(text: str) -> tuple:
    """Text's place in a list as readers expect it (Unicode collation, not the order of code points)."""
    return _collator().sort_key(text)


def country_choices() -> list[tuple[str, str]]:
    """Every country, named and sorted for the page's language (Ukrainian: Німеччина after Мексика)."""
    return list(_country_choices(get_language() or settings.LANGUAGE_CODE))


@functools.cache
def _country_choices(language: str) -> tuple[tuple[str, str], ...]:
    named = [(code, country_name(code)) for code in countries.countries]
    return tuple(sorted(named, key=lambda item: sort_key(item[1])))
