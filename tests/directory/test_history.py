import pytest

from directory.models import Channel, EmergencyNumber, Organisation
from tests.factories import make_emergency, make_organisation


def change_form_data(organisation, **overrides):
    """The organisation's admin form as the browser would post it back."""
    channels = list(organisation.channels.all())
    places = list(organisation.places.all())
    data = {
        "name": organisation.name, "key": organisation.key, "kind": organisation.kind,
        "status": organisation.status, "priority": str(organisation.priority),
        "services": [s.slug for s in organisation.services.all()], "languages": "", "source_urls": "",
        "free": "unknown", "anonymous": "unknown", "last_checked": "2026-11-01",
        "places-TOTAL_FORMS": str(len(places)), "places-INITIAL_FORMS": str(len(places)),
        "channels-TOTAL_FORMS": str(len(channels)), "channels-INITIAL_FORMS": str(len(channels)),
    }  # fmt: skip
    for i, place in enumerate(places):
        data.update({f"places-{i}-id": place.pk, f"places-{i}-organisation": organisation.pk,
                     f"places-{i}-country": str(place.country)})  # fmt: skip
    for i, channel in enumerate(channels):
        data.update({f"channels-{i}-id": channel.pk, f"channels-{i}-organisation": organisation.pk,
                     f"channels-{i}-type": channel.type, f"channels-{i}-value": channel.value,
                     f"channels-{i}-position": str(channel.position), f"channels-{i}-free": "unknown"})  # fmt: skip
    data.update(overrides)
    return data


@pytest.fixture
def hotline(db):
    return make_organisation(name="Meldestelle", countries=("DE",), channels=(("web_form", "https://a.example.de/"),))


def test_an_admin_change_is_recorded_with_who_made_it(admin_client, admin_user, hotline):
    url = f"/admin/directory/organisation/{hotline.pk}/change/"
    response = admin_client.post(url, change_form_data(hotline, name="Neue Meldestelle"))
    assert response.status_code == 302
    latest = hotline.history.first()
    assert latest.name == "Neue Meldestelle"
    assert latest.history_user == admin_user
    assert latest.history_type == "~"


def test_inline_channel_changes_are_in_the_channels_history(admin_client, admin_user, hotline):
    url = f"/admin/directory/organisation/{hotline.pk}/change/"
    admin_client.post(url, change_form_data(hotline, **{"channels-0-value": "https://b.example.de/"}))
    channel = Channel.objects.get(organisation=hotline)
    assert channel.value == "https://b.example.de/"
    assert [h.value for h in channel.history.all()] == ["https://b.example.de/", "https://a.example.de/"]
    assert channel.history.first().history_user == admin_user


def test_the_history_page_shows_the_change_and_who(admin_client, hotline):
    admin_client.post(
        f"/admin/directory/organisation/{hotline.pk}/change/", change_form_data(hotline, name="Umbenannt")
    )
    page = admin_client.get(f"/admin/directory/organisation/{hotline.pk}/history/")
    assert page.status_code == 200
    assert "admin" in page.text  # the user
    assert "name" in page.text.lower()


def test_a_curator_can_revert_to_an_earlier_version(admin_client, hotline):
    original = hotline.history.latest()  # complete, with its channel and country (the earliest had none yet)
    admin_client.post(f"/admin/directory/organisation/{hotline.pk}/change/", change_form_data(hotline, name="Falsch"))
    assert Organisation.objects.get(pk=hotline.pk).name == "Falsch"
    revert_url = f"/admin/directory/organisation/{hotline.pk}/history/{original.history_id}/"
    form = admin_client.get(revert_url)
    assert form.status_code == 200
    response = admin_client.post(revert_url, change_form_data(hotline, name=original.name))
    assert response.status_code == 302
    assert Organisation.objects.get(pk=hotline.pk).name == "Meldestelle"


def test_emergency_number_changes_are_recorded(admin_client, admin_user, db):
    number = make_emergency("FR", general="112")
    response = admin_client.post(
        f"/admin/directory/emergencynumber/{number.pk}/change/",
        {"country": "FR", "general": "112", "police": "17", "other": "[]", "source_urls": "[]"},
    )
    assert response.status_code == 302
    assert EmergencyNumber.objects.get(pk=number.pk).history.first().history_user == admin_user


@pytest.mark.django_db
def test_marking_checked_is_recorded_too(hotline):
    before = hotline.history.count()
    hotline.mark_checked(None)
    assert hotline.history.count() == before + 1
    assert hotline.history.first().last_checked == hotline.last_checked


def test_the_organisations_history_shows_its_channel_and_country_changes(admin_client, admin_user, hotline):
    from directory.models import Place

    channel = hotline.channels.get()
    channel._history_user = admin_user
    channel.value = "https://b.example.de/"
    channel.save()
    Place.objects.create(organisation=hotline, country="AT")
    page = admin_client.get(f"/admin/directory/organisation/{hotline.pk}/history/").text
    table = page.split('id="related-changes"', 1)[1]
    assert "Report form: https://b.example.de/" in table and "changed" in table
    assert "Country: Austria" in table and "added" in table


def test_reverting_restores_the_channels_and_countries_of_that_version(admin_client, hotline):
    import time

    from directory.models import Place

    original = hotline.history.latest()
    time.sleep(1.1)  # later than the same save (admin.SAME_SAVE)
    Channel.objects.create(organisation=hotline, type="phone", value="116 111", position=1)
    hotline.channels.get(value="https://a.example.de/").delete()
    Place.objects.create(organisation=hotline, country="AT")
    hotline.refresh_from_db()

    revert_url = f"/admin/directory/organisation/{hotline.pk}/history/{original.history_id}/"
    response = admin_client.post(revert_url, change_form_data(hotline, name=original.name))
    assert response.status_code == 302
    assert [c.value for c in Channel.objects.filter(organisation=hotline)] == ["https://a.example.de/"]
    assert [str(p.country) for p in Place.objects.filter(organisation=hotline)] == ["DE"]
