"""A published organisation always has a channel and a place, whichever path a change takes.

One function owns the rule (Organisation.publication_problems); the walk below tries every path that
could leave a published organisation with nothing a person can use, and checks that each one asks that
function and that the rule still holds afterwards.
"""

import json
import pathlib

import pytest

from directory.importing import import_document
from directory.models import Channel, Organisation, Place
from tests.directory.test_admin import add_form
from tests.directory.test_admin_import_export import GOOD_ROW, csv_file, preview
from tests.directory.test_history import change_form_data
from tests.factories import make_organisation

CHANGELIST = "/admin/directory/organisation/"


@pytest.fixture
def published(db):
    return make_organisation(name="Meldestelle", countries=("DE",), channels=(("web_form", "https://m.example.de/"),))


@pytest.fixture
def other(db):
    return make_organisation(name="Andere Stelle", countries=("AT",), channels=(("website", "https://a.example.at/"),))


@pytest.fixture
def asked(monkeypatch):
    """Every time the rule is consulted, on any path."""
    calls = []
    rule = Organisation.publication_problems

    def spy(self, **counts):
        calls.append(self.key)
        return rule(self, **counts)

    monkeypatch.setattr(Organisation, "publication_problems", spy)
    return calls


def rule_holds() -> bool:
    return all(
        organisation.channels.exists() and (organisation.worldwide or organisation.places.exists())
        for organisation in Organisation.objects.published()
    )


# Each path tries to leave (or make) a published organisation without a channel or a country.


def form_deleting_the_last_channel(admin_client, published, other):
    data = change_form_data(published, **{"channels-0-DELETE": "on"})
    return admin_client.post(f"{CHANGELIST}{published.pk}/change/", data)


def form_deleting_the_last_country(admin_client, published, other):
    data = change_form_data(published, **{"places-0-DELETE": "on"})
    return admin_client.post(f"{CHANGELIST}{published.pk}/change/", data)


def form_publishing_a_new_entry_without_channels(admin_client, published, other):
    return admin_client.post(f"{CHANGELIST}add/", add_form(**{"channels-TOTAL_FORMS": "0"}))


def form_making_a_worldwide_entry_national_without_a_country(admin_client, published, other):
    Organisation.objects.filter(pk=published.pk).update(worldwide=True)
    published.places.all().delete()
    published.refresh_from_db()
    return admin_client.post(f"{CHANGELIST}{published.pk}/change/", change_form_data(published))


def channel_page_deleting_the_last_channel(admin_client, published, other):
    channel = published.channels.get()
    return admin_client.post(f"/admin/directory/channel/{channel.pk}/delete/", {"post": "yes"})


def place_page_deleting_the_last_country(admin_client, published, other):
    place = published.places.get()
    return admin_client.post(f"/admin/directory/place/{place.pk}/delete/", {"post": "yes"})


def channel_page_moving_the_last_channel_elsewhere(admin_client, published, other):
    channel = published.channels.first()
    data = {"organisation": other.pk, "type": channel.type, "value": channel.value, "position": "0",
            "free": "unknown", "opening_hours-TOTAL_FORMS": "0", "opening_hours-INITIAL_FORMS": "0"}  # fmt: skip
    return admin_client.post(f"/admin/directory/channel/{channel.pk}/change/", data)


def place_page_moving_the_last_country_elsewhere(admin_client, published, other):
    place = published.places.get()
    data = {"organisation": other.pk, "country": "DE"}
    return admin_client.post(f"/admin/directory/place/{place.pk}/change/", data)


def publish_action_on_an_entry_without_channels(admin_client, published, other):
    published.channels.all().delete()
    Organisation.objects.filter(pk=published.pk).update(status="draft")
    return admin_client.post(CHANGELIST, {"action": "publish", "_selected_action": [published.pk]})


def import_command_of_a_published_entry_without_channels(admin_client, published, other):
    record = {"key": published.key, "name": "X", "kind": "hotline", "countries": ["DE"], "channels": [],
              "status": "published"}  # fmt: skip
    try:
        import_document({"organisations": [record]})
    except Exception as error:  # the import refuses the record: what the walk expects
        return error


def admin_import_of_a_published_entry_without_channels(admin_client, published, other):
    return preview(admin_client, csv_file([dict(GOOD_ROW, key=published.key, channels=json.dumps([]))]))


def revert_to_a_version_before_it_had_a_channel(admin_client, published, other):
    bare = published.history.earliest()  # created, its channel not yet added
    url = f"{CHANGELIST}{published.pk}/history/{bare.history_id}/"
    return admin_client.post(url, change_form_data(published))


PATHS = [
    form_deleting_the_last_channel,
    form_deleting_the_last_country,
    form_publishing_a_new_entry_without_channels,
    form_making_a_worldwide_entry_national_without_a_country,
    channel_page_deleting_the_last_channel,
    place_page_deleting_the_last_country,
    channel_page_moving_the_last_channel_elsewhere,
    place_page_moving_the_last_country_elsewhere,
    publish_action_on_an_entry_without_channels,
    import_command_of_a_published_entry_without_channels,
    admin_import_of_a_published_entry_without_channels,
    revert_to_a_version_before_it_had_a_channel,
]


@pytest.mark.parametrize("path", PATHS, ids=[path.__name__ for path in PATHS])
def test_every_path_asks_the_one_rule_and_the_rule_holds(admin_client, published, other, asked, path):
    path(admin_client, published, other)
    assert asked, f"{path.__name__} never asked Organisation.publication_problems"
    assert rule_holds()


def test_the_curator_is_told_why_on_the_channel_page(admin_client, published):
    channel = published.channels.get()
    response = admin_client.post(f"/admin/directory/channel/{channel.pk}/delete/", {"post": "yes"}, follow=True)
    assert Channel.objects.filter(pk=channel.pk).exists()
    assert "needs at least one contact channel" in response.text
    assert Organisation.objects.get(pk=published.pk).status == "published"


def test_the_curator_is_told_why_when_moving_a_place(admin_client, published, other):
    response = place_page_moving_the_last_country_elsewhere(admin_client, published, other)
    assert response.status_code == 200
    assert "needs at least one country" in response.text
    assert Place.objects.get(organisation=published).country == "DE"


def test_moving_one_of_two_channels_is_allowed(admin_client, published, other):
    Channel.objects.create(organisation=published, type="website", value="https://example.de/")
    response = channel_page_moving_the_last_channel_elsewhere(admin_client, published, other)
    assert response.status_code == 302
    assert published.channels.count() == 1 and other.channels.count() == 2


def test_a_revert_that_would_empty_a_published_entry_is_refused_with_a_reason(admin_client, published):
    response = revert_to_a_version_before_it_had_a_channel(admin_client, published, None)
    assert response.status_code == 302
    page = admin_client.get(response["Location"])
    assert "Not reverted" in page.text and "needs at least one contact channel" in page.text
    assert "was changed successfully" not in page.text
    assert published.channels.count() == 1


def test_deleting_one_of_two_channels_is_allowed(admin_client, published):
    extra = Channel.objects.create(organisation=published, type="website", value="https://example.de/")
    admin_client.post(f"/admin/directory/channel/{extra.pk}/delete/", {"post": "yes"})
    assert not Channel.objects.filter(pk=extra.pk).exists()


def test_a_drafts_last_channel_may_be_deleted(admin_client, published):
    Organisation.objects.filter(pk=published.pk).update(status="draft")
    channel = published.channels.get()
    admin_client.post(f"/admin/directory/channel/{channel.pk}/delete/", {"post": "yes"})
    assert not Channel.objects.filter(pk=channel.pk).exists()


def test_the_bulk_delete_that_could_empty_an_organisation_is_not_offered(admin_client, published):
    for path in ("/admin/directory/channel/", "/admin/directory/place/"):
        assert 'value="delete_selected"' not in admin_client.get(path).text


def test_the_rule_has_one_home():
    rule = "needs at least one contact channel"
    homes = [
        path
        for path in pathlib.Path("directory").rglob("*.py")
        if rule in path.read_text(encoding="utf-8") and "migrations" not in path.parts
    ]
    assert [str(path) for path in homes] == ["directory/models.py"]
