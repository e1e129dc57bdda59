"""A published organisation always has a channel and a place, whichever path a change takes.

The form and its inlines, the publish action and the import are covered in test_admin.py and
test_import.py; these are the paths that used to slip past: the channel's and the place's own pages.
"""

import pytest

from directory.importing import DirectoryImportError, import_document
from directory.models import Channel, Organisation, Place
from tests.factories import make_organisation


@pytest.fixture
def published(db):
    return make_organisation(name="Meldestelle", countries=("DE",), channels=(("web_form", "https://m.example.de/"),))


def test_deleting_the_last_channel_on_its_own_page_is_refused(admin_client, published):
    channel = published.channels.get()
    response = admin_client.post(f"/admin/directory/channel/{channel.pk}/delete/", {"post": "yes"}, follow=True)
    assert Channel.objects.filter(pk=channel.pk).exists()
    assert "needs at least one contact channel" in response.text
    assert Organisation.objects.get(pk=published.pk).status == "published"


def test_deleting_one_of_two_channels_is_allowed(admin_client, published):
    extra = Channel.objects.create(organisation=published, type="website", value="https://example.de/")
    admin_client.post(f"/admin/directory/channel/{extra.pk}/delete/", {"post": "yes"})
    assert not Channel.objects.filter(pk=extra.pk).exists()


def test_deleting_the_last_country_on_its_own_page_is_refused(admin_client, published):
    place = published.places.get()
    response = admin_client.post(f"/admin/directory/place/{place.pk}/delete/", {"post": "yes"}, follow=True)
    assert Place.objects.filter(pk=place.pk).exists()
    assert "needs at least one country" in response.text


def test_a_drafts_last_channel_may_be_deleted(admin_client, published):
    Organisation.objects.filter(pk=published.pk).update(status="draft")
    channel = published.channels.get()
    admin_client.post(f"/admin/directory/channel/{channel.pk}/delete/", {"post": "yes"})
    assert not Channel.objects.filter(pk=channel.pk).exists()


def test_the_bulk_delete_that_could_empty_an_organisation_is_not_offered(admin_client, published):
    for path in ("/admin/directory/channel/", "/admin/directory/place/"):
        assert 'value="delete_selected"' not in admin_client.get(path).text


def test_the_import_applies_the_same_rule(db):
    record = {"key": "de-x", "name": "X", "kind": "hotline", "countries": ["DE"], "channels": [], "status": "published"}
    with pytest.raises(DirectoryImportError, match="needs at least one contact channel"):
        import_document({"organisations": [record]})


def test_the_rule_has_one_home():
    import pathlib

    rule = "needs at least one contact channel"
    homes = [
        path
        for path in pathlib.Path("directory").rglob("*.py")
        if rule in path.read_text(encoding="utf-8") and "migrations" not in path.parts
    ]
    assert [str(path) for path in homes] == ["directory/models.py"]
