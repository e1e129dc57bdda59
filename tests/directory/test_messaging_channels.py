"""WhatsApp and Telegram channels: what a curator may enter, through the admin and the import alike."""

import pytest
from django.core.exceptions import ValidationError

from directory.importing import DirectoryImportError, export_document, import_document
from directory.models import Channel
from tests.factories import make_organisation


def whatsapp(value, countries=("BR",), **fields):
    organisation = make_organisation(countries=countries, channels=())
    return Channel(organisation=organisation, type="whatsapp", value=value, **fields)


def telegram(value):
    return Channel(organisation=make_organisation(channels=()), type="telegram", value=value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "countries"),
    [
        ("(61) 99611-0100", ("BR",)),  # national form, read in the organisation's only country
        ("+55 61 99611-0100", ("BR", "PT")),  # international form needs no country
        ("019-2615999", ("MY",)),
    ],
)
def test_a_whatsapp_number_is_a_plain_number_read_in_its_country(value, countries):
    whatsapp(value, countries).full_clean()


@pytest.mark.django_db
def test_a_whatsapp_number_the_phone_library_does_not_know_is_accepted_as_printed():
    # WhatsApp is messaged, not dialled: a line the library's tables lack is still a number.
    whatsapp("534-5769", ("GD",)).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "countries", "code"),
    [
        ("call us", ("BR",), "invalid_phone"),
        ("https://wa.me/5561996110100", ("BR",), "invalid_phone"),
        ("(61) 99611-0100", ("BR", "PT"), "no_region"),  # which country's (61)?
    ],
)
def test_a_whatsapp_value_that_is_not_a_number_for_a_known_country_is_refused(value, countries, code):
    with pytest.raises(ValidationError) as error:
        whatsapp(value, countries).full_clean()
    assert error.value.error_dict["value"][0].code == code


@pytest.mark.django_db
def test_a_whatsapp_number_of_an_organisation_serving_several_countries_is_read_in_the_channels_country():
    whatsapp("(61) 99611-0100", ("BR", "PT"), country="BR").full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["https://t.me/childhelpline", "@childhelpline", "https://telegram.me/some_bot"])
def test_a_telegram_value_is_a_t_me_address_or_a_name(value):
    telegram(value).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value",
    ["childhelpline", "@ab", "http://t.me/childhelpline", "https://example.org/t.me", "https://t.me/", "+7 999"],
)
def test_a_telegram_value_that_is_neither_is_refused(value):
    with pytest.raises(ValidationError) as error:
        telegram(value).full_clean()
    assert "value" in error.value.error_dict


def document(channels):
    return {
        "organisations": [
            {
                "key": "br-test-helpline",
                "name": "Test helpline",
                "kind": "child_helpline",
                "services": ["support_child"],
                "countries": ["BR"],
                "channels": channels,
                "status": "published",
                "source_urls": ["https://helpline.example.br/"],
            }
        ],
        "emergency_numbers": [],
    }


@pytest.mark.django_db
def test_whatsapp_and_telegram_channels_import_and_export_unchanged():
    channels = [
        {"type": "whatsapp", "value": "(61) 99611-0100", "label": "text only"},
        {"type": "telegram", "value": "@testhelpline"},
    ]
    import_document(document(channels))
    exported = export_document()["organisations"][0]["channels"]
    assert [(c["type"], c["value"], c["label"]) for c in exported] == [
        ("whatsapp", "(61) 99611-0100", "text only"),
        ("telegram", "@testhelpline", ""),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "channel", [{"type": "whatsapp", "value": "WhatsApp us"}, {"type": "telegram", "value": "testhelpline"}]
)
def test_an_import_refuses_a_messaging_channel_that_is_not_one(channel):
    with pytest.raises(DirectoryImportError) as error:
        import_document(document([channel]))
    assert "br-test-helpline" in str(error.value)
    assert not Channel.objects.exists()


def test_the_admin_offers_whatsapp_and_telegram_and_checks_them(admin_client):
    organisation = make_organisation(countries=("BR",), channels=(("website", "https://helpline.example.br/"),))
    url = f"/admin/directory/channel/add/?organisation={organisation.pk}"
    page = admin_client.get(url).text
    assert '<option value="whatsapp">WhatsApp</option>' in page
    assert '<option value="telegram">Telegram</option>' in page

    def add(kind, value):
        return admin_client.post(
            "/admin/directory/channel/add/",
            {"organisation": organisation.pk, "type": kind, "value": value, "position": 0,
             "opening_hours-TOTAL_FORMS": 0, "opening_hours-INITIAL_FORMS": 0},
        )  # fmt: skip

    refused = add("telegram", "not an address")
    assert refused.status_code == 200  # the form again, with the reason
    assert "is not a Telegram address" in refused.text
    assert add("whatsapp", "(61) 99611-0100").status_code == 302
    assert add("telegram", "@testhelpline").status_code == 302
    assert sorted(organisation.channels.values_list("type", flat=True)) == ["telegram", "website", "whatsapp"]
