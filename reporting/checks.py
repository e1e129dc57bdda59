"""System checks for settings that can be wrong in production (run by `manage.py check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def public_url_is_set(app_configs=None, **kwargs) -> list:
    """Printed cards and QR codes carry the site's absolute address: in production it must come from
    SIGNPOST_PUBLIC_URL, never from a request's Host header (which a visitor chooses)."""
    url = settings.SIGNPOST_PUBLIC_URL
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.netloc and parts.path in ("", "/"):
        return []
    return [
        Warning(
            "SIGNPOST_PUBLIC_URL is not set to the site's https address (e.g. https://signpost.example.org).",
            hint="Printed cards, QR codes and partners' snippets carry it; otherwise they trust the Host header.",
            id="signpost.W001",
        )
    ]


@register(Tags.security)
def trusted_proxies_are_networks(app_configs=None, **kwargs) -> list:
    """DJANGO_TRUSTED_PROXIES must be addresses or networks; a typo would silently trust nobody (or everybody)."""
    import ipaddress

    from django.core.checks import Error

    errors = []
    for entry in settings.SIGNPOST_TRUSTED_PROXIES:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            errors.append(
                Error(
                    f"DJANGO_TRUSTED_PROXIES holds {entry!r}, which is not an address or network.",
                    hint="Use addresses or networks separated by commas, e.g. 127.0.0.1,10.0.0.0/24.",
                    id="signpost.E002",
                )
            )
    return errors
