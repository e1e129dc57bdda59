"""Site-wide middleware and helpers: security headers, the database-outage answer, client addresses."""

import ipaddress
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)


def from_trusted_proxy(address: str) -> bool:
    """Whether the socket's peer is one of our own proxies (DJANGO_TRUSTED_PROXIES, addresses or networks)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False) for network in settings.SIGNPOST_TRUSTED_PROXIES)


def client_ip(request: HttpRequest) -> str:
    """The client's address: the socket's, or the one our own trusted proxies recorded.

    With N trusted proxies (DJANGO_TRUSTED_PROXY_COUNT), the N-th address from the right of
    X-Forwarded-For is the one our outermost proxy saw; anything further left is whatever the
    client claimed and is ignored. The header is read only when the request really comes from one
    of our proxies (DJANGO_TRUSTED_PROXIES): a client that reaches the app server directly cannot
    choose its address, and so cannot dodge the sign-in lockout or the problem-report limit.
    """
    count = settings.SIGNPOST_TRUSTED_PROXY_COUNT
    if count > 0 and from_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
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
        response = HttpResponse(render_to_string("503.html", {"exit_url": settings.SIGNPOST_EXIT_URL}), status=503)
        response["Retry-After"] = "60"
        response["Cache-Control"] = "no-store"
        return response


class CachedAnswerMiddleware:
    """Serve whole answer pages from the cache, before the session, CSRF, auth and admin machinery.

    An answer (/help/<cc>/<situation>/, in any language) depends only on its address and the
    directory, so it is kept until a curator changes the directory (the version stamp in the key)
    or until an "open now" on it would turn stale (the view's `valid_for`). Only public,
    cookie-less 200 responses are kept. Placed right after WhiteNoise.
    """

    # Answers only: never the printable card, whose QR code carries an absolute address.
    ANSWER_PATH = re.compile(r"^/(?:[a-z]{2}/)?help/[a-z]{2}/(?!card/)[a-z-]+/$")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not self.ANSWER_PATH.match(request.path_info):
            return self.get_response(request)
        # The answer view reads no query parameter: "?x=1" gets the cached page, not a new render.
        from directory import versioning  # the directory app is loaded by now

        key = f"answer-page:{versioning.current()}:{request.path_info}"
        now = timezone.now().timestamp()
        entry = cache.get(key)
        if entry is not None and (entry["expires"] is None or entry["expires"] > now):
            response = HttpResponse(entry["content"], headers=entry["headers"])
            remaining = entry["expires"] - now if entry["expires"] is not None else None
            if remaining is not None and remaining < settings.SIGNPOST_PUBLIC_MAX_AGE:
                patch_cache_control(response, max_age=int(remaining))
            return mark_public(response)
        response = self.get_response(request)
        if response.status_code == 200 and getattr(response, "is_public", False) and not response.cookies:
            valid_for = getattr(response, "valid_for", None)
            timeout = settings.SIGNPOST_ANSWER_CACHE_SECONDS
            if valid_for is not None:
                timeout = max(1, min(timeout, int(valid_for)))
            entry = {
                "content": response.content,
                "headers": dict(response.headers),
                "expires": now + valid_for if valid_for is not None else None,
            }
            cache.set(key, entry, timeout)
        return response
