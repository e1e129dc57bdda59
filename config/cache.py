"""Django's Redis cache, made to fail soft: if Redis is unreachable, full or failing, reads miss and
writes are skipped.

The cache only makes answers faster (and shares the snapshot between app servers); a person must
still get an answer when Redis is down, out of memory, loading or read-only.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
# Every error Redis can answer with (connection lost, timeout, "OOM command not allowed", loading,
# read-only replica …) degrades to "no cache", never to an error page.
REDIS_DOWN = (RedisError, OSError)


def _soft(method_name: str, fallback):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(ResilientRedisCache, self), method_name)(*args, **kwargs)
        except REDIS_DOWN as error:
            logger.warning("Cache unavailable (%s): %s", method_name, error.__class__.__name__)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    method.__name__ = method_name
    return method


def _default(key, default=None, *args, **kwargs):
    return default


class ResilientRedisCache(RedisCache):
    get = _soft("get", _default)
    get_many = _soft("get_many", {})
    has_key = _soft("has_key", False)
    set = _soft("set", None)
    add = _soft("add", False)
    touch = _soft("touch", False)
    set_many = _soft("set_many", [])
    delete = _soft("delete", False)
    delete_many = _soft("delete_many", None)
    incr = _soft("incr", lambda key, delta=1, version=None: delta)
    clear = _soft("clear", None)
