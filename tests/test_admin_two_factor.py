"""Every staff page goes through the admin site: a password alone never opens one."""

import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import make_organisation

SAMPLE = {"country_code": "de", "slug": "csam-found", "object_id": "1", "app_label": "directory", "pk": "1"}


def admin_paths(patterns=None, prefix=""):
    """Every URL under the admin path that the project defines, with sample values for its parameters."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from admin_paths(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith(settings.SIGNPOST_ADMIN_PATH):
            path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE.get(m.group(1), "1"), route)
            path = path.replace("^", "").replace("$", "").replace("\\Z", "")
            if re.search(r"[()\[\]?*+\\]", path):
                continue  # regular-expression routes (the admin's catch-all) are covered by the model URLs
            yield "/" + path


@pytest.fixture
def password_only(client, django_user_model, settings):
    settings.SIGNPOST_REQUIRE_2FA = True
    user = django_user_model.objects.create_user("staff", password="x", is_staff=True, is_superuser=True)
    client.force_login(user)  # a password, and no second factor
    return client


def test_the_walk_finds_the_curators_own_views():
    paths = list(admin_paths())
    assert "/admin/preview/" in paths
    assert "/admin/preview/de/csam-found/" in paths
    assert "/admin/directory/coverage/" in paths
    assert len(paths) > 40


def test_a_password_only_session_is_sent_to_the_code_step_everywhere(password_only, db):
    make_organisation(name="Meldestelle")
    opened = []
    for path in admin_paths():
        if path.endswith(("/logout/", "/login/")) or "jsi18n" in path:
            continue
        response = password_only.get(path)
        if response.status_code == 200:
            opened.append(path)
    assert opened == []
