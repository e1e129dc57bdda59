"""Reading the person's region from their browser's language preferences (never from the IP address)."""

from babel.languages import get_official_languages
from django.conf import settings
from django.utils.translation.trans_real import parse_accept_lang_header
from django_countries import countries

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
