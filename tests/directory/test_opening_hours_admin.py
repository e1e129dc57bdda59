import pytest

from directory.models import OpeningHours
from tests.factories import make_organisation


@pytest.fixture
def phone(db):
    organisation = make_organisation(kind="child_helpline", countries=("DE",), channels=(("phone", "116 111"),))
    return organisation.channels.get()


def channel_form(phone, hours):
    data = {
        "organisation": phone.organisation_id, "type": "phone", "value": "116 111", "position": "0",
        "free": "unknown", "country": "",
        "opening_hours-TOTAL_FORMS": str(len(hours)), "opening_hours-INITIAL_FORMS": "0",
    }  # fmt: skip
    for i, (day, opens, closes) in enumerate(hours):
        data.update({f"opening_hours-{i}-day": day, f"opening_hours-{i}-opens": opens,
                     f"opening_hours-{i}-closes": closes})  # fmt: skip
    return data


def test_a_curator_enters_weekly_hours_on_the_channel(admin_client, phone):
    url = f"/admin/directory/channel/{phone.pk}/change/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, channel_form(phone, [("0", "14:00", "20:00"), ("5", "22:00", "02:00")]))
    assert response.status_code == 302
    assert [str(h) for h in OpeningHours.objects.filter(channel=phone)] == [
        "Monday 14:00–20:00",
        "Saturday 22:00–02:00",
    ]


@pytest.mark.parametrize(("hours", "message"), [
    ([("0", "14:00", "14:00")], "the same"),
    ([("7", "14:00", "20:00")], "Select a valid choice"),
    ([("0", "25:00", "20:00")], "Enter a valid time"),
])  # fmt: skip
def test_bad_hours_are_refused_with_a_message(admin_client, phone, hours, message):
    response = admin_client.post(f"/admin/directory/channel/{phone.pk}/change/", channel_form(phone, hours))
    assert response.status_code == 200
    assert message in response.text
    assert not OpeningHours.objects.exists()


def test_the_organisation_page_links_each_channel_to_its_hours(admin_client, phone):
    page = admin_client.get(f"/admin/directory/organisation/{phone.organisation_id}/change/").text
    assert f"/admin/directory/channel/{phone.pk}/change/" in page
