import pytest
from django.core.management import call_command

from directory.importing import import_file


@pytest.fixture(scope="session", autouse=True)
def collected_static(tmp_path_factory):
    """Production's hashed static files need a manifest: build it once, as a deployment would."""
    from django.conf import settings

    settings.STATIC_ROOT = tmp_path_factory.mktemp("static")
    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def shipped_directory(db):
    """The real directory, as `make run` loads it."""
    return import_file()
