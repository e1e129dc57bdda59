"""A version stamp of the directory, changed after every committed change, so caches of answers can key on it.

The stamp lives in the database (DirectoryVersion), which every process and app server shares,
with or without Redis. Without a shared cache each process re-reads it at most once a second
(SIGNPOST_VERSION_CHECK_SECONDS), so an edit saved anywhere — another worker, an import from the
command line — is seen everywhere within a second, and a cached page costs at most one tiny query
a second per process. With Redis the stamp is also kept there and read on every request, so an edit
is seen at once; if Redis loses it, misses a bump or goes away, the database answers within a
second. Stamps only grow, so of two the larger is the newer. The bump
happens after the transaction commits, so no answer can be cached under the new stamp with the
old data; a failed bump is retried and logged, never silently dropped.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest

logger = logging.getLogger(__name__)

VERSION_KEY = "signpost:directory-version"
_memo: tuple[int, float] | None = None  # (stamp, when this process read it), shared by its threads
_lock = threading.Lock()
_unsaved_bump = False  # a bump that failed: retried on the next read


def _shared_cache() -> bool:
    """Whether the cache is one every process shares (Redis), rather than each process's own memory."""
    backend = settings.CACHES["default"]["BACKEND"]
    return not backend.endswith(("LocMemCache", "DummyCache"))


def _read() -> int:
    from directory.models import DirectoryVersion

    row = DirectoryVersion.objects.filter(pk=1).values_list("stamp", flat=True).first()
    return row if row is not None else 0


def current() -> int:
    """The stamp, as every process sees it.

    Stamps only grow (see _write), so the larger of two is the newer. With Redis the stamp there is
    read on every request; the database is read at most once a second (SIGNPOST_VERSION_CHECK_SECONDS)
    and wins: a bump whose write to Redis was lost (Redis stalled or full during the save) is put back
    into Redis within a second, instead of leaving every process on the old stamp.
    """
    global _memo
    if _unsaved_bump:
        _write()
    shared = _shared_cache()
    cached = cache.get(VERSION_KEY) if shared else None
    memo = _memo
    now = time.monotonic()
    if memo is not None and now - memo[1] < settings.SIGNPOST_VERSION_CHECK_SECONDS:
        return max(memo[0], cached or 0)
    try:
        stamp = _read()
    except DatabaseError:
        # The database is down: answers come from the snapshot and cannot change; keep the last stamp.
        return max(memo[0] if memo is not None else 0, cached or 0)
    _memo = (stamp, now)
    if shared and (cached is None or cached < stamp):
        cache.set(VERSION_KEY, stamp, timeout=None)  # Redis restarted, evicted it, or missed a bump
    return max(stamp, cached or 0)


def _write(attempts: int = 3) -> None:
    from directory.models import DirectoryVersion

    global _unsaved_bump, _memo
    for attempt in range(attempts):
        try:
            # Never smaller than before, even if this server's clock is behind the last one that bumped.
            new = Greatest(F("stamp") + 1, Value(time.time_ns()))
            if not DirectoryVersion.objects.filter(pk=1).update(stamp=new):
                DirectoryVersion.objects.get_or_create(pk=1, defaults={"stamp": time.time_ns()})
            stamp = _read()
        except DatabaseError:
            if attempt + 1 == attempts:
                with _lock:
                    _unsaved_bump = True
                logger.error("Could not bump the directory version; will retry on the next request", exc_info=True)
                return
            time.sleep(0.05 * (attempt + 1))
        else:
            with _lock:
                _unsaved_bump = False
            _memo = (stamp, time.monotonic())
            if _shared_cache():
                cache.set(VERSION_KEY, stamp, timeout=None)  # if this is lost, current() puts it back
            return


def flush() -> bool:
    """Retry a bump that failed; whether none is left unsaved. A command calls this before it exits,
    since a bump left for "the next request" would die with its process."""
    if _unsaved_bump:
        _write()
    return not _unsaved_bump


def _bump_now() -> None:
    _write()


_bump_now.signpost_version_bump = True


def bump(**_signal_kwargs) -> None:
    """Change the stamp once the current transaction commits (once per transaction)."""
    connection = transaction.get_connection()
    if any(getattr(item[1], "signpost_version_bump", False) for item in connection.run_on_commit):
        return
    transaction.on_commit(_bump_now)
