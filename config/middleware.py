"""Site-wide middleware: security headers, Vary, and the database-outage answer."""

import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class PermissionsPolicyMiddleware:
    """Django sets no Permissions-Policy; Signpost needs no camera, microphone, location or payment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class VaryOnlyOnWhatChangesMiddleware:
    """No `Vary: Accept-Language` where the language is in the address.

    LocaleMiddleware adds it to every unprefixed response, though those (English answers, the
    embed, the API, open data) never depend on the browser's language. It would split every
    shared cache per browser header, and with every app server down nginx would serve its stale
    copy only to a byte-identical header. Only a view whose answer does depend on the header (the
    bare start page) keeps it, by setting `response.varies_on_language`. Placed before
    LocaleMiddleware, so it sees the response after it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(response, "varies_on_language", False) or not response.has_header("Vary"):
            return response
        kept = [item.strip() for item in response["Vary"].split(",") if item.strip().lower() != "accept-language"]
        if kept:
            response["Vary"] = ", ".join(kept)
        else:
            del response["Vary"]
        return response


class DatabaseOutageMiddleware:
    """When the database is unreachable, answer a calm 503 instead of an error page.

    The public pages and the route API answer from their snapshot on their own; this catches
    what cannot (the admin), without a traceback.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DatabaseError):
            return None
        logger.error("Database unavailable: %s", exception.__class__.__name__)
        response = HttpResponse(render_to_string("503.html", {"exit_url": settings.SIGNPOST_EXIT_URL}), status=503)
        response["Retry-After"] = "60"
        response["Cache-Control"] = "no-store"
        return response
