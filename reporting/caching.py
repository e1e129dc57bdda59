"""Caching answers until the directory changes, or until an "open now" in them would turn stale.

Two layers, one rule (the directory's version stamp is in every key; an answer is kept no longer
than it stays true):
- `cached_answer(key, build)`: a value (the API's route, a PDF card) built once per version.
- `whole_page_cache`: a view opts its whole pages in; `CachedAnswerMiddleware` then serves them
  before the session, CSRF, auth and admin machinery run. A page says how long it stays true with
  the standard `Expires` header (`stays_true_for`).
"""

import datetime
import hashlib
import math
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from directory import versioning


def cached_answer(key: str, build: Callable[[], tuple[Any, datetime.datetime | None]]) -> tuple[Any, float | None]:
    """The cached value for `key`, or `build()`'s (value, when it stops being true) cached until then.

    Returns the value and how many seconds it stays true (None: until the directory changes).
    """
    now = timezone.now().timestamp()
    entry = cache.get(key)
    if entry is not None and (entry[1] is None or entry[1] > now):
        value, expires = entry
    else:
        value, changes_at = build()
        expires = changes_at.timestamp() if changes_at else None
        timeout = settings.SIGNPOST_ANSWER_CACHE_SECONDS
        if expires is not None:
            timeout = max(1, min(timeout, math.ceil(expires - now)))
        cache.set(key, (value, expires), timeout)
    return value, (max(0.0, expires - now) if expires is not None else None)


def limit_max_age(response: HttpResponse, seconds_valid: float | None) -> HttpResponse:
    """Let shared caches keep the answer no longer than it stays true."""
    if seconds_valid is not None and seconds_valid < settings.SIGNPOST_PUBLIC_MAX_AGE:
        patch_cache_control(response, public=True, max_age=int(seconds_valid))
    return response


def stays_true_until(response: HttpResponse, until: datetime.datetime | None) -> HttpResponse:
    """The page is true until `until` (an "open now" on it changes then), or until the directory changes."""
    if until is None:
        return response
    seconds = max(0.0, (until - timezone.now()).total_seconds())
    response["Expires"] = http_date(math.floor(timezone.now().timestamp() + seconds))
    return limit_max_age(response, seconds)


def whole_page_cache(*, params: tuple[str, ...] = ()):
    """Opt a public view's pages into CachedAnswerMiddleware. `params`: the query parameters the page
    depends on (part of the key); any other parameter is ignored, as the view ignores it."""

    def decorate(view):
        view.whole_page_params = params
        return view

    return decorate


class CachedAnswerMiddleware:
    """Serve whole pages of views that opted in (whole_page_cache) from the cache.

    Kept until a curator changes the directory (the version stamp in the key) or the page's
    `Expires`. Only public, cookie-less 200 responses are kept. Placed right after WhiteNoise, so a
    cached answer costs no session, CSRF or auth work.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        params = self.params_for(request) if request.method in ("GET", "HEAD") else None
        if params is None:
            return self.get_response(request)
        chosen = sorted((name, request.GET[name][:40]) for name in params if request.GET.get(name))
        address = hashlib.sha256(f"{request.path_info}?{urlencode(chosen)}".encode()).hexdigest()
        key = f"answer-page:{versioning.current()}:{address}"
        now = timezone.now().timestamp()
        entry = cache.get(key)
        if entry is not None and (entry["expires"] is None or entry["expires"] > now):
            response = HttpResponse(entry["content"], headers=entry["headers"])
            if entry["expires"] is not None:
                limit_max_age(response, entry["expires"] - now)
            response.is_public = True
            return response
        response = self.get_response(request)
        if response.status_code == 200 and getattr(response, "is_public", False) and not response.cookies:
            expires = parse_http_date_safe(response.get("Expires", ""))
            timeout = settings.SIGNPOST_ANSWER_CACHE_SECONDS
            if expires is not None:
                timeout = max(1, min(timeout, math.ceil(expires - now)))
            entry = {"content": response.content, "headers": dict(response.headers), "expires": expires}
            cache.set(key, entry, timeout)
        return response

    @staticmethod
    def params_for(request: HttpRequest) -> tuple[str, ...] | None:
        """The query parameters the addressed view depends on, if it opted in; else None.

        The language is read from the address (LocaleMiddleware has not run yet), as the URL
        patterns with a language prefix only match in their own language."""
        path = request.path_info
        language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
        try:
            with translation.override(language):
                match = resolve(path)
        except Resolver404:
            return None
        return getattr(match.func, "whole_page_params", None)
