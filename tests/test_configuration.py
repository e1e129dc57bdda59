"""Settings that can be wrong in production are caught before the site serves anyone."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reporting import checks

ROOT = Path(__file__).resolve().parent.parent
SETUP = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup()"


def ids(messages) -> list[str]:
    return [message.id for message in messages]


def test_the_quick_exit_must_land_on_an_https_page(settings):
    settings.SIGNPOST_EXIT_URL = "https://www.bbc.co.uk/weather"
    assert checks.exit_url_is_https() == []
    for url in ("http://www.bbc.co.uk/weather", "javascript:history.back()", "weather", ""):
        settings.SIGNPOST_EXIT_URL = url
        assert ids(checks.exit_url_is_https()) == ["signpost.E003"], url


def test_the_snapshot_folder_must_be_writable(settings, tmp_path):
    settings.SIGNPOST_SNAPSHOT_PATH = tmp_path / "not-yet" / "snapshot.json"  # created on first write
    assert checks.snapshot_folder_is_writable() == []
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    settings.SIGNPOST_SNAPSHOT_PATH = blocked / "snapshot.json"
    assert ids(checks.snapshot_folder_is_writable()) == ["signpost.E004"]
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        settings.SIGNPOST_SNAPSHOT_PATH = locked / "snapshot.json"
        assert ids(checks.snapshot_folder_is_writable()) == ["signpost.E004"]


def test_behind_a_proxy_the_proxies_must_be_counted(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SIGNPOST_TRUSTED_PROXY_COUNT = 0
    assert ids(checks.proxy_settings_agree()) == ["signpost.W006"]
    settings.SIGNPOST_TRUSTED_PROXY_COUNT = 1
    assert checks.proxy_settings_agree() == []
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.SIGNPOST_TRUSTED_PROXY_COUNT = 0
    assert checks.proxy_settings_agree() == []


@pytest.mark.slow  # a fresh Django process each
@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SIGNPOST_PUBLIC_MAX_AGE", "5m", "SIGNPOST_PUBLIC_MAX_AGE must be a whole number, not '5m'."),
        ("DJANGO_TRUSTED_PROXY_COUNT", "-1", "DJANGO_TRUSTED_PROXY_COUNT must be at least 0, not '-1'."),
        ("SIGNPOST_VERSION_CHECK_SECONDS", "soon", "SIGNPOST_VERSION_CHECK_SECONDS must be a number, not 'soon'."),
    ],
)
def test_a_number_from_the_environment_that_is_not_one_is_named(name, value, message):
    env = {**os.environ, "DJANGO_DEBUG": "1", name: value}
    env.pop("PYTEST_VERSION", None)
    result = subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, capture_output=True, text=True, timeout=9)
    assert result.returncode != 0
    assert message in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("django.core.exceptions.ImproperlyConfigured")
