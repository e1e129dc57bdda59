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
