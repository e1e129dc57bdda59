"""With a shared Redis cache, and when that Redis goes away: people still get their answers."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches

from tests.factories import make_emergency, make_organisation


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis(*options: str):
    """A Redis server of our own, on loopback, keeping nothing on disk."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is needed for this test (apt-get install redis-server)"
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", *options],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    return port, process


@pytest.fixture
def redis_server():
    port, process = start_redis()
    yield port, process
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def full_redis():
    """A Redis that is full and refuses every write ("OOM command not allowed")."""
    port, process = start_redis("--maxmemory", "1", "--maxmemory-policy", "noeviction")
    yield port, process
    process.terminate()
    process.wait(timeout=10)


def redis_settings(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def germany(db):
    make_emergency("DE", general="112")
    make_organisation(name="Meldestelle", countries=("DE",))


def test_answers_are_cached_in_redis_and_refreshed_on_change(
    client, germany, redis_server, settings, django_assert_num_queries, commit
):
    port, _process = redis_server
    settings.CACHES = redis_settings(port)
    assert "Meldestelle" in client.get("/help/de/csam-found/").text
    with django_assert_num_queries(0):
        assert "Meldestelle" in client.get("/help/de/csam-found/").text
    make_organisation(name="Neue Stelle", countries=("DE",))
    commit()  # the change commits
    assert "Neue Stelle" in client.get("/help/de/csam-found/").text


def test_pages_keep_answering_when_redis_goes_away(client, germany, redis_server, settings):
    port, process = redis_server
    settings.CACHES = redis_settings(port)
    assert client.get("/help/de/csam-found/").status_code == 200
    process.terminate()
    process.wait(timeout=10)
    caches["default"].close()
    for path in ("/help/de/csam-found/", "/help/de/grooming/", "/", "/api/v1/route/?country=DE&situation=grooming"):
        response = client.get(path)
        assert response.status_code == 200, path
    assert "Meldestelle" in client.get("/help/de/csam-found/").text


def test_a_full_redis_degrades_to_no_cache_never_to_an_error(client, germany, full_redis, settings):
    port, _process = full_redis
    settings.CACHES = redis_settings(port)
    caches["default"].close()
    for path in ("/help/de/csam-found/", "/help/de/grooming/", "/", "/api/v1/route/?country=DE&situation=grooming",
                 "/data/directory.csv"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200, path


def test_with_redis_an_edit_is_seen_at_once_by_every_process(db, redis_server, settings):
    from directory import versioning

    port, _process = redis_server
    settings.CACHES = redis_settings(port)
    settings.SIGNPOST_VERSION_CHECK_SECONDS = 100  # this process alone would not look again for a while
    before = versioning.current()
    versioning._write()  # another process's bump: the database and Redis
    stamp = versioning._memo[0]
    versioning._memo = (before, versioning.time.monotonic())  # this process still remembers the old stamp
    assert versioning.current() == stamp


def test_a_bump_lost_while_redis_refused_writes_is_seen_within_a_second_after(db, redis_server, settings, commit):
    """Redis full (or stalled) during a save: the edit commits, Redis keeps the old stamp; once Redis
    takes writes again, every process moves to the new stamp within a second, not in 24 hours."""
    import redis

    from directory import versioning

    port, _process = redis_server
    settings.CACHES = redis_settings(port)
    settings.SIGNPOST_VERSION_CHECK_SECONDS = 0.2
    before = versioning.current()  # now in Redis too
    server = redis.Redis(port=port)
    server.config_set("maxmemory", 1)  # "OOM command not allowed": every write is refused
    make_organisation(name="Neue Stelle", countries=("DE",))
    commit()  # the edit is in the database; its new stamp never reached Redis
    server.config_set("maxmemory", 0)
    versioning._memo = None  # another process, which only knows what Redis says
    time.sleep(0.3)
    after = versioning.current()
    assert after != before
    assert caches["default"].get(versioning.VERSION_KEY) == after  # and Redis has it back


def test_the_stamp_only_grows_even_when_a_servers_clock_is_behind(db, monkeypatch):
    from directory import versioning

    versioning._write()
    first = versioning.current()
    monkeypatch.setattr(versioning.time, "time_ns", lambda: 1)  # a server whose clock is far behind
    versioning._write()
    assert versioning._memo[0] > first
