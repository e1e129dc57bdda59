"""WhatsApp and Telegram open the app: never a tel: link, on the page, the card and in the API."""

import pytest

from tests.factories import make_emergency, make_organisation


@pytest.fixture
def brazil(db):
    make_emergency("BR", general="190")
    return make_organisation(
        name="Disque 100", kind="child_helpline", countries=("BR",), services=("support_child",),
        channels=(("whatsapp", "(61) 99611-0100"), ("telegram", "@disque100"), ("telegram", "https://t.me/joinchat")),
    )  # fmt: skip


def test_a_whatsapp_number_opens_a_whatsapp_chat_in_international_form(client, brazil):
    page = client.get("/help/br/need-to-talk/").text
    assert '<a class="button" href="https://wa.me/5561996110100"' in page
    assert "Message on WhatsApp" in page
    assert "tel:" not in page.split('id="org-')[1]  # the helpline's card: nothing to dial


def test_a_telegram_name_opens_its_t_me_address(client, brazil):
    page = client.get("/help/br/need-to-talk/").text
    assert 'href="https://t.me/disque100"' in page
    assert 'href="https://t.me/joinchat"' in page
    assert page.count("Message on Telegram") == 2


def test_the_api_gives_the_app_links(client, brazil):
    organisation = client.get("/api/v1/route/?country=BR&situation=need-to-talk").json()["steps"][0]["organisations"][0]
    assert [(c["type"], c["href"]) for c in organisation["channels"]] == [
        ("whatsapp", "https://wa.me/5561996110100"),
        ("telegram", "https://t.me/disque100"),
        ("telegram", "https://t.me/joinchat"),
    ]


def test_the_card_names_the_app_beside_the_number(client, brazil):
    text = client.get("/help/br/card/").text
    assert 'WhatsApp <span class="number" dir="ltr">(61) 99611-0100</span>' in text
    assert 'Telegram <span class="address" dir="ltr">https://t.me/disque100</span>' in text


def test_the_open_data_and_the_api_schema_know_both_types(client, brazil):
    channel_type_enums = list(enums_with("phone", client.get("/api/v1/openapi.json").json()))
    assert len(channel_type_enums) >= 2  # a channel's type, an open alternative's type
    assert all({"whatsapp", "telegram"} <= set(enum) for enum in channel_type_enums)
    channels = client.get("/data/directory.json").json()["organisations"][0]["channels"]
    assert [c["type"] for c in channels] == ["whatsapp", "telegram", "telegram"]


def enums_with(value, schema):
    """Every enum list in an OpenAPI document that holds `value`."""
    if isinstance(schema, dict):
        if value in schema.get("enum", ()):
            yield schema["enum"]
        for item in schema.values():
            yield from enums_with(value, item)
    elif isinstance(schema, list):
        for item in schema:
            yield from enums_with(value, item)
