"""Site-wide middleware and helpers: security headers, the database-outage answer, client addresses."""

import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str:
    """The client's address: the socket's, or the one our own trusted proxies recorded.

    With N trusted proxies (DJANGO_TRUSTED_PROXY_COUNT), the N-th address from the right of
    X-Forwarded-For is the one our outermost proxy saw; anything further left is whatever the
    client claimed and is ignored.
    """
    count = settings.SIGNPOST_TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")


class PermissionsPolicyMiddleware:
    """Django sets no Permissions-Policy; Signpost needs no camera, microphone, location or payment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def mark_public(response: HttpResponse) -> HttpResponse:
    """Mark a response of the public side: it must leave nothing behind in the person's browser."""
    response.is_public = True
    return response


class NoCookiesOnPublicPagesMiddleware:
    """Drop any cookie from public responses, whatever set it.

    Public views never touch the session, but other middleware can still answer with a cookie
    (the CSRF middleware replaces a malformed CSRF cookie the browser sent). Placed before the
    session and CSRF middleware, so it sees their cookies on the way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(response, "is_public", False):
            response.cookies.clear()
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
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "60"
        response["Cache-Control"] = "no-store"
        return response
