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


@register(Tags.security, deploy=True)
def exit_url_is_https(app_configs=None, **kwargs) -> list:
    """The quick exit must land on an ordinary https page: a plain-http one would show in the network's logs
    as the page the person just left for, and could be changed on the way."""
    from django.core.checks import Error

    parts = urlsplit(settings.SIGNPOST_EXIT_URL)
    if parts.scheme == "https" and parts.netloc:
        return []
    return [
        Error(
            f"SIGNPOST_EXIT_URL is {settings.SIGNPOST_EXIT_URL!r}, not an https address.",
            hint="Use an everyday https page, such as a weather forecast (the default is https://www.bbc.co.uk/weather).",
            id="signpost.E003",
        )
    ]


@register(deploy=True)
def snapshot_folder_is_writable(app_configs=None, **kwargs) -> list:
    """Answers survive a database outage only if the directory snapshot can be written."""
    import os

    from django.core.checks import Error

    folder = settings.SIGNPOST_SNAPSHOT_PATH.parent
    existing = next((path for path in (folder, *folder.parents) if path.exists()), None)
    if existing is not None and existing.is_dir() and os.access(existing, os.W_OK | os.X_OK):
        return []
    return [
        Error(
            f"The directory snapshot cannot be written in {folder}.",
            hint="Set SIGNPOST_SNAPSHOT_PATH to a file in a folder the app server's user can write.",
            id="signpost.E004",
        )
    ]


@register(Tags.security, deploy=True)
def proxy_settings_agree(app_configs=None, **kwargs) -> list:
    """Behind a proxy (DJANGO_BEHIND_TLS_PROXY) with no proxy counted, every visitor has the proxy's address:
    one person's failed sign-ins lock every curator out, and one sender uses up everyone's problem reports."""
    if not getattr(settings, "SECURE_PROXY_SSL_HEADER", None) or settings.SIGNPOST_TRUSTED_PROXY_COUNT > 0:
        return []
    return [
        Warning(
            "DJANGO_BEHIND_TLS_PROXY is on but DJANGO_TRUSTED_PROXY_COUNT is 0.",
            hint="Set DJANGO_TRUSTED_PROXY_COUNT to the number of proxies in front (nginx alone: 1).",
            id="signpost.W006",
        )
    ]
