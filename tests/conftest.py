import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from directory.importing import import_file


class HttpsClient(Client):
    """Tests run with production settings (debug off), which serve HTTPS only: talk HTTPS."""

    def generic(self, method, path, *args, secure=True, **kwargs):
        return super().generic(method, path, *args, secure=True, **kwargs)


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
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
