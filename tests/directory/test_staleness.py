import datetime

import pytest

from directory.models import Organisation
from tests.factories import make_organisation


@pytest.mark.django_db
def test_the_stale_cut_off_follows_the_setting(settings):
    today = datetime.date(2026, 11, 28)
    settings.SIGNPOST_STALE_AFTER_DAYS = 365
    make_organisation(name="Just fresh", last_checked=today - datetime.timedelta(days=365))
    make_organisation(name="Just stale", last_checked=today - datetime.timedelta(days=366))
    make_organisation(name="Never", last_checked=None)
    assert {o.name for o in Organisation.objects.stale(today)} == {"Just stale", "Never"}
    settings.SIGNPOST_STALE_AFTER_DAYS = 30
    assert {o.name for o in Organisation.objects.stale(today)} == {"Just fresh", "Just stale", "Never"}


def test_the_changelist_filters_stale_entries(admin_client, settings):
    settings.SIGNPOST_STALE_AFTER_DAYS = 365
    make_organisation(name="Old entry", last_checked=datetime.date(2019, 5, 1))
    make_organisation(name="New entry", last_checked=datetime.date.today())
    stale = admin_client.get("/admin/directory/organisation/?fresh=stale").text
    assert ">Old entry<" in stale and ">New entry<" not in stale
    fresh = admin_client.get("/admin/directory/organisation/?fresh=fresh").text
    assert ">New entry<" in fresh and ">Old entry<" not in fresh
