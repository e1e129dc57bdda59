"""Reading the person's region from their browser's language preferences (never from the IP address)."""

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
