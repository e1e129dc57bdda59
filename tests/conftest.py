import pytest
from django.core.management import call_command
from django.db import transaction
from django.dispatch import receiver
from django.test import Client
from django.test.signals import setting_changed
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from directory.importing import import_file

# The tiers, in one place. `make test` runs the fast tier first (seconds: models, routing, pages, the API,
# the admin, through the real database and Django's test client), then this slow tier (whole files that
# start servers or processes, load the whole shipped directory, sweep every country, or fuzz), then the
# browser tier (marker `browser`). Single slow tests elsewhere carry @pytest.mark.slow themselves.
SLOW_FILES = {
    "tests/test_outage.py",  # starts and stops its own PostgreSQL
    "tests/test_cache_resilience.py",  # starts and stops Redis servers
    "tests/test_shipped_directory.py",  # the whole shipped directory, every country
    "tests/test_golden_answers.py",
    "tests/test_migrations.py",
    "tests/reporting/test_hostile_input.py",  # hypothesis
    "tests/reporting/test_openapi_fuzz.py",  # schemathesis
    "tests/reporting/test_cards.py",  # PDFs (WeasyPrint)
    "tests/directory/test_check_links.py",  # local HTTP servers, timeouts
    "tests/directory/test_bulk_actions.py",  # 300 entries
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.split("::")[0] in SLOW_FILES:
            item.add_marker(pytest.mark.slow)


class HttpsClient(Client):
    """Tests run with production settings (debug off), which serve HTTPS only: talk HTTPS.

    All clients share one request handler per CSRF mode, so the middleware chain is built once per run,
    not once per test (building it scans every static file for WhiteNoise, which costs more than most
    tests). A settings change makes it build the chain again on the next request, as a new client would.
    """

    handlers: dict[bool, object] = {}

    def __init__(self, enforce_csrf_checks=False, **defaults):
        super().__init__(enforce_csrf_checks, **defaults)
        self.handler = self.handlers.setdefault(enforce_csrf_checks, self.handler)

    def generic(self, method, path, *args, secure=True, **kwargs):
        return super().generic(method, path, *args, secure=True, **kwargs)


# What middleware reads when it is built (the rest it reads on each request).
READ_AT_START = ("SECURE_", "STATIC", "WHITENOISE_", "MIDDLEWARE", "ROOT_URLCONF", "CSRF_", "SESSION_", "AXES_")


@receiver(setting_changed)
def rebuild_the_middleware(setting, **kwargs):
    if setting.startswith(READ_AT_START):
        for handler in HttpsClient.handlers.values():
            handler._middleware_chain = None


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """Production's hashed static files need a manifest: build it once, as a deployment would."""
    from django.conf import settings

    settings.STATIC_ROOT = tmp_path_factory.mktemp("static")
    call_command("collectstatic", interactive=False, verbosity=0)
    # Tests that commit write the directory snapshot: never over the project's own.
    settings.SIGNPOST_SNAPSHOT_PATH = tmp_path_factory.mktemp("snapshot") / "directory-snapshot.json"
    settings.SIGNPOST_IMPORT_PREVIEW_DIR = tmp_path_factory.mktemp("import-previews")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache (cached answers must not leak between tests)."""
    from django.core.cache import cache

    from directory import versioning

    cache.clear()
    versioning._memo = None  # the stamp is re-read from this test's database


@pytest.fixture
def client():
    return HttpsClient()


def verified_login(client: Client, user) -> Client:
    """Sign a user in as the admin requires in production: password and a confirmed second factor."""
    client.force_login(user)
    device, _created = StaticDevice.objects.get_or_create(user=user, name="test device", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def admin_client(db, admin_user):
    return verified_login(HttpsClient(), admin_user)


@pytest.fixture
def shipped_directory(db):
    """The real directory, as `make run` loads it."""
    return import_file()


@pytest.fixture(scope="module")
def shipped(django_db_setup, django_db_blocker):
    """Import the shipped directory once for a test module, and roll it back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield import_file()
        transaction.set_rollback(True)


@pytest.fixture
def commit(db):
    """Run what the test's changes left for "after commit" (the version bump, the snapshot), as a real
    commit would: tests run inside one transaction that never commits."""
    from django.db import connection

    def run() -> None:
        callbacks = list(connection.run_on_commit)
        connection.run_on_commit.clear()
        for _savepoints, callback, _robust in callbacks:
            callback()

    return run
