"""Caching answers until the directory changes, or until an "open now" in them would turn stale."""

import datetime
import math
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control


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
