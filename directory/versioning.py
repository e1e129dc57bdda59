"""A version stamp of the directory, changed on every save, so caches of answers can key on it.

It lives in the cache itself: with a shared cache (Redis) every app server sees the new
stamp at once; a new stamp also means every old cached answer is simply never read again.
"""

import time

from django.core.cache import cache

VERSION_KEY = "signpost:directory-version"


def current() -> int:
    return cache.get_or_set(VERSION_KEY, time.time_ns, timeout=None)


def bump(**_signal_kwargs) -> None:
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)
