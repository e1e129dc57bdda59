import contextlib

from django import template
from django.conf.locale import LANG_INFO

register = template.Library()


@register.filter
def language_names(codes: list[str]) -> str:
    """ISO 639-1 codes as the languages' own names ("de, en" → "Deutsch, English")."""
    return ", ".join(LANG_INFO.get(code, {}).get("name_local", code.upper()) for code in codes)


@register.filter
def what_happens_next(kind: str) -> str:
    """What happens after a person contacts this kind of service."""
    from reporting.situations import WHAT_HAPPENS_NEXT

    return WHAT_HAPPENS_NEXT.get(kind, "")


@register.filter
def public_label(value: str) -> str:
    """A channel's label in the reader's language where it is one of our own phrases."""
    from directory.labels import public_label as translated

    return translated(value)


def _babel_locale() -> str:
    from django.utils.translation import get_language, to_locale

    return to_locale(get_language() or "en")


@register.filter
def month_year(value) -> str:
    """A month as the page's language writes it, from CLDR ("julho de 2026", "Juli 2026", "2026年7月")."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMM", value, locale=_babel_locale()) if value else ""


@register.filter
def long_date(value) -> str:
    """A day as the page's language writes it, from CLDR ("5 de dezembro de 2026", "5. Dezember 2026")."""
    from babel.dates import format_skeleton

    return format_skeleton("yMMMMd", value, locale=_babel_locale()) if value else ""


@register.filter
def readable_address(value: str) -> str:
    """A web address as a person reads and types it: percent-escapes and punycode decoded, scheme kept
    ("http://nccm.gov.eg/خط-نجدة-الطفل/", not "http://nccm.gov.eg/%d8%ae…"). For printing only, never a link."""
    from urllib.parse import unquote, urlsplit, urlunsplit

    parts = urlsplit(value or "")
    host = parts.hostname or ""
    with contextlib.suppress(UnicodeError):  # not valid punycode: leave it as written
        host = host.encode("ascii").decode("idna") if "xn--" in host else host
    netloc = host + (f":{parts.port}" if parts.port else "") if parts.hostname else parts.netloc
    return unquote(urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)), errors="replace")
