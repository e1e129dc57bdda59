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
